//! The catalogue covers every error code the seeds and the reference list, and its special
//! entries say what they promise.

use slack_admin_core::catalogue::{self, explain, explain_code, fallback, known_codes};
use slack_admin_core::{scim, SlackError};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// A list of codes kept as data in `tests/data/`, one per line, `#` for comments.
fn code_list(file: &str) -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn is_code(s: &str) -> bool {
    s.contains('_')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.ends_with('_')
        && !s.contains("__")
}

/// Rows of an "Errors & Warnings" table: `code Description…`, one per line.
fn table_codes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("Errors & Warnings") {
        for line in text[i..].lines().skip(1) {
            let mut words = line.split_whitespace();
            let (Some(first), Some(second)) = (words.next(), words.next()) else {
                continue;
            };
            if is_code(first) && second.starts_with(|c: char| c.is_uppercase()) {
                out.push(first.to_owned());
            }
        }
    }
    out
}

/// A code in a list of `code- Description` items whose text was flattened, so that an item
/// may be glued to the end of the previous description ("…for this teaminvalid_role_for_user-
/// The requested…").
#[derive(Debug)]
enum Found {
    /// Clearly delimited: at a line start or after punctuation.
    Code(String),
    /// Glued to the previous word: the code is some suffix of it.
    Glued(String),
}

fn dash_list_codes(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("Errors the API can return:") {
        let section = &rest[start..];
        let end = section
            .find("See the Common Errors guide")
            .unwrap_or(section.len());
        let body = &section["Errors the API can return:".len()..end];
        let bytes = body.as_bytes();
        for (dash, _) in body.match_indices('-') {
            let mut from = dash;
            while from > 0 {
                let b = bytes[from - 1];
                if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' {
                    from -= 1;
                } else {
                    break;
                }
            }
            let run = &body[from..dash];
            if !run.contains('_') {
                continue; // a hyphenated word, not a code
            }
            let before = body[..from].chars().next_back();
            if matches!(before, Some(c) if c == ' ' || c.is_alphabetic()) {
                out.push(Found::Glued(run.to_owned()));
            } else {
                out.push(Found::Code(run.to_owned()));
            }
        }
        rest = &section[end..];
    }
    out
}

/// The known code a glued run ends with: the longest suffix in the catalogue whose leftover
/// prefix is a plain word (the last word of the previous description).
fn resolve_glued(run: &str) -> Option<String> {
    (0..run.len())
        .filter(|&i| run.is_char_boundary(i))
        .map(|i| (&run[..i], &run[i..]))
        .filter(|(word, _)| word.chars().all(|c| c.is_ascii_lowercase()))
        .find(|(_, code)| is_code(code) && known_codes().contains(code))
        .map(|(_, code)| code.to_owned())
}

/// Every code the seed documents list: extracted once from the seeds (`extract_seed_codes`,
/// which `the_extractor_reads_both_seed_formats` checks on samples of both their formats) and
/// kept in `tests/data/seed_error_codes.txt`, since a clone of the repository has no seeds.
fn seed_codes() -> BTreeSet<String> {
    code_list("seed_error_codes.txt").into_iter().collect()
}

/// The extraction that made `tests/data/seed_error_codes.txt`, for seeds given as
/// `(file name, text)`: rerun it by hand when the seeds change.
#[allow(dead_code)]
fn extract_seed_codes(seeds: &[(String, String)]) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let mut unresolved = Vec::new();
    for (name, text) in seeds {
        codes.extend(table_codes(text));
        for found in dash_list_codes(text) {
            match found {
                Found::Code(c) => {
                    codes.insert(c);
                }
                Found::Glued(run) => match resolve_glued(&run) {
                    Some(c) => {
                        codes.insert(c);
                    }
                    None => unresolved.push(format!("{name}: {run}")),
                },
            }
        }
    }
    assert!(
        unresolved.is_empty(),
        "error codes glued to text that match no catalogue entry: {unresolved:?}"
    );
    codes
}

#[test]
fn the_extractor_reads_both_seed_formats() {
    let table = table_codes(
        "Errors & Warnings\n\nError Description\nalready_invited User has already...\nmissing_scope Using a token\ntbd",
    );
    assert_eq!(table, ["already_invited", "missing_scope"]);

    let flat = "Errors the API can return:\nfeature_not_enabled- The Admin APIs feature is not enabled for this teaminvalid_role_for_user- The status.user_not_found-user_idwas not found.\nSee the Common Errors guide\ncomma-separated channel_ids- not an error";
    let found: Vec<String> = dash_list_codes(flat)
        .into_iter()
        .map(|f| match f {
            Found::Code(c) => c,
            Found::Glued(run) => resolve_glued(&run).unwrap(),
        })
        .collect();
    assert_eq!(
        found,
        [
            "feature_not_enabled",
            "invalid_role_for_user",
            "user_not_found"
        ]
    );
}

#[test]
fn the_seeds_yield_the_codes_they_list() {
    let codes = seed_codes();
    // A sample from each format, including codes glued to the previous description.
    for expected in [
        "already_invited",
        "sent_recently",
        "not_allowed",
        "invalid_email",
        "already_in_team_invited_user",
        "invalid_role_for_user",
        "not_an_admin",
        "target_team_not_on_org",
        "paid_teams_only",
        "user_is_not_guest",
        "user_is_not_a_guest",
        "team_id_required_for_enterprise",
        "cannot_set_org_admin_to_regular_at_workspace_level",
        "cannot_set_this_guest_to_regular_at_team_level",
        "user_must_be_in_workspace",
    ] {
        assert!(
            codes.contains(expected),
            "extractor missed {expected}: {codes:?}"
        );
    }
    assert!(codes.len() >= 52, "only {} codes: {codes:?}", codes.len());
}

#[test]
fn every_seed_code_has_its_own_entry() {
    for code in seed_codes() {
        assert!(
            known_codes().contains(&code.as_str()),
            "no entry for {code}"
        );
        let e = explain_code(&code);
        assert_ne!(e, fallback(&code, None), "{code} falls back");
    }
}

#[test]
fn every_common_error_of_the_reference_has_its_own_entry() {
    let codes = code_list("common_error_codes.txt");
    assert!(codes.len() >= 20, "{codes:?}");
    for code in codes
        .iter()
        .map(String::as_str)
        .chain(["invite_limit_reached", "ratelimited"])
    {
        assert!(known_codes().contains(&code), "no entry for {code}");
    }
}

#[test]
fn this_crates_own_codes_have_entries() {
    let errors = [
        SlackError::RateLimited { retry_after: 3 },
        SlackError::Http {
            status: 502,
            message: "Bad Gateway".into(),
        },
        SlackError::Http {
            status: 0,
            message: "failed to fetch".into(),
        },
        SlackError::Decode {
            message: "expected value".into(),
        },
        SlackError::api("unknown_error"),
    ];
    for error in errors {
        assert!(known_codes().contains(&error.code()), "{}", error.code());
        let e = explain(&error, None);
        assert_eq!(e.code, error.code());
        assert_ne!(e, fallback(error.code(), None));
    }
}

#[test]
fn invite_request_and_scim_codes_have_entries() {
    for code in [
        catalogue::INVALID_REQUEST,
        catalogue::ALREADY_PROCESSED,
        catalogue::INVALID_ARGUMENTS,
        catalogue::TEAM_ID_REQUIRED_FOR_ENTERPRISE,
        scim::SCIM_INVALID_REQUEST,
        scim::SCIM_UNAUTHORIZED,
        scim::SCIM_FORBIDDEN,
        scim::SCIM_NOT_FOUND,
        scim::SCIM_CONFLICT,
        scim::SCIM_ERROR,
    ] {
        assert!(known_codes().contains(&code), "{code}");
    }
}

#[test]
fn every_entry_is_specific_and_complete() {
    let mut summaries = BTreeSet::new();
    for code in known_codes() {
        let e = explain_code(code);
        let fb = fallback(code, None);
        assert_eq!(e.code, *code);
        assert!(!e.summary.trim().is_empty(), "{code}: empty summary");
        assert!(!e.fix.trim().is_empty(), "{code}: empty fix");
        assert_ne!(e.summary, fb.summary, "{code}");
        assert_ne!(e.fix, fb.fix, "{code}");
        for text in [&e.summary, &e.fix] {
            assert!(text.ends_with('.'), "{code}: {text:?} is not a sentence");
        }
        assert!(
            summaries.insert(e.summary.clone()),
            "{code} repeats a summary"
        );
    }
}

#[test]
fn unknown_codes_fall_back_and_show_the_code_verbatim() {
    let e = explain(
        &SlackError::api("brand_new_code_2031"),
        Some("admin.users.invite"),
    );
    assert_eq!(e.code, "brand_new_code_2031");
    assert!(
        e.summary.contains("\u{201c}brand_new_code_2031\u{201d}"),
        "{}",
        e.summary
    );
    assert!(e.summary.contains("admin.users.invite"), "{}", e.summary);
    assert!(!e.fix.is_empty());
    assert_eq!(explain_code("Weird Code!").code, "Weird Code!");
    assert!(explain_code("Weird Code!").summary.contains("Weird Code!"));
    // Slack's extra text is shown for codes the console does not know.
    let e = explain(
        &SlackError::Api {
            code: "odd".into(),
            needed: None,
            provided: None,
            detail: Some("something specific".into()),
        },
        None,
    );
    assert!(e.summary.contains("something specific"), "{}", e.summary);
}

#[test]
fn missing_scope_names_the_needed_and_provided_scopes() {
    let error = SlackError::Api {
        code: "missing_scope".into(),
        needed: Some("admin.users:write".into()),
        provided: Some("identify,users:read".into()),
        detail: None,
    };
    let e = explain(&error, Some("admin.users.invite"));
    assert!(e.summary.contains("admin.users:write"), "{}", e.summary);
    assert!(e.summary.contains("identify, users:read"), "{}", e.summary);
    assert!(e.summary.contains("admin.users.invite"), "{}", e.summary);
    assert!(e.fix.contains("admin.users:write"), "{}", e.fix);
    assert!(e.fix.contains("org"), "{}", e.fix);
}

#[test]
fn missing_scope_falls_back_to_the_methods_scopes() {
    let e = explain(
        &SlackError::api("missing_scope"),
        Some("admin.inviteRequests.approve"),
    );
    assert!(e.summary.contains("admin.invites:write"), "{}", e.summary);
    assert!(e.fix.contains("admin.invites:write"), "{}", e.fix);

    let e = explain(
        &SlackError::api("missing_scope"),
        Some("conversations.list"),
    );
    assert!(e.summary.contains("channels:read"), "{}", e.summary);
    assert!(e.summary.contains("groups:read"), "{}", e.summary);

    let e = explain(
        &SlackError::api("missing_scope"),
        Some("users.admin.invite"),
    );
    assert!(e.summary.contains("client"), "{}", e.summary);
    assert!(e.fix.contains("legacy token"), "{}", e.fix);

    // Nothing known: still a specific, complete sentence.
    let e = explain(&SlackError::api("missing_scope"), None);
    assert!(e.summary.contains("scope"));
    assert_ne!(e, fallback("missing_scope", None));
}

#[test]
fn not_allowed_explains_sso_and_offers_guests_or_scim() {
    let e = explain(&SlackError::api("not_allowed"), Some("users.admin.invite"));
    assert!(e.summary.contains("SSO"), "{}", e.summary);
    assert!(e.fix.contains("guest"), "{}", e.fix);
    assert!(e.fix.contains("SCIM"), "{}", e.fix);
}

#[test]
fn feature_not_enabled_explains_grid_and_the_alternatives() {
    let e = explain(
        &SlackError::api("feature_not_enabled"),
        Some("admin.users.list"),
    );
    assert!(e.summary.contains("Enterprise Grid"), "{}", e.summary);
    assert!(e.summary.contains("admin.users.list"), "{}", e.summary);
    assert!(e.fix.contains("users.admin.invite"), "{}", e.fix);
    assert!(e.fix.contains("legacy token"), "{}", e.fix);
    assert!(e.fix.contains("SCIM"), "{}", e.fix);
    assert!(e.fix.contains("proxy"), "{}", e.fix);
}

#[test]
fn ratelimited_mentions_the_wait_when_known() {
    let e = explain(&SlackError::RateLimited { retry_after: 30 }, None);
    assert!(e.summary.contains("30 seconds"), "{}", e.summary);
    let e = explain(&SlackError::RateLimited { retry_after: 1 }, None);
    assert!(e.summary.contains("1 second "), "{}", e.summary);
    let e = explain_code("ratelimited");
    assert!(!e.summary.contains("seconds"));
    assert!(e.summary.contains("slow down"));
}

#[test]
fn http_failures_name_the_status() {
    let e = explain(
        &SlackError::Http {
            status: 502,
            message: "Bad Gateway".into(),
        },
        None,
    );
    assert_eq!(e.code, "http_error");
    assert!(e.summary.contains("502"), "{}", e.summary);
    let e = explain(
        &SlackError::Http {
            status: 0,
            message: String::new(),
        },
        None,
    );
    assert_eq!(e.code, "network_error");
    assert!(e.summary.contains("network"), "{}", e.summary);
}

#[test]
fn explanations_display_as_one_paragraph() {
    let e = explain_code("already_invited");
    assert_eq!(e.to_string(), format!("{} {}", e.summary, e.fix));
}

#[test]
fn regression_resend_is_explained_as_it_works_on_each_route() {
    let refusal = SlackError::api("already_in_team_invited_user");
    // admin.users.invite's resend only allows a later resend from Slack's pages.
    let grid = explain(&refusal, Some("admin.users.invite"));
    assert!(grid.fix.contains("cannot send it again"), "{}", grid.fix);
    assert!(grid.fix.contains("Slack's admin pages"), "{}", grid.fix);
    assert!(!grid.fix.contains("ticked"), "{}", grid.fix);
    // users.admin.invite's resend sends the email again.
    let legacy = explain(
        &SlackError::api("already_invited"),
        Some("users.admin.invite"),
    );
    assert!(legacy.fix.contains("Resend the email"), "{}", legacy.fix);
    assert!(!legacy.fix.contains("cannot send"), "{}", legacy.fix);
}

#[test]
fn approve_and_deny_refusals_use_slacks_codes_and_explain_each() {
    for code in [
        "invalid_request",
        "already_processed",
        "failed_to_send_invite",
        "feature_not_enabled",
        "not_an_admin",
        "team_not_found",
        "team_id_required_for_enterprise",
    ] {
        for method in ["admin.inviteRequests.approve", "admin.inviteRequests.deny"] {
            let e = explain(&SlackError::api(code), Some(method));
            assert_ne!(e, fallback(code, Some(method)), "{code} on {method}");
            assert!(!e.summary.is_empty() && !e.fix.is_empty());
        }
    }
    let e = explain(
        &SlackError::api("failed_to_send_invite"),
        Some("admin.inviteRequests.approve"),
    );
    assert!(e.summary.contains("stays pending"), "{}", e.summary);
    assert!(!known_codes().contains(&"invite_request_not_found"));
}
