//! Checks shared by every form and CSV import. Each refusal is a [`FieldError`] whose message
//! says what is wrong and how to fix it. Nothing here reads a clock: "now" is passed in.

use crate::ids::{ChannelId, EnterpriseId, InviteRequestId, TeamId, UserId};
use thiserror::Error;

/// The longest email address accepted (RFC 5321's path limit, less the brackets), in bytes.
pub const EMAIL_MAX: usize = 254;
/// The longest part before the `@`, in bytes (RFC 5321).
pub const EMAIL_LOCAL_MAX: usize = 64;
/// The longest part of a domain between dots, in bytes (RFC 1035).
pub const DOMAIN_LABEL_MAX: usize = 63;
/// Shortest and longest Slack ID accepted (`U0123ABCD` is 9; Slack's grow over time).
pub const ID_MIN: usize = 9;
pub const ID_MAX: usize = 20;
/// Invite request IDs are opaque (`Ir1234`…): any letters and digits up to this length.
pub const INVITE_REQUEST_ID_MAX: usize = 64;
/// Slack's limit for a member's full name, in characters.
pub const REAL_NAME_MAX: usize = 80;
/// The console's cap on an invitation's custom message, in characters. Slack documents no
/// limit and refuses some messages with `failed_to_validate_custom_message`; 1,000 characters
/// is well above what an invite email shows.
pub const CUSTOM_MESSAGE_MAX: usize = 1000;
/// Slack user names (SCIM `userName`): at most this many characters.
pub const USER_NAME_MAX: usize = 80;
/// Guest expirations further ahead than this are refused: ten years, in seconds.
pub const EXPIRATION_MAX_AHEAD: i64 = 10 * 365 * 24 * 3600 + 2 * 24 * 3600;

/// Why a value was refused. `Display` is the message to show next to the field.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FieldError {
    #[error("The {what} is empty. {hint}")]
    Empty {
        what: &'static str,
        hint: &'static str,
    },
    #[error("“{input}” is not an email address: it has no @. Write it as name@example.com.")]
    EmailNoAt { input: String },
    #[error(
        "“{input}” has more than one @. An email address has exactly one, as in name@example.com."
    )]
    EmailSeveralAt { input: String },
    #[error(
        "“{input}” has nothing before the @. Write the name part too, as in name@example.com."
    )]
    EmailNoLocalPart { input: String },
    #[error("“{input}” has nothing after the @. Add the domain, as in name@example.com.")]
    EmailNoDomain { input: String },
    #[error("“{input}” has no dot after the @. Write the whole domain, as in name@example.com.")]
    EmailDomainWithoutDot { input: String },
    #[error("“{input}” contains a space. Remove it; an email address has no spaces.")]
    EmailSpace { input: String },
    #[error("“{input}” contains two dots in a row. Remove one of them.")]
    EmailConsecutiveDots { input: String },
    #[error("“{input}” has a dot at the start or end of the part before the @. Remove that dot.")]
    EmailLocalPartDotAtEdge { input: String },
    #[error("“{input}” is too long for an email address ({len} bytes; at most {EMAIL_MAX}). Check that only one address was pasted.")]
    EmailTooLong { input: String, len: usize },
    #[error(
        "“{input}” has too long a part before the @ ({len} bytes; at most {EMAIL_LOCAL_MAX})."
    )]
    EmailLocalPartTooLong { input: String, len: usize },
    #[error("“{input}” has an invalid domain: “{label}” {reason}. Check the part after the @.")]
    EmailBadDomainLabel {
        input: String,
        label: String,
        reason: &'static str,
    },
    #[error("“{input}” contains {shown}, which an email address cannot have. Remove it.")]
    EmailBadCharacter { input: String, shown: String },
    #[error("The {what} contains an invisible control character (such as a tab or line break). Retype it or paste it as plain text.")]
    ControlCharacter { what: &'static str },
    #[error("“{input}” looks like {looks_like}, not {expected}. Pick the {expected_short} again.")]
    WrongIdKind {
        input: String,
        looks_like: &'static str,
        expected: &'static str,
        expected_short: &'static str,
    },
    #[error("“{input}” is not {expected}: those start with {prefixes}, like {example}.")]
    IdPrefix {
        input: String,
        expected: &'static str,
        prefixes: String,
        example: String,
    },
    #[error("“{input}” is not {expected}: Slack IDs are capital letters and digits only, like {example}.")]
    IdCharacters {
        input: String,
        expected: &'static str,
        example: String,
    },
    #[error("“{input}” is {problem} to be {expected} ({len} characters; Slack's have {ID_MIN} to {ID_MAX}). Check that it was copied whole.")]
    IdLength {
        input: String,
        expected: &'static str,
        problem: &'static str,
        len: usize,
    },
    #[error("“{input}” is a channel name, not a channel ID. Pick the channel from the list; IDs look like {example}.")]
    ChannelName { input: String, example: String },
    #[error("“{input}” is not an invite request ID: those are letters and digits only, at most {INVITE_REQUEST_ID_MAX}.")]
    InviteRequestId { input: String },
    #[error("The expiration {when} is not in the future. Pick a later date.")]
    ExpirationInPast { when: String },
    #[error("The expiration {when} is more than ten years ahead. Pick an earlier date, or send no expiration.")]
    ExpirationTooFar { when: String },
    #[error("The expiration {ts} looks like milliseconds, not seconds. Divide it by 1000.")]
    ExpirationInMilliseconds { ts: i64 },
    #[error("The {what} is too long ({len} characters; at most {max}). Shorten it.")]
    TooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("“{input}” is not a valid user name: it contains a space. Use letters, digits, dots, dashes or underscores.")]
    UserNameSpace { input: String },
}

/// Shows user input inside a message: control characters escaped, long input shortened.
fn shown(input: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (i, c) in input.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() || is_invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Zero-width and direction-changing characters: invisible, and never part of an address.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

fn describe_char(c: char) -> String {
    if is_invisible(c) {
        format!("an invisible character ({})", c.escape_unicode())
    } else {
        format!("“{c}”")
    }
}

/// Characters allowed in the part before the `@` besides letters and digits (RFC 5322
/// `atext`); any non-ASCII letter is allowed too (RFC 6531).
const LOCAL_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";

/// Checks an email address. Returns it trimmed, with an ASCII domain lower-cased.
///
/// Accepts plus-addressing, subdomains, and non-ASCII addresses (RFC 6531). Refuses quoted
/// local parts and IP-address domains, which Slack does not take either.
pub fn email(input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::Empty {
            what: "email address",
            hint: "Write it as name@example.com.",
        });
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::ControlCharacter {
            what: "email address",
        });
    }
    let input = shown(s);
    if s.chars().any(char::is_whitespace) {
        return Err(FieldError::EmailSpace { input });
    }
    let (local, domain) = match s.split_once('@') {
        None => return Err(FieldError::EmailNoAt { input }),
        Some((_, rest)) if rest.contains('@') => return Err(FieldError::EmailSeveralAt { input }),
        Some(parts) => parts,
    };
    if local.is_empty() {
        return Err(FieldError::EmailNoLocalPart { input });
    }
    if domain.is_empty() {
        return Err(FieldError::EmailNoDomain { input });
    }
    if s.len() > EMAIL_MAX {
        return Err(FieldError::EmailTooLong {
            input,
            len: s.len(),
        });
    }
    if local.len() > EMAIL_LOCAL_MAX {
        return Err(FieldError::EmailLocalPartTooLong {
            input,
            len: local.len(),
        });
    }
    if let Some(c) = s.chars().find(|c| is_invisible(*c)) {
        return Err(FieldError::EmailBadCharacter {
            input,
            shown: describe_char(c),
        });
    }
    if s.contains("..") {
        return Err(FieldError::EmailConsecutiveDots { input });
    }
    if local.starts_with('.') || local.ends_with('.') {
        return Err(FieldError::EmailLocalPartDotAtEdge { input });
    }
    if let Some(c) = local
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(*c) || !c.is_ascii()))
    {
        return Err(FieldError::EmailBadCharacter {
            input,
            shown: describe_char(c),
        });
    }
    let bad_label = |label: &str, reason| FieldError::EmailBadDomainLabel {
        input: input.clone(),
        label: shown(label),
        reason,
    };
    if domain.starts_with('.') || domain.ends_with('.') {
        return Err(bad_label(domain, "starts or ends with a dot"));
    }
    if !domain.contains('.') {
        return Err(FieldError::EmailDomainWithoutDot { input });
    }
    for label in domain.split('.') {
        if let Some(c) = label.chars().find(|c| !(c.is_alphanumeric() || *c == '-')) {
            return Err(FieldError::EmailBadCharacter {
                input,
                shown: describe_char(c),
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad_label(label, "starts or ends with a dash"));
        }
        if label.len() > DOMAIN_LABEL_MAX {
            return Err(bad_label(label, "is longer than 63 characters"));
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if tld.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad_label(
            tld,
            "is a number, but a domain ends in a name such as com",
        ));
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// An ID newtype with its kind and prefix letters, for [`id`].
pub trait SlackId: From<String> {
    /// "user ID".
    const KIND: &'static str;
    /// The letters IDs of this kind start with; empty: opaque IDs.
    const PREFIXES: &'static [char];
    /// A made-up example for messages.
    const EXAMPLE: &'static str;
}

macro_rules! slack_id {
    ($t:ty, $example:literal) => {
        impl SlackId for $t {
            const KIND: &'static str = <$t>::KIND;
            const PREFIXES: &'static [char] = <$t>::PREFIXES;
            const EXAMPLE: &'static str = $example;
        }
    };
}

slack_id!(UserId, "U0123ABCDE");
slack_id!(TeamId, "T0123ABCDE");
slack_id!(ChannelId, "C0123ABCDE");
slack_id!(EnterpriseId, "E0123ABCDE");
slack_id!(InviteRequestId, "Ir0123ABCDE");

/// What an ID starting with this letter is, with its article ("a user ID").
fn kind_of_prefix(c: char) -> Option<&'static str> {
    Some(match c {
        'U' | 'W' => "a user ID",
        'T' => "a workspace ID",
        'C' | 'G' => "a channel ID",
        'E' => "an org ID",
        'B' => "a bot ID",
        'D' => "a direct-message ID",
        'S' => "a user group ID",
        'F' => "a file ID",
        'A' => "an app ID",
        _ => return None,
    })
}

fn with_article(kind: &'static str) -> &'static str {
    match kind {
        "user ID" => "a user ID",
        "workspace ID" => "a workspace ID",
        "channel ID" => "a channel ID",
        "org ID" => "an org ID",
        "invite request ID" => "an invite request ID",
        _ => "the right kind of ID",
    }
}

fn or_list(prefixes: &[char]) -> String {
    let letters: Vec<String> = prefixes.iter().map(char::to_string).collect();
    match letters.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// `#general`, `team-ops`: a channel name where an ID belongs. Lower-case IDs (`c0123abcd`)
/// are not names.
fn looks_like_channel_name(s: &str) -> bool {
    let name = s.strip_prefix('#').unwrap_or(s);
    let name_chars = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_lowercase() || c.is_numeric() || c == '-' || c == '_' || c == '.');
    let lower_case_id = name.starts_with(['c', 'g'])
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && (ID_MIN..=ID_MAX).contains(&name.len())
        && name.chars().any(|c| c.is_ascii_digit());
    s.starts_with('#') || (name_chars && !lower_case_id)
}

/// Checks a Slack ID of the kind `T` (prefix letter, capitals and digits, 9 to 20 characters;
/// invite request IDs: any letters and digits). Returns it trimmed.
pub fn id<T: SlackId>(input: &str) -> Result<T, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::Empty {
            what: T::KIND,
            hint: "Pick one from the list or paste it from Slack.",
        });
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::ControlCharacter { what: T::KIND });
    }
    let expected = with_article(T::KIND);
    let shown_input = shown(s);
    if T::PREFIXES.is_empty() {
        if s.len() > INVITE_REQUEST_ID_MAX || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(FieldError::InviteRequestId { input: shown_input });
        }
        return Ok(T::from(s.to_owned()));
    }
    if T::KIND == ChannelId::KIND && looks_like_channel_name(s) {
        return Err(FieldError::ChannelName {
            input: shown_input,
            example: T::EXAMPLE.to_owned(),
        });
    }
    let first = s.chars().next().expect("not empty");
    let upper = first.to_ascii_uppercase();
    if !T::PREFIXES.contains(&upper) {
        if let Some(looks_like) = kind_of_prefix(upper) {
            if s.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(FieldError::WrongIdKind {
                    input: shown_input,
                    looks_like,
                    expected,
                    expected_short: T::KIND.trim_end_matches(" ID"),
                });
            }
        }
        return Err(FieldError::IdPrefix {
            input: shown_input,
            expected,
            prefixes: or_list(T::PREFIXES),
            example: T::EXAMPLE.to_owned(),
        });
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Err(FieldError::IdCharacters {
            input: shown_input,
            expected,
            example: T::EXAMPLE.to_owned(),
        });
    }
    let len = s.len();
    if !(ID_MIN..=ID_MAX).contains(&len) {
        return Err(FieldError::IdLength {
            input: shown_input,
            expected,
            problem: if len < ID_MIN {
                "too short"
            } else {
                "too long"
            },
            len,
        });
    }
    Ok(T::from(s.to_owned()))
}

/// Checks a guest expiration (seconds since the epoch): after `now_seconds`, and no more than
/// ten years ahead.
pub fn expiration(ts_seconds: i64, now_seconds: i64) -> Result<i64, FieldError> {
    if ts_seconds <= now_seconds {
        return Err(FieldError::ExpirationInPast {
            when: utc(ts_seconds),
        });
    }
    let ahead = |ts: i64| i128::from(ts) - i128::from(now_seconds);
    if ahead(ts_seconds) > i128::from(EXPIRATION_MAX_AHEAD) {
        let as_seconds = ts_seconds / 1000;
        if as_seconds > now_seconds && ahead(as_seconds) <= i128::from(EXPIRATION_MAX_AHEAD) {
            return Err(FieldError::ExpirationInMilliseconds { ts: ts_seconds });
        }
        return Err(FieldError::ExpirationTooFar {
            when: utc(ts_seconds),
        });
    }
    Ok(ts_seconds)
}

/// `2024-05-01 12:00 UTC`, computed without a clock (Howard Hinnant's civil-from-days).
pub fn utc(ts_seconds: i64) -> String {
    let days = ts_seconds.div_euclid(86_400);
    let secs = ts_seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60
    )
}

fn free_text(
    input: &str,
    what: &'static str,
    max: usize,
    allow_newlines: bool,
) -> Result<String, FieldError> {
    let s = input.trim();
    let allowed = |c: char| allow_newlines && matches!(c, '\n' | '\r' | '\t');
    // Zero-width joiners are kept: emoji sequences use them.
    let refused = |c: char| (c.is_control() && !allowed(c)) || (is_invisible(c) && c != '\u{200D}');
    if s.chars().any(refused) {
        return Err(FieldError::ControlCharacter { what });
    }
    let len = s.chars().count();
    if len > max {
        return Err(FieldError::TooLong { what, len, max });
    }
    Ok(s.to_owned())
}

/// Checks a full name: trimmed, at most [`REAL_NAME_MAX`] characters, one line. Empty is
/// allowed (the name is optional); callers send `None` for it.
pub fn real_name(input: &str) -> Result<String, FieldError> {
    free_text(input, "full name", REAL_NAME_MAX, false)
}

/// Checks an invitation's custom message: trimmed, at most [`CUSTOM_MESSAGE_MAX`] characters;
/// line breaks and tabs are allowed. Empty is allowed (no message).
pub fn custom_message(input: &str) -> Result<String, FieldError> {
    free_text(input, "custom message", CUSTOM_MESSAGE_MAX, true)
}

/// Checks a user name (SCIM `userName`): not empty, one word, at most [`USER_NAME_MAX`].
pub fn user_name(input: &str) -> Result<String, FieldError> {
    let s = free_text(input, "user name", USER_NAME_MAX, false)?;
    if s.is_empty() {
        return Err(FieldError::Empty {
            what: "user name",
            hint: "Write one, for example the part of the email address before the @.",
        });
    }
    if s.chars().any(char::is_whitespace) {
        return Err(FieldError::UserNameSpace { input: shown(&s) });
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(input: &str) -> FieldError {
        email(input).expect_err(input)
    }

    #[test]
    fn accepts_ordinary_addresses_trimmed_with_the_domain_lower_cased() {
        assert_eq!(email("  ana@example.com \n").unwrap(), "ana@example.com");
        assert_eq!(
            email("Ana.Lima@Example.COM").unwrap(),
            "Ana.Lima@example.com"
        );
        assert_eq!(
            email("ana+slack@example.com").unwrap(),
            "ana+slack@example.com"
        );
        assert_eq!(
            email("a@mail.eu.example.co.uk").unwrap(),
            "a@mail.eu.example.co.uk"
        );
        assert_eq!(email("o'brien@ex-ample.io").unwrap(), "o'brien@ex-ample.io");
        assert_eq!(
            email("x@xn--bcher-kva.example").unwrap(),
            "x@xn--bcher-kva.example"
        );
    }

    #[test]
    fn accepts_internationalised_addresses() {
        assert_eq!(email("josé@bücher.de").unwrap(), "josé@bücher.de");
        assert_eq!(email("用户@例子.广告").unwrap(), "用户@例子.广告");
        assert_eq!(
            email("δοκιμή@παράδειγμα.δοκιμή").unwrap(),
            "δοκιμή@παράδειγμα.δοκιμή"
        );
    }

    #[test]
    fn qwe_has_no_at() {
        let e = refused("qwe");
        assert_eq!(
            e,
            FieldError::EmailNoAt {
                input: "qwe".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "“qwe” is not an email address: it has no @. Write it as name@example.com."
        );
    }

    #[test]
    fn empty_and_blank_are_refused() {
        for s in ["", "   ", "\t\n"] {
            assert!(matches!(refused(s), FieldError::Empty { .. }), "{s:?}");
        }
        assert!(refused("").to_string().contains("name@example.com"));
    }

    #[test]
    fn missing_parts_are_named() {
        assert!(matches!(
            refused("@example.com"),
            FieldError::EmailNoLocalPart { .. }
        ));
        assert!(matches!(refused("ana@"), FieldError::EmailNoDomain { .. }));
        assert!(matches!(
            refused("ana@localhost"),
            FieldError::EmailDomainWithoutDot { .. }
        ));
        assert!(matches!(
            refused("ana@b@example.com"),
            FieldError::EmailSeveralAt { .. }
        ));
    }

    #[test]
    fn spaces_and_control_characters_are_refused() {
        assert!(matches!(
            refused("ana lima@example.com"),
            FieldError::EmailSpace { .. }
        ));
        assert!(matches!(
            refused("ana@exa mple.com"),
            FieldError::EmailSpace { .. }
        ));
        assert!(matches!(
            refused("ana\u{a0}@example.com"),
            FieldError::EmailSpace { .. }
        ));
        assert!(matches!(
            refused("ana\u{0}@example.com"),
            FieldError::ControlCharacter { .. }
        ));
        assert!(matches!(
            refused("an\na@example.com"),
            FieldError::ControlCharacter { .. }
        ));
        let e = refused("ana\u{200b}@example.com");
        assert!(matches!(e, FieldError::EmailBadCharacter { .. }));
        assert!(e.to_string().contains("invisible"), "{e}");
    }

    #[test]
    fn dots_in_the_wrong_places_are_refused() {
        assert!(matches!(
            refused("ana..lima@example.com"),
            FieldError::EmailConsecutiveDots { .. }
        ));
        assert!(matches!(
            refused("ana@example..com"),
            FieldError::EmailConsecutiveDots { .. }
        ));
        assert!(matches!(
            refused(".ana@example.com"),
            FieldError::EmailLocalPartDotAtEdge { .. }
        ));
        assert!(matches!(
            refused("ana.@example.com"),
            FieldError::EmailLocalPartDotAtEdge { .. }
        ));
        assert!(matches!(
            refused("ana@.example.com"),
            FieldError::EmailBadDomainLabel { .. }
        ));
        assert!(matches!(
            refused("ana@example.com."),
            FieldError::EmailBadDomainLabel { .. }
        ));
    }

    #[test]
    fn lengths_are_limited() {
        let local = "a".repeat(64);
        assert!(email(&format!("{local}@example.com")).is_ok());
        let e = refused(&format!("{local}a@example.com"));
        assert!(matches!(
            e,
            FieldError::EmailLocalPartTooLong { len: 65, .. }
        ));
        let label = "d".repeat(63);
        let long = format!("ana@{label}.{label}.{label}.{}.com", "d".repeat(55));
        assert_eq!(long.len(), 255);
        assert!(matches!(
            refused(&long),
            FieldError::EmailTooLong { len: 255, .. }
        ));
        let fits = format!("ana@{label}.{label}.{label}.{}.com", "d".repeat(54));
        assert_eq!(fits.len(), 254);
        assert!(email(&fits).is_ok());
        let e = refused(&format!("ana@{}.com", "d".repeat(64)));
        assert!(matches!(e, FieldError::EmailBadDomainLabel { .. }));
        // Long input is shortened in the message.
        assert!(e.to_string().contains('…'));
    }

    #[test]
    fn bad_domain_labels_are_refused() {
        for s in [
            "ana@-example.com",
            "ana@example-.com",
            "ana@exa_mple.com",
            "ana@[192.168.0.1]",
            "ana@192.168.0.1",
            "ana@example.com:25",
        ] {
            let e = refused(s);
            assert!(
                matches!(
                    e,
                    FieldError::EmailBadDomainLabel { .. } | FieldError::EmailBadCharacter { .. }
                ),
                "{s}: {e:?}"
            );
        }
    }

    #[test]
    fn quoted_and_odd_local_parts_are_refused() {
        for s in [
            "\"ana\"@example.com",
            "ana,lima@example.com",
            "<ana@example.com>",
            "ana;@x.com",
        ] {
            assert!(
                matches!(refused(s), FieldError::EmailBadCharacter { .. }),
                "{s}"
            );
        }
        assert!(refused("a(b)@example.com").to_string().contains("“(”"));
    }

    #[test]
    fn ids_of_each_kind() {
        assert_eq!(
            id::<UserId>(" U0123ABCD ").unwrap(),
            UserId::from("U0123ABCD")
        );
        assert_eq!(
            id::<UserId>("W0123ABCD").unwrap(),
            UserId::from("W0123ABCD")
        );
        assert_eq!(
            id::<TeamId>("T0123ABCD").unwrap(),
            TeamId::from("T0123ABCD")
        );
        assert_eq!(
            id::<ChannelId>("C0123ABCD").unwrap(),
            ChannelId::from("C0123ABCD")
        );
        assert_eq!(
            id::<ChannelId>("G0123ABCD").unwrap(),
            ChannelId::from("G0123ABCD")
        );
        assert_eq!(
            id::<EnterpriseId>("E0123ABCD").unwrap(),
            EnterpriseId::from("E0123ABCD")
        );
        assert_eq!(
            id::<InviteRequestId>("Ir1234").unwrap(),
            InviteRequestId::from("Ir1234")
        );
        assert_eq!(
            id::<InviteRequestId>("1234").unwrap(),
            InviteRequestId::from("1234")
        );
    }

    #[test]
    fn an_id_of_the_wrong_kind_says_what_it_looks_like() {
        let e = id::<ChannelId>("U123").unwrap_err();
        assert_eq!(
            e.to_string(),
            "“U123” looks like a user ID, not a channel ID. Pick the channel again."
        );
        let e = id::<UserId>("T0123ABCD").unwrap_err();
        assert!(
            e.to_string()
                .contains("looks like a workspace ID, not a user ID"),
            "{e}"
        );
        let e = id::<TeamId>("E0123ABCD").unwrap_err();
        assert!(e.to_string().contains("looks like an org ID"), "{e}");
        let e = id::<UserId>("B0123ABCD").unwrap_err();
        assert!(e.to_string().contains("bot ID"), "{e}");
    }

    #[test]
    fn bad_ids_are_refused_with_the_reason() {
        let e = id::<ChannelId>("Z0123ABCD").unwrap_err();
        assert!(matches!(e, FieldError::IdPrefix { .. }), "{e:?}");
        assert!(e.to_string().contains("start with C or G"), "{e}");
        for name in ["general", "#general", "team-ops", "#Random"] {
            let e = id::<ChannelId>(name).unwrap_err();
            assert!(matches!(e, FieldError::ChannelName { .. }), "{name}: {e:?}");
        }
        assert!(matches!(
            id::<ChannelId>("c0123abcd").unwrap_err(),
            FieldError::IdCharacters { .. }
        ));
        let e = id::<UserId>("u0123abcd").unwrap_err();
        assert!(matches!(e, FieldError::IdCharacters { .. }), "{e:?}");
        let e = id::<UserId>("U0123-ABCD").unwrap_err();
        assert!(matches!(e, FieldError::IdCharacters { .. }), "{e:?}");
        let e = id::<UserId>("U0123").unwrap_err();
        assert!(matches!(e, FieldError::IdLength { len: 5, .. }), "{e:?}");
        assert!(e.to_string().contains("too short"));
        let e = id::<UserId>(&format!("U{}", "1".repeat(20))).unwrap_err();
        assert!(e.to_string().contains("too long"));
        assert!(matches!(
            id::<TeamId>("  ").unwrap_err(),
            FieldError::Empty { .. }
        ));
        assert!(matches!(
            id::<UserId>("U0123\tABCD").unwrap_err(),
            FieldError::ControlCharacter { .. }
        ));
        assert!(matches!(
            id::<InviteRequestId>("Ir-12").unwrap_err(),
            FieldError::InviteRequestId { .. }
        ));
        assert!(id::<InviteRequestId>(&"1".repeat(65)).is_err());
    }

    const NOW: i64 = 1_714_564_800; // 2024-05-01 12:00 UTC

    #[test]
    fn expirations_must_be_ahead_but_not_absurdly() {
        assert_eq!(expiration(NOW + 86_400, NOW), Ok(NOW + 86_400));
        let e = expiration(NOW, NOW).unwrap_err();
        assert_eq!(
            e.to_string(),
            "The expiration 2024-05-01 12:00 UTC is not in the future. Pick a later date."
        );
        assert!(matches!(
            expiration(0, NOW),
            Err(FieldError::ExpirationInPast { .. })
        ));
        assert!(expiration(NOW + 10 * 365 * 86_400, NOW).is_ok());
        let e = expiration(NOW + 11 * 365 * 86_400, NOW).unwrap_err();
        assert!(e.to_string().contains("ten years"), "{e}");
        let e = expiration((NOW + 86_400) * 1000, NOW).unwrap_err();
        assert!(
            matches!(e, FieldError::ExpirationInMilliseconds { .. }),
            "{e:?}"
        );
        assert!(expiration(i64::MAX, NOW).is_err());
        assert!(expiration(i64::MIN, NOW).is_err());
    }

    #[test]
    fn dates_print_in_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(NOW), "2024-05-01 12:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59 UTC");
    }

    #[test]
    fn real_names_are_one_line_and_short() {
        assert_eq!(real_name("  Ana Lima ").unwrap(), "Ana Lima");
        assert_eq!(real_name("").unwrap(), "");
        assert_eq!(
            real_name("José Ñúñez-O'Brien").unwrap(),
            "José Ñúñez-O'Brien"
        );
        assert!(real_name(&"é".repeat(REAL_NAME_MAX)).is_ok());
        let e = real_name(&"a".repeat(REAL_NAME_MAX + 1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "The full name is too long (81 characters; at most 80). Shorten it."
        );
        assert!(matches!(
            real_name("Ana\nLima").unwrap_err(),
            FieldError::ControlCharacter { .. }
        ));
        assert!(real_name("Ana\u{202e}Lima").is_err());
    }

    #[test]
    fn custom_messages_allow_line_breaks_within_the_cap() {
        assert_eq!(
            custom_message(" Welcome!\n\nSee #general.\r\n ").unwrap(),
            "Welcome!\n\nSee #general."
        );
        assert!(custom_message(&"x".repeat(CUSTOM_MESSAGE_MAX)).is_ok());
        assert!(matches!(
            custom_message(&"x".repeat(CUSTOM_MESSAGE_MAX + 1)).unwrap_err(),
            FieldError::TooLong {
                max: CUSTOM_MESSAGE_MAX,
                ..
            }
        ));
        assert!(matches!(
            custom_message("hi\u{7}").unwrap_err(),
            FieldError::ControlCharacter { .. }
        ));
    }

    #[test]
    fn user_names_are_one_word() {
        assert_eq!(user_name(" ana.lima ").unwrap(), "ana.lima");
        assert!(matches!(
            user_name("").unwrap_err(),
            FieldError::Empty { .. }
        ));
        assert!(matches!(
            user_name("ana lima").unwrap_err(),
            FieldError::UserNameSpace { .. }
        ));
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn email_never_panics_and_is_idempotent(s in "\\PC*") {
                if let Ok(ok) = email(&s) {
                    prop_assert_eq!(email(&ok), Ok(ok.clone()));
                }
            }

            #[test]
            fn email_never_panics_on_any_chars(s in any::<String>()) {
                if let Ok(ok) = email(&s) {
                    prop_assert_eq!(email(&ok), Ok(ok.clone()));
                }
            }

            #[test]
            fn email_like_strings_are_idempotent(
                s in "[ a-zA-Z0-9.+_@é\u{200b}-]{0,12}@[a-zA-Zü0-9.-]{0,12}\\.[a-zA-Z]{0,4} ?"
            ) {
                if let Ok(ok) = email(&s) {
                    prop_assert_eq!(email(&ok), Ok(ok.clone()));
                    prop_assert_eq!(ok.matches('@').count(), 1);
                }
            }

            #[test]
            fn id_checks_never_panic(s in any::<String>()) {
                let _ = id::<UserId>(&s);
                let _ = id::<ChannelId>(&s);
                let _ = id::<InviteRequestId>(&s);
                let _ = real_name(&s);
                let _ = custom_message(&s);
            }

            #[test]
            fn expiration_never_panics(ts in any::<i64>(), now in any::<i64>()) {
                let _ = expiration(ts, now).map_err(|e| e.to_string());
            }
        }
    }
}
