//! Every error code the console can meet, as a sentence a person understands and what to do
//! about it.
//!
//! Codes come from the seeds (`users.admin.invite`, `admin.users.*`), from Slack's list of
//! errors every method can return, from the invite-request and SCIM calls, and from this
//! crate's own [`SlackError::code`]. A code that is not here still gets an explanation that
//! shows it verbatim.

use crate::error::SlackError;
use crate::methods;
use crate::scim;

/// `admin.inviteRequests.approve` / `.deny`: "The invite request ID is not valid" (Slack's
/// method pages): no request has this ID, or it was withdrawn or expired.
pub const INVALID_REQUEST: &str = "invalid_request";
/// `admin.inviteRequests.approve` / `.deny`: the request was approved or denied already.
pub const ALREADY_PROCESSED: &str = "already_processed";
/// `admin.inviteRequests.*`: an argument is missing or malformed (for example an empty
/// `invite_request_id`). Slack's generic code for this.
pub const INVALID_ARGUMENTS: &str = "invalid_arguments";
/// An org with several workspaces was called without `team_id` (seed 003's code, reused by
/// `admin.inviteRequests.*`).
pub const TEAM_ID_REQUIRED_FOR_ENTERPRISE: &str = "team_id_required_for_enterprise";

/// An error code explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The code, verbatim.
    pub code: String,
    /// What happened, in a sentence or two.
    pub summary: String,
    /// What to do about it.
    pub fix: String,
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.summary, self.fix)
    }
}

struct Entry {
    code: &'static str,
    summary: &'static str,
    fix: &'static str,
}

const fn e(code: &'static str, summary: &'static str, fix: &'static str) -> Entry {
    Entry { code, summary, fix }
}

const RETRY: &str = "Nothing was changed on your side. Try again in a minute; if it keeps happening, check Slack's status page.";
const ASK_OWNER: &str = "Ask an org owner to do this, or to give your account the admin or owner role it needs, then connect again.";
const RECONNECT: &str = "Create or copy a valid token and connect again.";
const CONSOLE_BUG: &str = "This is a mistake in how the console built the request, not in what you typed. Please report it with the code shown.";
const CHECK_USER: &str = "Check that you picked the right person (the member list shows current IDs), reload the list, and try again.";

#[rustfmt::skip]
const ENTRIES: &[Entry] = &[
    // ---- users.admin.invite (seed 001's "Errors & Warnings" table)
    e("already_invited",
      "This person has already been invited and the invitation has not been accepted yet.",
      "Nothing to do unless they lost the email. With a legacy token, send it again with \u{201c}Resend the email\u{201d} ticked; on a Grid org, resend it from Slack's admin pages."),
    e("already_in_team",
      "This person is already a member of the workspace.",
      "Nothing to do. To change their role or channels, find them under Members."),
    e("channel_not_found",
      "One of the chosen channels does not exist, or the token cannot see it (private channels need the token's user to be a member).",
      "Pick the channels again from the list; for a private channel, have the token's user join it first."),
    e("sent_recently",
      "The invitation email was resent only a short while ago, so Slack did not send another one.",
      "Wait a few hours before resending; the earlier email is still valid."),
    e("user_disabled",
      "This email belongs to an account that has been deactivated.",
      "Reactivate the account in Slack's admin pages (or through SCIM) instead of inviting it again."),
    e("missing_scope",
      "The token lacks a permission (scope) this call needs.",
      "Add the scope to the app under OAuth & Permissions, reinstall the app, and connect again with the new token."),
    e("invalid_email",
      "Slack did not accept the email address. Slack refuses some addresses even though they are technically valid.",
      "Check the address for typos; if it is right, invite the person with another address they use."),
    e("not_allowed",
      "This workspace signs people in with single sign-on (SSO), and with SSO on Slack refuses to invite full members this way; only guests can be invited.",
      "Invite the person as a multi-channel or single-channel guest, or create their account through SCIM (proxy connection) or your identity provider."),

    // ---- admin.users.* (seed 003)
    e("already_in_team_invited_user",
      "This person has already been invited to the workspace and has not accepted yet.",
      "Nothing to do unless they lost the email. With a legacy token, send it again with \u{201c}Resend the email\u{201d} ticked; on a Grid org, resend it from Slack's admin pages."),
    e("failed_looking_up_user",
      "Slack could not find the person this call is about.",
      CHECK_USER),
    e("failed_to_send_invite",
      "Slack accepted the invitation but could not send the email.",
      "Check the address, then try again in a few minutes."),
    e("failed_to_validate_caller",
      "The account behind this token is not allowed to invite people or change guests.",
      "Connect with a token of an org admin or owner, installed on the whole org."),
    e("failed_to_validate_channels",
      "Slack did not accept the chosen channels: at least one is missing, archived, or not in this workspace.",
      "Choose at least one channel of the workspace the person is invited to, and leave out archived ones."),
    e("failed_to_validate_custom_message",
      "Slack did not accept the custom message of the invitation.",
      "Shorten the message or remove unusual characters, or send the invitation without one."),
    e("failed_to_validate_expiration",
      "Slack did not accept the guest expiration date.",
      "Pick a date in the future, or send no expiration."),
    e("failed_to_validate_team",
      "Slack did not accept the workspace this call was made for.",
      "Pick the workspace again from the list; with an org token, choose a workspace of that org."),
    e("feature_not_enabled",
      "Slack's Admin API (admin.* methods) only works on an Enterprise Grid org, and this workspace is not part of one.",
      "The console will invite with users.admin.invite if you connect with a legacy token, or through SCIM if you connect through the proxy (Business+ plans). On a Grid org, install the app on the whole org rather than on one workspace."),
    e("not_an_admin",
      "The account behind this token is not an admin or owner of the org.",
      ASK_OWNER),
    e("team_not_found",
      "Slack does not know this workspace, or the token's org does not include it.",
      "Pick the workspace again from the list; it may have been removed from the org."),
    e("invalid_role_for_user",
      "This role does not fit the person: their role on another workspace of the org does not allow it (for example a guest there).",
      "Change their role on the other workspace first, or choose a different role."),
    e("invited_user_not_created",
      "Slack could not create the account for this person.",
      RETRY),
    e("invited_user_not_reactivated",
      "Slack could not reactivate this person's deactivated account.",
      RETRY),
    e("invitor_cannot_see_channel",
      "The token's user is not a member of one or more of the chosen channels, so Slack will not add someone else to them.",
      "Have the token's user join those channels, or leave them out."),
    e("user_already_team_member",
      "This person is already an active member of that workspace.",
      "Nothing to do. To change their role, use the role actions under Members."),
    e("user_is_bot",
      "This account is a bot of an app; this action only works for people.",
      "Manage the bot from its app's settings instead."),
    e("users_not_found",
      "No member of this workspace or org has that email address.",
      "Check the address for typos; someone who was only invited has no account yet (look under Invitations)."),
    e("user_not_visible",
      "The token cannot see this member: they are in a workspace or a shared channel the token does not reach.",
      "Use an org-wide admin token, or look the member up from a workspace they belong to."),
    e("user_not_found",
      "Slack does not know this user, or the user is not in this org.",
      CHECK_USER),
    e("no_perms",
      "The account behind this token does not have the permissions for this action.",
      ASK_OWNER),
    e("not_permitted",
      "Slack does not permit this action here.",
      "Check the org's settings and the person's role; an org owner may need to do it."),
    e("paid_teams_only",
      "This feature is only available on paid Slack plans.",
      "Upgrade the workspace's plan, or manage this person in Slack's own admin pages."),
    e("target_team_not_on_org",
      "The chosen workspace is not part of the org this token belongs to.",
      "Pick a workspace of this org, or connect with a token of the other org."),
    e("user_is_not_guest",
      "This person is not a guest, so there is no guest expiration to read.",
      "Nothing to do: only multi-channel and single-channel guests can expire."),
    e("include_deactivated_user_workspaces_invalid",
      "\u{201c}Include workspaces of deactivated users\u{201d} only works with an org token and no workspace chosen.",
      "Clear the workspace filter, or turn that option off."),
    e("invalid_cursor",
      "The page marker sent to Slack was not valid, usually because the list changed or the marker expired.",
      "Reload the list from the first page."),
    e("cannot_modify_primary_owner",
      "The primary owner's account cannot be changed or removed.",
      "Transfer primary ownership first in Slack's admin pages if this change is really needed."),
    e("failed_to_remove_user_from_workspace",
      "Slack could not remove this person from the workspace.",
      RETRY),
    e("invalid_permissions",
      "Only org owners and admins can do this, and the token's account is neither.",
      ASK_OWNER),
    e("user_already_deleted",
      "This person's account has already been deactivated.",
      "Nothing to do. Reload the member list to see their current state."),
    e("failed_to_set_admin_on_workspaces",
      "Slack made the person an admin on some workspaces but not on all of them.",
      "Reload the member list to see where it worked, then try again for the rest."),
    e("failed_to_set_user_to_admin",
      "Slack could not make this person an admin.",
      RETRY),
    e("failed_to_set_expiration",
      "Slack could not set the guest's expiration date.",
      RETRY),
    e("team_id_required_for_enterprise",
      "This org has several workspaces, so Slack needs to know which one this is for.",
      "Choose a workspace and try again."),
    e("user_is_already_deleted",
      "This person's account has already been deleted and disabled.",
      "Nothing to do. Reload the member list to see their current state."),
    e("user_is_deactivated",
      "This person's account is deactivated, so it cannot be changed this way.",
      "Reactivate the account first in Slack's admin pages or through SCIM."),
    e("user_is_not_a_guest",
      "This person is not a guest; only guests can have an expiration date.",
      "Make them a guest first, or leave the expiration out."),
    e("failed_to_set_owner_on_workspaces",
      "Slack made the person an owner on some workspaces but not on all of them.",
      "Reload the member list to see where it worked, then try again for the rest."),
    e("failed_to_set_user_to_owner",
      "Slack could not make this person an owner.",
      RETRY),
    e("not_an_owner",
      "Only org owners can do this, and the account that installed the app is not an org owner (any more).",
      "Have an org owner install the app on the org, then connect with the new token."),
    e("not_supported",
      "Slack does not support this change for this person.",
      "Check the person's current role; some role changes must be made in Slack's admin pages."),
    e("user_must_be_in_workspace",
      "This person must be a member of at least one workspace of the org for this change.",
      "Add them to a workspace first (\u{201c}Add to workspace\u{201d}), then try again."),
    e("cannot_set_org_admin_to_regular_at_workspace_level",
      "This person is an org admin, which cannot be undone for a single workspace.",
      "Make the change at the org level: choose the org instead of a workspace."),
    e("cannot_set_this_guest_to_regular_at_team_level",
      "This guest is active on several workspaces, so they cannot be made a regular member of just one.",
      "Make the change at the org level, or remove them from the other workspaces first."),
    e("failed_to_set_user_to_regular",
      "Slack could not make this person a regular member.",
      RETRY),

    // ---- admin.inviteRequests.approve / .deny (their method pages; failed_to_send_invite,
    // feature_not_enabled, not_an_admin and team_not_found are above)
    e(INVALID_REQUEST,
      "Slack knows no invite request with this ID: it may have been withdrawn or expired, or belong to another workspace.",
      "Reload the inbox to see the current requests."),
    e(ALREADY_PROCESSED,
      "This invite request has already been approved or denied, so it cannot be decided again.",
      "Nothing to do. The approved and denied history shows who decided it and when."),
    e(INVALID_ARGUMENTS,
      "Slack did not accept one of the values sent with this call.",
      "Check the values in the form (IDs, dates, numbers) and try again."),
    e("missing_argument",
      "A value this call needs was not sent; with a token installed on the whole org, it is the workspace (team_id).",
      "Choose the workspace and try again. If it keeps happening, please report it with the code shown."),

    // ---- arguments and access (seen from Slack and raised by the sim)
    e("invalid_limit",
      "The page size asked for is outside what Slack allows for this list.",
      "Ask for between 1 and 1000 items per page."),
    e("limit_required",
      "This list is too large to fetch in one go, so Slack wants it in pages.",
      "Fetch the list page by page (the console does this when a page size is set)."),
    e("invalid_types",
      "Slack did not accept the kinds of channels asked for.",
      "Ask for public_channel, private_channel, mpim or im only."),
    e("team_access_not_granted",
      "The token has not been granted access to this workspace.",
      "Pick a workspace the app is installed on, or install the app on the whole org."),
    e("already_accepted",
      "This invitation has already been accepted: the person is a member now.",
      "Nothing to do. Find them under Members."),
    e("invite_not_found",
      "There is no pending invitation for this person.",
      "Send a new invitation instead."),

    // ---- errors every method can return (reference)
    e("not_authed",
      "No token was sent with the call.",
      "Connect again: paste a token, or check that the proxy has one configured."),
    e("invalid_auth",
      "Slack did not accept the token: it is mistyped, belongs to another workspace, or was never valid.",
      RECONNECT),
    e("token_revoked",
      "This token has been revoked, or the app was uninstalled.",
      "Reinstall the app (or create a new token) and connect again."),
    e("token_expired",
      "This token has expired.",
      "Refresh or recreate the token and connect again."),
    e("account_inactive",
      "The account behind this token has been deactivated.",
      "Connect with a token of an active admin or owner."),
    e("no_permission",
      "The token's workspace or app does not have permission for this call.",
      "Check the app's installation and permissions, or ask an org owner to grant access."),
    e("not_allowed_token_type",
      "This kind of token cannot call this method (for example a bot token where a user token is needed).",
      "Connect with a user token (xoxp-) of an org admin or owner; users.admin.invite needs a legacy token."),
    e("org_login_required",
      "The workspace is being migrated into an Enterprise Grid org and the user must sign in again first.",
      "Sign in to Slack in the browser, then connect again."),
    e("team_added_to_org",
      "The workspace was just moved into an Enterprise Grid org, so this token no longer works.",
      "Install the app on the org and connect with the new token."),
    e("ratelimited",
      "Slack asked the console to slow down: too many calls of this kind in a short time.",
      "Wait a moment; the console waits and retries queued calls on its own."),
    e("fatal_error",
      "Slack hit an unexpected problem and could not finish the call. It may or may not have taken effect.",
      "Reload to check whether the change happened before trying again."),
    e("internal_error",
      "Slack had an internal problem with this call. It may or may not have taken effect.",
      "Reload to check whether the change happened, then try again."),
    e("request_timeout",
      "Slack took too long to handle the call.",
      "Try again in a moment; reload first if it was a change, to avoid doing it twice."),
    e("service_unavailable",
      "Slack is temporarily unavailable.",
      RETRY),
    e("invalid_arg_name",
      "Slack did not understand the name of one of the values sent.",
      CONSOLE_BUG),
    e("invalid_array_arg",
      "Slack did not accept a list sent in the wrong shape.",
      CONSOLE_BUG),
    e("invalid_charset",
      "Slack did not accept the character encoding of the request.",
      CONSOLE_BUG),
    e("invalid_form_data",
      "Slack could not read the form data of the request.",
      CONSOLE_BUG),
    e("invalid_post_type",
      "Slack did not accept the request's content type.",
      CONSOLE_BUG),
    e("missing_post_type",
      "The request did not say what kind of content it carries.",
      CONSOLE_BUG),
    e("invalid_json",
      "Slack could not read the JSON of the request.",
      CONSOLE_BUG),
    e("json_not_object",
      "Slack expected a JSON object in the request and got something else.",
      CONSOLE_BUG),
    e("upgrade_required",
      "Slack says this client is too old for this call.",
      "Update the console to its latest version."),

    // ---- seen in practice
    e("invite_limit_reached",
      "Slack is refusing more invitations for now: too many are pending or were not accepted.",
      "Wait a day, and revoke old pending invitations in Slack's admin pages before inviting more."),
    e("unknown_method",
      "Slack does not know this method: it may have been retired or renamed.",
      "Update the console; if you use the proxy, check that it forwards this method."),
    e("method_deprecated",
      "Slack has retired this method.",
      "Update the console to a version that uses the method's replacement."),
    e("two_factor_setup_required",
      "The account behind this token must set up two-factor authentication first.",
      "Turn on two-factor authentication for that account, then connect again."),
    e("unknown_error",
      "Slack refused the call without saying why.",
      "Try again; if it keeps happening, reload and check the person's state in Slack."),

    // ---- SCIM (through the proxy)
    e(scim::SCIM_INVALID_REQUEST,
      "Slack's SCIM service did not accept the request: a value is missing or malformed.",
      "Check the user name and email address, then try again."),
    e(scim::SCIM_UNAUTHORIZED,
      "Slack's SCIM service did not accept the proxy's token.",
      "Give the proxy a valid token of an admin or owner with the admin scope."),
    e(scim::SCIM_FORBIDDEN,
      "Slack's SCIM service refused this: SCIM needs a Business+ or Enterprise Grid plan, and an owner or admin token.",
      "Check the plan and that the token's account is still an owner or admin."),
    e(scim::SCIM_NOT_FOUND,
      "Slack's SCIM service has no user with this ID.",
      "Reload the member list; the account may have been removed."),
    e(scim::SCIM_CONFLICT,
      "An account with this user name or email address already exists.",
      "Find the existing account under Members, or choose another user name."),
    e(scim::SCIM_ERROR,
      "Slack's SCIM service refused the request.",
      "Check the values and try again; the note from Slack below may say more."),

    // ---- this crate's own codes (SlackError::code)
    e("http_error",
      "The call failed before Slack could answer it properly: the server replied with an HTTP error.",
      "Try again in a moment. If it keeps happening with the proxy, check that the proxy is running."),
    e("network_error",
      "The call did not reach Slack, or the answer did not come back: the network failed, the browser blocked the request, or the connection dropped.",
      "Check the internet connection and try again. If it keeps failing in token mode, a browser extension or network policy may be blocking Slack: use the proxy."),
    e(crate::pagination::CURSOR_REPEATED,
      "The list would never end: the server sent a page cursor it had already sent, so the console stopped reading it.",
      "Try again. If it keeps happening, the server answering for Slack (a proxy or a local slack-sim) has a paging bug."),
    e(crate::pagination::TOO_MANY_PAGES,
      "The list went on for more pages than the console reads at once (10,000), so it stopped.",
      "Narrow the list (one workspace, a filter) and try again."),
    e(SANDBOX_UNAVAILABLE,
      "The sandbox org could not be loaded in this tab.",
      "Reload the page to try again. Connecting with a token still works."),
    e(CONSOLE_UNAVAILABLE,
      "The connection worked, but the console's pages could not be loaded.",
      "Reload the page to try again (a remembered connection reconnects by itself). If it keeps failing, the site may be in the middle of an update: wait a minute."),
    e("remembered_connection_refused",
      "The connection remembered in this browser was not used: its token or address did not pass the checks a typed one must pass (another site at this address may have written it).",
      "Connect again with your token; it was forgotten."),
    e("undecodable_response",
      "Slack's answer could not be read: it was not the answer this call expects.",
      "Try again. If it keeps happening, something between the console and Slack (a proxy, login portal or firewall) may be changing the answers."),
];

const N: usize = ENTRIES.len();

const CODES: [&str; N] = {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = ENTRIES[i].code;
        i += 1;
    }
    out
};

/// Every code with an entry of its own.
pub fn known_codes() -> &'static [&'static str] {
    &CODES
}

/// The console's own code: the sandbox's worker did not start (the reason is the detail).
pub const SANDBOX_UNAVAILABLE: &str = "sandbox_unavailable";
/// The console's own code: the console module did not load after connecting.
pub const CONSOLE_UNAVAILABLE: &str = "console_unavailable";

fn entry(code: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.code == code)
}

/// Explains a failed call. `method` is the Web API method that failed, when known; it lets
/// `missing_scope` name the scope when Slack did not.
pub fn explain(error: &SlackError, method: Option<&str>) -> Explanation {
    let code = error.code();
    match error {
        SlackError::RateLimited { retry_after } => {
            let secs = if *retry_after == 1 {
                "1 second".to_owned()
            } else {
                format!("{retry_after} seconds")
            };
            Explanation {
                code: code.to_owned(),
                summary: format!(
                    "Slack asked the console to slow down and wait {secs} before the next call: too many calls of this kind in a short time."
                ),
                fix: format!(
                    "Wait {secs}; the console waits and retries queued calls on its own."
                ),
            }
        }
        SlackError::Http { status: 0, .. } => from_entry(code),
        SlackError::Http { status, message } => http(*status, message),
        SlackError::Decode { .. } => from_entry(code),
        SlackError::Api {
            needed,
            provided,
            detail,
            ..
        } => {
            if code == "missing_scope" {
                return missing_scope(needed.as_deref(), provided.as_deref(), method);
            }
            let mut out = match entry(code) {
                Some(_) => from_entry(code),
                None => fallback(code, method),
            };
            if let Some(m) = method {
                route_specific(code, m, &mut out);
            }
            if code == "feature_not_enabled" {
                if let Some(m) = method {
                    out.summary = format!(
                        "{m} is part of Slack's Admin API, which only works on an Enterprise Grid org, and this workspace is not part of one."
                    );
                }
            }
            let shows_detail = entry(code).is_none()
                || code.starts_with("scim_")
                || code == SANDBOX_UNAVAILABLE
                || code == CONSOLE_UNAVAILABLE;
            if let (true, Some(d)) = (shows_detail, detail.as_deref().map(str::trim)) {
                if !d.is_empty() {
                    out.summary = if code.starts_with("scim_") || entry(code).is_none() {
                        format!("{} Slack's note: \u{201c}{d}\u{201d}.", out.summary)
                    } else {
                        format!("{} The browser said: {d}.", out.summary)
                    };
                }
            }
            out
        }
    }
}

/// What is true of a code on one method only.
fn route_specific(code: &str, method: &str, out: &mut Explanation) {
    match (code, method) {
        // admin.users.invite's `resend` does not send the email again; it only lets an admin
        // resend the invitation later from Slack's own pages (seed 003: "Resending can only
        // be done via the UI").
        ("already_invited" | "already_in_team_invited_user", "admin.users.invite") => {
            out.fix = "Nothing to do unless they lost the email. admin.users.invite cannot send it again: resend it from Slack's admin pages (Manage members \u{203a} Invitations), where invitations sent with \u{201c}Allow resending\u{201d} can be resent.".to_owned();
        }
        // users.admin.invite with `resend` does email the person again.
        ("already_invited" | "already_in_team_invited_user", "users.admin.invite") => {
            out.fix = "Nothing to do unless they lost the email: send it again with \u{201c}Resend the email\u{201d} ticked.".to_owned();
        }
        ("failed_to_send_invite", m) if m.starts_with("admin.inviteRequests.") => {
            out.summary =
                "Slack could not send the invitation for this request, so it stays pending."
                    .to_owned();
            out.fix = "Check that the address can receive email and that the request's channels still exist, then approve it again.".to_owned();
        }
        _ => {}
    }
}

/// Explains a bare code, as the activity log stores it.
pub fn explain_code(code: &str) -> Explanation {
    match code {
        "missing_scope" => missing_scope(None, None, None),
        _ => match entry(code) {
            Some(_) => from_entry(code),
            None => fallback(code, None),
        },
    }
}

fn from_entry(code: &str) -> Explanation {
    let e = entry(code).expect("from_entry is only called for known codes");
    Explanation {
        code: e.code.to_owned(),
        summary: e.summary.to_owned(),
        fix: e.fix.to_owned(),
    }
}

/// The explanation of a code that has no entry: it still shows the code verbatim.
pub fn fallback(code: &str, method: Option<&str>) -> Explanation {
    let during = method.map(|m| format!(" to {m}")).unwrap_or_default();
    Explanation {
        code: code.to_owned(),
        summary: format!(
            "Slack refused the call{during} with the code \u{201c}{code}\u{201d}, which this console does not explain yet."
        ),
        fix: "Look the code up in Slack's documentation for the method, check the values you sent, and try again. Mention the code when asking for help.".to_owned(),
    }
}

fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("\u{201c}{s}\u{201d}"))
        .collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        _ => {
            let (last, rest) = quoted.split_last().expect("two or more");
            format!("{} or {last}", rest.join(", "))
        }
    }
}

fn split_scopes(s: &str) -> Vec<&str> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn missing_scope(
    needed: Option<&str>,
    provided: Option<&str>,
    method: Option<&str>,
) -> Explanation {
    let needed: Vec<&str> = match needed.map(split_scopes) {
        Some(list) if !list.is_empty() => list,
        _ => method
            .and_then(methods::info)
            .map(|info| info.scopes.to_vec())
            .unwrap_or_default(),
    };
    let for_method = method
        .map(|m| format!(" that {m} needs"))
        .unwrap_or_default();
    let mut summary = match needed.len() {
        0 => format!("The token lacks a permission (scope){for_method}."),
        1 => format!(
            "The token lacks the permission (scope) {}{for_method}.",
            quoted_list(&needed)
        ),
        _ => format!(
            "The token lacks a permission (scope){for_method}: one of {}.",
            quoted_list(&needed)
        ),
    };
    match provided.map(split_scopes) {
        Some(list) if !list.is_empty() => {
            summary.push_str(&format!(" It has: {}.", list.join(", ")));
        }
        Some(_) => summary.push_str(" It has no scopes at all."),
        None => {}
    }
    let scope_words = match needed.len() {
        0 => "the missing scope".to_owned(),
        1 => format!("the {} scope", quoted_list(&needed)),
        _ => format!("the {} scope", quoted_list(&needed)),
    };
    let legacy = needed.contains(&"client");
    let fix = if legacy {
        "users.admin.invite only works with a legacy token, which carries the \u{201c}client\u{201d} scope; Slack no longer issues new ones. Connect with an existing legacy token, or use the Admin API (Enterprise Grid) or SCIM through the proxy.".to_owned()
    } else if needed.iter().any(|s| s.starts_with("admin.")) {
        format!(
            "Add {scope_words} to the app under OAuth & Permissions (User Token Scopes), have an org admin or owner reinstall it on the whole Enterprise Grid org, then connect with the new token."
        )
    } else {
        format!(
            "Add {scope_words} to the app under OAuth & Permissions, reinstall the app, then connect with the new token."
        )
    };
    Explanation {
        code: "missing_scope".to_owned(),
        summary,
        fix,
    }
}

fn http(status: u16, message: &str) -> Explanation {
    let reason = if message.trim().is_empty() {
        String::new()
    } else {
        format!(" ({})", message.trim())
    };
    let (summary, fix) = match status {
        401 | 403 => (
            format!("The server refused the call with HTTP {status}{reason}: the token or the proxy's access key was not accepted."),
            "Check the token, or the proxy's access key, and connect again.".to_owned(),
        ),
        404 => (
            format!("The server answered HTTP {status}{reason}: the address of this call does not exist there."),
            "Check the proxy's address; if you use the proxy, make sure it allows this call.".to_owned(),
        ),
        500..=599 => (
            format!("Slack (or the proxy in between) had a problem and answered HTTP {status}{reason}."),
            RETRY.to_owned(),
        ),
        _ => (
            format!("The call failed with HTTP {status}{reason} instead of an answer from Slack."),
            entry("http_error").expect("http_error has an entry").fix.to_owned(),
        ),
    };
    Explanation {
        code: "http_error".to_owned(),
        summary,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in known_codes() {
            assert!(seen.insert(*code), "duplicate entry for {code}");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
        }
    }
}
