//! From a parsed CSV to a table of invitations the admin checks before sending: how the
//! columns were read ([`Mapping`]), what applies to empty cells ([`Defaults`]), and for each
//! row the invitation or the reasons it cannot be sent ([`PreviewRow`]).
//!
//! Rows are re-validated as a whole ([`rebuild`], [`edit`]) because a fix in one row can make
//! another a duplicate or stop it being one; that takes well under a millisecond per hundred
//! rows.

use super::csv::Table;
use super::dates::parse_expiration;
use super::directory::{split_channels, ChannelDirectory};
use super::{check_all_but_email, Field, Invitation, InviteRoute, MemberType, Problem};
use crate::ids::ChannelId;
use crate::validate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Which column (0-based) feeds each field; `None`: no column.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub email: Option<usize>,
    pub name: Option<usize>,
    pub first_name: Option<usize>,
    pub last_name: Option<usize>,
    pub member_type: Option<usize>,
    pub channels: Option<usize>,
    pub expiration: Option<usize>,
    pub message: Option<usize>,
}

/// Header names (lower case, `_`/`-` as spaces) and the field each means.
const HEADER_NAMES: &[(Field, &[&str])] = &[
    (
        Field::Email,
        &[
            "email",
            "e mail",
            "mail",
            "address",
            "email address",
            "e mail address",
            "emails",
        ],
    ),
    (
        Field::Name,
        &[
            "name",
            "full name",
            "real name",
            "fullname",
            "realname",
            "display name",
        ],
    ),
    (
        Field::FirstName,
        &["first", "first name", "given name", "firstname", "forename"],
    ),
    (
        Field::LastName,
        &["last", "last name", "surname", "family name", "lastname"],
    ),
    (
        Field::MemberType,
        &[
            "type",
            "member type",
            "role",
            "account type",
            "user type",
            "invite type",
        ],
    ),
    (
        Field::Channels,
        &[
            "channels",
            "channel",
            "channel ids",
            "channel names",
            "channel id",
        ],
    ),
    (
        Field::Expiration,
        &[
            "expiration",
            "expires",
            "expiry",
            "guest expiration",
            "expiration date",
            "expires at",
            "expires on",
            "expiration ts",
            "guest expiration ts",
        ],
    ),
    (
        Field::Message,
        &[
            "message",
            "custom message",
            "note",
            "notes",
            "welcome message",
        ],
    ),
];

/// Data rows looked at to guess columns by their content.
const GUESS_ROWS: usize = 200;

impl Mapping {
    pub fn get(&self, field: Field) -> Option<usize> {
        match field {
            Field::Email => self.email,
            Field::Name => self.name,
            Field::FirstName => self.first_name,
            Field::LastName => self.last_name,
            Field::MemberType => self.member_type,
            Field::Channels => self.channels,
            Field::Expiration => self.expiration,
            Field::Message => self.message,
        }
    }

    /// Maps `field` to `column`; a column feeds one field only, so any other field mapped to
    /// it is unmapped.
    pub fn set(&mut self, field: Field, column: Option<usize>) {
        if column.is_some() {
            for other in Field::ALL {
                if other != field && self.get(other) == column {
                    *self.slot(other) = None;
                }
            }
        }
        *self.slot(field) = column;
    }

    fn slot(&mut self, field: Field) -> &mut Option<usize> {
        match field {
            Field::Email => &mut self.email,
            Field::Name => &mut self.name,
            Field::FirstName => &mut self.first_name,
            Field::LastName => &mut self.last_name,
            Field::MemberType => &mut self.member_type,
            Field::Channels => &mut self.channels,
            Field::Expiration => &mut self.expiration,
            Field::Message => &mut self.message,
        }
    }

    /// The field a header cell names, if it is one of the known names.
    pub fn header_field(cell: &str) -> Option<Field> {
        let key = header_key(cell);
        let squashed = key.replace(' ', "");
        HEADER_NAMES.iter().find_map(|(field, names)| {
            names
                .iter()
                .any(|n| *n == key || n.replace(' ', "") == squashed)
                .then_some(*field)
        })
    }

    /// Guesses how to read `table`, and whether its first row is a header.
    ///
    /// The first row is a header when one of its cells is a known column name (`email`,
    /// `name`, `first name`, `type`, `channels`, `expires`, `message`…) and none is an email
    /// address. Without a header, columns are guessed by their content: the one whose cells
    /// are addresses is the email, words like `guest` make the type, `#names` and channel IDs
    /// the channels, dates the expiration, short text the name (two one-word columns side by
    /// side: first and last name), long text the message.
    pub fn guess(table: &Table) -> (Mapping, bool) {
        let mut mapping = Mapping::default();
        let first = table.rows.first().map(Vec::as_slice).unwrap_or_default();
        let has_header = first.iter().any(|c| Self::header_field(c).is_some())
            && !first.iter().any(|c| validate::email(c).is_ok());
        let data_from = usize::from(has_header);
        let stats: Vec<ColumnStats> = (0..table.width())
            .map(|col| ColumnStats::of(table, col, data_from))
            .collect();
        if has_header {
            for (col, cell) in first.iter().enumerate() {
                if let Some(field) = Self::header_field(cell) {
                    if mapping.get(field).is_none() {
                        mapping.set(field, Some(col));
                    }
                }
            }
            if mapping.email.is_none() {
                let free: Vec<usize> = (0..stats.len())
                    .filter(|&c| !mapping.uses(c) && Self::header_field(table.cell(0, c)).is_none())
                    .collect();
                mapping.email = best(&stats, &free, |s| s.ratio(s.emails), 0.5);
            }
            return (mapping, true);
        }
        let mut free: Vec<usize> = (0..stats.len()).collect();
        let take = |pick: Option<usize>, free: &mut Vec<usize>| {
            if let Some(c) = pick {
                free.retain(|&f| f != c);
            }
            pick
        };
        mapping.email = take(best(&stats, &free, |s| s.ratio(s.emails), 0.5), &mut free);
        mapping.member_type = take(best(&stats, &free, |s| s.ratio(s.types), 0.6), &mut free);
        mapping.expiration = take(best(&stats, &free, |s| s.ratio(s.dates), 0.6), &mut free);
        mapping.channels = take(
            best(&stats, &free, |s| s.ratio(s.channel_refs), 0.6),
            &mut free,
        );
        let text: Vec<usize> = free
            .iter()
            .copied()
            .filter(|&c| stats[c].non_empty > 0 && stats[c].emails == 0)
            .collect();
        let long: Vec<usize> = text
            .iter()
            .copied()
            .filter(|&c| stats[c].is_long())
            .collect();
        let words: Vec<usize> = text
            .iter()
            .copied()
            .filter(|&c| !stats[c].is_long() && stats[c].avg_words() <= 1.1)
            .collect();
        let names: Vec<usize> = text
            .iter()
            .copied()
            .filter(|&c| !stats[c].is_long() && stats[c].avg_words() > 1.1)
            .collect();
        if let Some(&c) = names.first() {
            mapping.name = Some(c);
        } else if let Some(pair) = words.windows(2).find(|w| w[1] == w[0] + 1) {
            mapping.first_name = Some(pair[0]);
            mapping.last_name = Some(pair[1]);
        } else if let Some(&c) = words.first() {
            mapping.name = Some(c);
        }
        mapping.message = long.first().copied();
        (mapping, false)
    }

    fn uses(&self, column: usize) -> bool {
        Field::ALL.iter().any(|&f| self.get(f) == Some(column))
    }
}

fn header_key(cell: &str) -> String {
    cell.trim()
        .trim_start_matches('\u{FEFF}')
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The column among `columns` with the highest `score`, if at least `floor`.
fn best(
    stats: &[ColumnStats],
    columns: &[usize],
    score: impl Fn(&ColumnStats) -> f64,
    floor: f64,
) -> Option<usize> {
    let mut found: Option<(usize, f64)> = None;
    for &c in columns {
        let s = score(&stats[c]);
        if s >= floor && found.is_none_or(|(_, b)| s > b) {
            found = Some((c, s));
        }
    }
    found.map(|(c, _)| c)
}

/// What the non-empty cells of a column look like.
#[derive(Default)]
struct ColumnStats {
    non_empty: usize,
    emails: usize,
    types: usize,
    dates: usize,
    channel_refs: usize,
    words: usize,
    chars: usize,
}

impl ColumnStats {
    fn of(table: &Table, col: usize, from: usize) -> Self {
        let mut s = ColumnStats::default();
        for row in from..table.rows.len().min(from + GUESS_ROWS) {
            let cell = table.cell(row, col).trim();
            if cell.is_empty() {
                continue;
            }
            s.non_empty += 1;
            s.emails += usize::from(cell.contains('@') && validate::email(cell).is_ok());
            s.types += usize::from(MemberType::parse(cell).is_some());
            s.dates += usize::from(parse_expiration(cell).is_ok());
            s.channel_refs += usize::from(
                split_channels(cell)
                    .all(|r| r.starts_with('#') || validate::id::<ChannelId>(r).is_ok()),
            );
            s.words += cell.split_whitespace().count();
            s.chars += cell.chars().count();
        }
        s
    }

    fn ratio(&self, n: usize) -> f64 {
        if self.non_empty == 0 {
            0.0
        } else {
            n as f64 / self.non_empty as f64
        }
    }

    fn avg_words(&self) -> f64 {
        self.ratio(self.words)
    }

    /// Sentences rather than names: a message.
    fn is_long(&self) -> bool {
        self.ratio(self.chars) > 40.0 || self.avg_words() > 5.0
    }
}

/// What applies to a row that leaves a cell empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defaults {
    pub member_type: MemberType,
    pub channels: Vec<ChannelId>,
    pub custom_message: Option<String>,
    /// Applies to guest rows only (full members cannot expire).
    pub expiration_ts: Option<i64>,
    /// Resend to addresses invited before (every row).
    #[serde(default)]
    pub resend: bool,
}

/// The cells of one row as the admin wrote them (mapped, untrimmed): what the preview table
/// shows and edits in place.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowFields {
    pub email: String,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub member_type: String,
    pub channels: String,
    pub expiration: String,
    pub message: String,
}

impl RowFields {
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Email => &self.email,
            Field::Name => &self.name,
            Field::FirstName => &self.first_name,
            Field::LastName => &self.last_name,
            Field::MemberType => &self.member_type,
            Field::Channels => &self.channels,
            Field::Expiration => &self.expiration,
            Field::Message => &self.message,
        }
    }

    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        let slot = match field {
            Field::Email => &mut self.email,
            Field::Name => &mut self.name,
            Field::FirstName => &mut self.first_name,
            Field::LastName => &mut self.last_name,
            Field::MemberType => &mut self.member_type,
            Field::Channels => &mut self.channels,
            Field::Expiration => &mut self.expiration,
            Field::Message => &mut self.message,
        };
        *slot = value.into();
    }

    pub fn is_blank(&self) -> bool {
        Field::ALL.iter().all(|&f| self.get(f).trim().is_empty())
    }
}

/// What validation needs besides the rows.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub defaults: &'a Defaults,
    /// The channels of the workspace invited to.
    pub directory: &'a ChannelDirectory,
    /// Lower-cased addresses the console knows are members (empty when it does not know).
    pub known_members: &'a HashSet<String>,
    pub route: &'a InviteRoute,
    /// Seconds since the epoch.
    pub now_s: i64,
}

/// One row of the preview.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    /// The 1-based line of the file the row starts on.
    pub line: usize,
    pub fields: RowFields,
    /// The invitation to send; `None` when the row has problems.
    pub invitation: Option<Invitation>,
    /// Why the row cannot be sent, field by field; empty when it can.
    pub problems: Vec<Problem>,
}

impl PreviewRow {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems of one field (for marking cells).
    pub fn problems_of(&self, field: Field) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.field == field)
    }

    /// The problems as one sentence after another.
    pub fn reason(&self) -> String {
        let messages: Vec<&str> = self.problems.iter().map(|p| p.message.as_str()).collect();
        messages.join(" ")
    }
}

/// The rows of `table` read through `mapping`, with their line numbers; the header and blank
/// rows are left out.
pub fn extract(table: &Table, mapping: &Mapping, has_header: bool) -> Vec<(usize, RowFields)> {
    let from = usize::from(has_header);
    (from..table.rows.len())
        .filter(|&r| table.rows[r].iter().any(|c| !c.trim().is_empty()))
        .map(|r| {
            let mut fields = RowFields::default();
            for field in Field::ALL {
                if let Some(col) = mapping.get(field) {
                    fields.set(field, table.cell(r, col));
                }
            }
            (table.lines[r], fields)
        })
        .collect()
}

/// The preview of a parsed file.
pub fn build(
    table: &Table,
    mapping: &Mapping,
    has_header: bool,
    ctx: &Context<'_>,
) -> Vec<PreviewRow> {
    build_rows(extract(table, mapping, has_header), ctx)
}

/// The rows being fixed in the preview. Edits and removals name a row by its CSV line, never
/// by its position: a position goes stale as soon as an earlier row is removed, and an edit
/// through a stale one would change (or remove) the wrong person, or panic past the end. An
/// unknown line changes nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    rows: Vec<(usize, RowFields)>,
}

impl Draft {
    /// The rows as [`extract`] read them; a line that appears twice keeps its first row.
    pub fn new(rows: Vec<(usize, RowFields)>) -> Self {
        let mut seen = HashSet::new();
        Self {
            rows: rows.into_iter().filter(|(l, _)| seen.insert(*l)).collect(),
        }
    }

    pub fn rows(&self) -> &[(usize, RowFields)] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Sets one field of the row read from `line`; false when there is no such row.
    pub fn set(&mut self, line: usize, field: Field, value: impl Into<String>) -> bool {
        match self.rows.iter_mut().find(|(l, _)| *l == line) {
            Some((_, fields)) => {
                fields.set(field, value);
                true
            }
            None => false,
        }
    }

    /// Leaves the row read from `line` out; false when there is no such row.
    pub fn remove(&mut self, line: usize) -> bool {
        let before = self.rows.len();
        self.rows.retain(|(l, _)| *l != line);
        self.rows.len() != before
    }

    /// The preview of these rows.
    pub fn preview(&self, ctx: &Context<'_>) -> Vec<PreviewRow> {
        build_rows(self.rows.clone(), ctx)
    }
}

/// The preview of rows given as (line, cells): each validated, then duplicates and known
/// members marked across all of them.
pub fn build_rows(rows: Vec<(usize, RowFields)>, ctx: &Context<'_>) -> Vec<PreviewRow> {
    let mut out: Vec<PreviewRow> = rows
        .into_iter()
        .map(|(line, fields)| PreviewRow {
            line,
            fields,
            invitation: None,
            problems: Vec::new(),
        })
        .collect();
    rebuild(&mut out, ctx);
    out
}

/// Validates every row again from its fields (after an edit, or when the defaults, the
/// channels or the route changed).
pub fn rebuild(rows: &mut [PreviewRow], ctx: &Context<'_>) {
    let mut first_line: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for row in rows.iter_mut() {
        let (invitation, mut problems) = validate_row(&row.fields, ctx);
        if !problems.iter().any(|p| p.field == Field::Email) {
            let key = row.fields.email.trim().to_lowercase();
            if let Some(&line) = first_line.get(&key) {
                problems.insert(
                    0,
                    Problem::new(
                        Field::Email,
                        format!("Duplicate of row {line}: the same address is there, and only the first is sent. Remove this row or correct its address."),
                    ),
                );
            } else {
                first_line.insert(key.clone(), row.line);
                if ctx.known_members.contains(&key) {
                    problems.insert(
                        0,
                        Problem::new(
                            Field::Email,
                            "Already a member of this workspace, so there is nothing to send. Remove this row; to change their role or channels, find them under Members.",
                        ),
                    );
                }
            }
        }
        row.invitation = problems.is_empty().then_some(invitation);
        row.problems = problems;
    }
}

/// Sets one cell of row `index` and validates every row again. Out-of-range indexes are
/// ignored.
pub fn edit(
    rows: &mut [PreviewRow],
    index: usize,
    field: Field,
    value: impl Into<String>,
    ctx: &Context<'_>,
) {
    if let Some(row) = rows.get_mut(index) {
        row.fields.set(field, value);
        rebuild(rows, ctx);
    }
}

/// Removes row `index` and validates the rest again (a duplicate may now be the first).
pub fn remove(rows: &mut Vec<PreviewRow>, index: usize, ctx: &Context<'_>) {
    if index < rows.len() {
        rows.remove(index);
        rebuild(rows, ctx);
    }
}

/// Reads one row: its invitation (as far as it could be read) and its own problems.
fn validate_row(fields: &RowFields, ctx: &Context<'_>) -> (Invitation, Vec<Problem>) {
    let d = ctx.defaults;
    let mut problems = Vec::new();
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let member_type = match fields.member_type.trim() {
        "" => d.member_type,
        cell => MemberType::parse(cell).unwrap_or_else(|| {
            problems.push(Problem::new(
                Field::MemberType,
                format!("\u{201c}{cell}\u{201d} is not a member type. Write member, multi-channel guest or single-channel guest, or leave it empty for the default ({}).", d.member_type.label().to_lowercase()),
            ));
            d.member_type
        }),
    };
    let channels = if fields.channels.trim().is_empty() {
        d.channels.clone()
    } else {
        let (ids, errors) = ctx.directory.resolve_list(&fields.channels);
        problems.extend(errors.into_iter().map(|e| Problem::new(Field::Channels, e)));
        ids
    };
    let expiration_ts = match fields.expiration.trim() {
        "" => d.expiration_ts.filter(|_| member_type.is_guest()),
        cell => match parse_expiration(cell) {
            Ok(ts) => Some(ts),
            Err(e) => {
                problems.push(Problem::new(Field::Expiration, e));
                None
            }
        },
    };
    let custom_message = text(&fields.message).or_else(|| d.custom_message.clone());
    let mut invitation = Invitation {
        email: fields.email.trim().to_owned(),
        real_name: text(&fields.name),
        first_name: text(&fields.first_name),
        last_name: text(&fields.last_name),
        member_type,
        channels,
        expiration_ts,
        custom_message,
        resend: d.resend,
    };
    match validate::email(&invitation.email) {
        Ok(email) => invitation.email = email,
        Err(e) => problems.insert(0, Problem::new(Field::Email, e.to_string())),
    }
    let mut found = Vec::new();
    check_all_but_email(&invitation, ctx.route, ctx.now_s, &mut found);
    for p in found {
        if !problems.iter().any(|q| q.field == p.field) {
            problems.push(p);
        }
    }
    if let Some(m) = invitation.custom_message.as_deref() {
        invitation.custom_message = validate::custom_message(m).ok().filter(|m| !m.is_empty());
    }
    (invitation, problems)
}

/// How many rows can be sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub total: usize,
    pub valid: usize,
    pub invalid: usize,
}

pub fn summary(rows: &[PreviewRow]) -> Summary {
    let valid = rows.iter().filter(|r| r.is_valid()).count();
    Summary {
        total: rows.len(),
        valid,
        invalid: rows.len() - valid,
    }
}

/// The invitations of the valid rows, with their lines.
pub fn invitations(rows: &[PreviewRow]) -> Vec<(usize, Invitation)> {
    rows.iter()
        .filter_map(|r| r.invitation.clone().map(|inv| (r.line, inv)))
        .collect()
}
