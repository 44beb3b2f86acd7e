//! Everyone in the org as the members page shows them, and the view over them: search as you
//! type, filter chips (each can be negated), sort by any column, and the whole view as a URL
//! query so that a link reproduces it. Pure functions: the page only draws what they return.

pub mod bulk;

use crate::ids::{TeamId, UserId};
use crate::methods::admin_users::AdminUser;
use crate::methods::users;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt::Write as _;

const DAY: i64 = 86_400;

/// Every row's search text (lower-case name, display name, email and ID) in one buffer, each
/// row's ended by a NUL, and beside it, for each ASCII byte and each pair of ASCII bytes, the
/// rows that hold it (a bit per row). A search of one or two letters is then a lookup; a
/// longer one reads only the rows holding every pair of its letters; only a search with other
/// characters scans the buffer (one pass over contiguous memory, a match never spanning two
/// rows).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchText {
    text: Vec<u8>,
    /// Where each row's text ends (the index of its NUL).
    ends: Vec<usize>,
    /// For each ASCII byte, the rows holding it, a bit per row (empty when none does).
    holds: Vec<Vec<u64>>,
    /// For each pair of ASCII bytes `a`, `b` (at `a * 128 + b`), the rows holding them side
    /// by side (empty when none does).
    pairs: Vec<Vec<u64>>,
}

/// Rows as bits: row `i` is bit `i % 64` of word `i / 64`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowSet(Vec<u64>);

impl RowSet {
    fn none(rows: usize) -> Self {
        RowSet(vec![0; rows.div_ceil(64)])
    }

    fn insert(&mut self, row: usize) {
        if let Some(w) = self.0.get_mut(row / 64) {
            *w |= 1 << (row % 64);
        }
    }

    pub fn contains(&self, row: usize) -> bool {
        self.0
            .get(row / 64)
            .is_some_and(|w| w & (1 << (row % 64)) != 0)
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(k, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let bit = w.trailing_zeros() as usize;
                    w &= w - 1;
                    k * 64 + bit
                })
            })
        })
    }
}

impl SearchText {
    pub fn new(rows: &[Row]) -> Self {
        let mut text = Vec::with_capacity(rows.iter().map(|r| r.haystack.len() + 1).sum());
        let mut ends = Vec::with_capacity(rows.len());
        let mut holds: Vec<Vec<u64>> = vec![Vec::new(); 128];
        let mut pairs: Vec<Vec<u64>> = vec![Vec::new(); 128 * 128];
        let words = rows.len().div_ceil(64);
        let set = |sets: &mut Vec<Vec<u64>>, slot: usize, row: usize| {
            let s = &mut sets[slot];
            if s.is_empty() {
                s.resize(words, 0);
            }
            s[row / 64] |= 1 << (row % 64);
        };
        for (i, r) in rows.iter().enumerate() {
            let bytes = r.haystack.as_bytes();
            for (k, &b) in bytes.iter().enumerate() {
                if !b.is_ascii() {
                    continue;
                }
                set(&mut holds, usize::from(b), i);
                if let Some(&next) = bytes.get(k + 1).filter(|n| n.is_ascii()) {
                    set(&mut pairs, usize::from(b) * 128 + usize::from(next), i);
                }
            }
            text.extend_from_slice(bytes);
            ends.push(text.len());
            text.push(0);
        }
        SearchText {
            text,
            ends,
            holds,
            pairs,
        }
    }

    /// Its size in bytes, the indexes included.
    pub fn bytes(&self) -> usize {
        self.text.len()
            + self.ends.len() * std::mem::size_of::<usize>()
            + self
                .holds
                .iter()
                .chain(&self.pairs)
                .map(|s| s.len() * 8)
                .sum::<usize>()
    }

    /// How many rows it was built from.
    pub fn rows(&self) -> usize {
        self.ends.len()
    }

    fn row_text(&self, row: usize) -> &[u8] {
        let start = match row {
            0 => 0,
            r => self.ends[r - 1] + 1,
        };
        &self.text[start..self.ends[row]]
    }

    /// Which rows contain `needle` (lower-case, without NUL).
    pub fn matching(&self, needle: &str) -> RowSet {
        let rows = self.ends.len();
        let needle = needle.as_bytes();
        if needle.is_ascii() && !needle.is_empty() {
            // The rows holding every letter (one) or every pair of letters (more).
            let sets: Vec<&Vec<u64>> = if needle.len() == 1 {
                vec![&self.holds[usize::from(needle[0])]]
            } else {
                needle
                    .windows(2)
                    .map(|w| &self.pairs[usize::from(w[0]) * 128 + usize::from(w[1])])
                    .collect()
            };
            if sets.iter().any(|s| s.is_empty()) {
                return RowSet::none(rows);
            }
            let mut candidates = RowSet(sets[0].clone());
            for s in &sets[1..] {
                candidates
                    .0
                    .iter_mut()
                    .zip(s.iter())
                    .for_each(|(w, h)| *w &= h);
            }
            if needle.len() <= 2 {
                return candidates;
            }
            let finder = memchr::memmem::Finder::new(needle);
            let mut found = RowSet::none(rows);
            for row in candidates.rows() {
                if finder.find(self.row_text(row)).is_some() {
                    found.insert(row);
                }
            }
            return found;
        }
        let finder = memchr::memmem::Finder::new(needle);
        let mut found = RowSet::none(rows);
        let mut at = 0;
        // Matches come in order, so the row holding one is found walking forward.
        let mut row = 0;
        while let Some(offset) = finder.find(&self.text[at..]) {
            let pos = at + offset;
            while self.ends.get(row).is_some_and(|&end| end <= pos) {
                row += 1;
            }
            let Some(&end) = self.ends.get(row) else {
                break;
            };
            found.insert(row);
            // One match is enough: go on from the next row.
            at = end + 1;
            if at >= self.text.len() {
                break;
            }
        }
        found
    }
}

/// A member's highest role.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    PrimaryOwner,
    Owner,
    Admin,
    #[default]
    Member,
}

/// What kind of account.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Full,
    MultiChannelGuest,
    SingleChannelGuest,
    Bot,
}

/// Where the account stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    #[default]
    Active,
    Deactivated,
    /// Invited, not signed up yet.
    Invited,
}

/// One row of the members table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    pub id: UserId,
    /// The full (real) name; may be empty: Slack sends none for some accounts.
    pub name: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub kind: Kind,
    pub status: Status,
    pub workspaces: Vec<TeamId>,
    /// `None` when Slack did not say (`users.list` does not).
    pub has_2fa: Option<bool>,
    pub has_sso: Option<bool>,
    /// When a guest's account expires (Unix seconds).
    pub expiration_ts: Option<i64>,
    /// Last activity (Unix seconds), where Slack sends it.
    pub last_active_ts: Option<i64>,
    /// Lower-case name, display name, email and ID, for search.
    haystack: String,
    /// Lower-case label and email, for sorting without allocating.
    label_key: String,
    email_key: String,
}

impl Row {
    /// A row from its parts; the search text is derived.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: UserId,
        name: &str,
        display_name: &str,
        email: &str,
        role: Role,
        kind: Kind,
        status: Status,
    ) -> Self {
        let mut row = Row {
            id,
            name: name.trim().to_owned(),
            display_name: display_name.trim().to_owned(),
            email: email.trim().to_owned(),
            role,
            kind,
            status,
            ..Row::default()
        };
        row.index();
        row
    }

    fn index(&mut self) {
        self.haystack = format!(
            "{}\n{}\n{}\n{}",
            self.name, self.display_name, self.email, self.id
        )
        .to_lowercase();
        self.label_key = self.label().to_lowercase();
        self.email_key = self.email.to_lowercase();
    }

    /// The name to show: the full name, else the display name, else the email, else the ID.
    pub fn label(&self) -> &str {
        [&self.name, &self.display_name, &self.email]
            .into_iter()
            .find(|s| !s.is_empty())
            .map(String::as_str)
            .unwrap_or(self.id.as_str())
    }

    pub fn is_guest(&self) -> bool {
        matches!(
            self.kind,
            Kind::MultiChannelGuest | Kind::SingleChannelGuest
        )
    }
}

fn role_of(primary: bool, owner: bool, admin: bool) -> Role {
    if primary {
        Role::PrimaryOwner
    } else if owner {
        Role::Owner
    } else if admin {
        Role::Admin
    } else {
        Role::Member
    }
}

fn kind_of(bot: bool, restricted: bool, ultra: bool) -> Kind {
    if bot {
        Kind::Bot
    } else if ultra {
        Kind::SingleChannelGuest
    } else if restricted {
        Kind::MultiChannelGuest
    } else {
        Kind::Full
    }
}

impl From<&AdminUser> for Row {
    /// `admin.users.list` (Grid).
    fn from(u: &AdminUser) -> Self {
        let status = if u.is_invited_user == Some(true) {
            Status::Invited
        } else if u.is_active {
            Status::Active
        } else {
            Status::Deactivated
        };
        let mut row = Row::new(
            u.id.clone(),
            &u.full_name,
            &u.username,
            &u.email,
            role_of(u.is_primary_owner, u.is_owner, u.is_admin),
            kind_of(u.is_bot, u.is_restricted, u.is_ultra_restricted),
            status,
        );
        row.workspaces = u.workspaces.clone();
        row.has_2fa = Some(u.has_2fa);
        row.has_sso = Some(u.has_sso);
        row.expiration_ts = u.expiration_ts.filter(|t| *t > 0);
        row.last_active_ts = u.last_active_ts.filter(|t| *t > 0);
        row
    }
}

impl From<&users::Member> for Row {
    /// `users.list` (any plan): no 2FA, SSO or activity data.
    fn from(m: &users::Member) -> Self {
        let name = if m.profile.real_name.is_empty() {
            &m.real_name
        } else {
            &m.profile.real_name
        };
        let status = if m.deleted {
            Status::Deactivated
        } else if m.is_invited_user == Some(true) {
            Status::Invited
        } else {
            Status::Active
        };
        let mut row = Row::new(
            m.id.clone(),
            name,
            &m.profile.display_name,
            m.profile.email.as_deref().unwrap_or_default(),
            role_of(m.is_primary_owner, m.is_owner, m.is_admin),
            kind_of(m.is_bot, m.is_restricted, m.is_ultra_restricted),
            status,
        );
        row.workspaces = m.team_id.iter().cloned().collect();
        row
    }
}

/// One filter chip.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Chip {
    Role(Role),
    Kind(Kind),
    Status(Status),
    Workspace(TeamId),
    /// Two-factor authentication off (members Slack says nothing about do not match).
    No2fa,
    NoSso,
    /// Guests whose account expires within this many days from now.
    ExpiringWithin(u32),
    /// Guests with no expiry.
    NoExpiry,
    /// No activity for this many days (members with no activity data do not match).
    InactiveFor(u32),
}

/// A chip, possibly negated ("not admin").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Filter {
    pub chip: Chip,
    pub negated: bool,
}

/// A column to sort by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Name,
    Email,
    Role,
    Kind,
    Workspaces,
    TwoFactor,
    Sso,
    Expiry,
    Status,
    LastActive,
}

/// Search, filters and sort: everything the URL query holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    pub search: String,
    /// All must match (AND).
    pub filters: Vec<Filter>,
    pub sort: SortKey,
    pub descending: bool,
}

impl Chip {
    /// Whether `row` carries this chip at `now` (Unix seconds).
    pub fn matches(&self, row: &Row, now: i64) -> bool {
        match self {
            Chip::Role(r) => row.role == *r,
            Chip::Kind(k) => row.kind == *k,
            Chip::Status(s) => row.status == *s,
            Chip::Workspace(t) => row.workspaces.contains(t),
            Chip::No2fa => row.has_2fa == Some(false),
            Chip::NoSso => row.has_sso == Some(false),
            Chip::ExpiringWithin(days) => {
                row.is_guest()
                    && row
                        .expiration_ts
                        .is_some_and(|t| t >= now && t <= now + i64::from(*days) * DAY)
            }
            Chip::NoExpiry => row.is_guest() && row.expiration_ts.is_none(),
            Chip::InactiveFor(days) => row
                .last_active_ts
                .is_some_and(|t| t <= now - i64::from(*days) * DAY),
        }
    }

    /// Whether the chip needs data Slack may not send (the page says so when none has it).
    pub fn needs_activity_data(&self) -> bool {
        matches!(self, Chip::InactiveFor(_))
    }

    /// The chip in words, as its button says it.
    pub fn label(&self) -> String {
        match self {
            Chip::Role(r) => role_label(*r).to_owned(),
            Chip::Kind(k) => kind_label(*k).to_owned(),
            Chip::Status(s) => status_label(*s).to_owned(),
            Chip::Workspace(t) => format!("in {t}"),
            Chip::No2fa => "2FA off".into(),
            Chip::NoSso => "SSO off".into(),
            Chip::ExpiringWithin(d) => format!("expiring within {d} days"),
            Chip::NoExpiry => "guests with no expiry".into(),
            Chip::InactiveFor(d) => format!("inactive for {d} days"),
        }
    }
}

pub fn role_label(r: Role) -> &'static str {
    match r {
        Role::PrimaryOwner => "primary owner",
        Role::Owner => "owner",
        Role::Admin => "admin",
        Role::Member => "member",
    }
}

pub fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Full => "full member",
        Kind::MultiChannelGuest => "multi-channel guest",
        Kind::SingleChannelGuest => "single-channel guest",
        Kind::Bot => "bot",
    }
}

pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Deactivated => "deactivated",
        Status::Invited => "invited",
    }
}

impl Filter {
    pub fn matches(&self, row: &Row, now: i64) -> bool {
        self.chip.matches(row, now) != self.negated
    }

    pub fn label(&self) -> String {
        if self.negated {
            format!("not {}", self.chip.label())
        } else {
            self.chip.label()
        }
    }
}

impl View {
    /// Whether `row` is in the view at `now`.
    pub fn matches(&self, row: &Row, now: i64) -> bool {
        let needle = self.search.trim().to_lowercase();
        (needle.is_empty() || row.haystack.contains(&needle))
            && self.filters.iter().all(|f| f.matches(row, now))
    }

    /// The indexes of the rows in the view, in its order. Ties fall back to the name, then the
    /// ID, so the order is total and stable between renders.
    pub fn apply(&self, rows: &[Row], now: i64) -> Vec<usize> {
        self.filter_sorted(rows, &self.sort_order(rows), now)
    }

    /// Every row in this view's order, whatever the search and filters: computed once per
    /// sort, so a keystroke only filters ([`View::filter_sorted`]).
    pub fn sort_order(&self, rows: &[Row]) -> Vec<usize> {
        let mut out: Vec<usize> = (0..rows.len()).collect();
        out.sort_by(|&a, &b| self.compare(&rows[a], &rows[b]));
        out
    }

    /// The rows of `sorted` (a [`View::sort_order`] of the same sort) in this view, in order.
    pub fn filter_sorted(&self, rows: &[Row], sorted: &[usize], now: i64) -> Vec<usize> {
        let needle = self.search.trim().to_lowercase();
        // The searcher is built once for the needle, not once per row.
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        sorted
            .iter()
            .copied()
            .filter(|&i| {
                rows.get(i).is_some_and(|r| {
                    (needle.is_empty() || finder.find(r.haystack.as_bytes()).is_some())
                        && self.filters.iter().all(|f| f.matches(r, now))
                })
            })
            .collect()
    }

    /// [`View::filter_sorted`] with the search done by `text` (built from the same `rows`):
    /// one pass over memory for the search, then the filters on the rows it found.
    pub fn filter_indexed(
        &self,
        rows: &[Row],
        sorted: &[usize],
        text: &SearchText,
        now: i64,
    ) -> Vec<usize> {
        let needle = self.search.trim().to_lowercase();
        // A few rows left (typing forward narrows): searching them alone is cheaper than
        // the whole buffer.
        let few = sorted.len().saturating_mul(8) < rows.len();
        if needle.is_empty() || few || text.rows() != rows.len() || needle.contains('\0') {
            return self.filter_sorted(rows, sorted, now);
        }
        let found = text.matching(&needle);
        sorted
            .iter()
            .copied()
            .filter(|&i| {
                found.contains(i)
                    && rows
                        .get(i)
                        .is_some_and(|r| self.filters.iter().all(|f| f.matches(r, now)))
            })
            .collect()
    }

    fn compare(&self, a: &Row, b: &Row) -> Ordering {
        let primary = compare_by(self.sort, a, b);
        let primary = if self.descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| a.label_key.cmp(&b.label_key))
            .then_with(|| a.id.as_str().cmp(b.id.as_str()))
    }

    /// Whether this view only narrows `prev`: the same filters and sort, and a search that
    /// contains `prev`'s. Then [`View::filter_sorted`] over `prev`'s result is this view's
    /// result, and typing forward filters fewer and fewer rows.
    pub fn narrows(&self, prev: &View) -> bool {
        self.filters == prev.filters
            && self.sort == prev.sort
            && self.descending == prev.descending
            && self
                .search
                .trim()
                .to_lowercase()
                .contains(&prev.search.trim().to_lowercase())
    }

    /// Adds a filter, replacing the same chip if it is there (negated or not).
    pub fn toggle(&mut self, chip: Chip, negated: bool) {
        self.filters.retain(|f| f.chip != chip);
        self.filters.push(Filter { chip, negated });
    }

    pub fn remove(&mut self, chip: &Chip) {
        self.filters.retain(|f| &f.chip != chip);
    }

    /// The view as a URL query (`q=ana&f=role:admin&f=-2fa-off&sort=email&desc=1`), without
    /// the `?`; empty for the default view.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        for f in &self.filters {
            let sign = if f.negated { "-" } else { "" };
            pairs.push(("f", format!("{sign}{}", chip_code(&f.chip))));
        }
        if self.sort != SortKey::Name {
            pairs.push(("sort", sort_code(self.sort).to_owned()));
        }
        if self.descending {
            pairs.push(("desc", "1".into()));
        }
        let mut out = String::new();
        for (k, v) in pairs {
            if !out.is_empty() {
                out.push('&');
            }
            let _ = write!(out, "{k}={}", encode(&v));
        }
        out
    }

    /// The view a URL query describes. Unknown parameters are ignored (other pages' links);
    /// an unreadable filter or sort is an error that names it, so the page can say so.
    pub fn from_query(query: &str) -> Result<View, String> {
        let mut view = View::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|_| "the address's query could not be read".to_owned())?;
        for (k, v) in pairs {
            match k.as_str() {
                "q" => view.search = v,
                "f" => {
                    let (negated, code) = match v.strip_prefix('-') {
                        Some(rest) => (true, rest),
                        None => (false, v.as_str()),
                    };
                    let chip = parse_chip(code).ok_or_else(|| {
                        format!("the filter \u{201c}{v}\u{201d} is not one the console knows")
                    })?;
                    view.toggle(chip, negated);
                }
                "sort" => {
                    view.sort = parse_sort(&v)
                        .ok_or_else(|| format!("the sort \u{201c}{v}\u{201d} is not a column"))?
                }
                "desc" => view.descending = v == "1" || v == "true",
                _ => {}
            }
        }
        Ok(view)
    }
}

fn encode(v: &str) -> String {
    serde_urlencoded::to_string([("", v)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

fn compare_by(key: SortKey, a: &Row, b: &Row) -> Ordering {
    // Absent values sort last in ascending order.
    fn opt<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    match key {
        SortKey::Name => a.label_key.cmp(&b.label_key),
        SortKey::Email => a.email_key.cmp(&b.email_key),
        SortKey::Role => a.role.cmp(&b.role),
        SortKey::Kind => a.kind.cmp(&b.kind),
        SortKey::Workspaces => a.workspaces.len().cmp(&b.workspaces.len()),
        SortKey::TwoFactor => opt(a.has_2fa, b.has_2fa),
        SortKey::Sso => opt(a.has_sso, b.has_sso),
        SortKey::Expiry => opt(a.expiration_ts, b.expiration_ts),
        SortKey::Status => a.status.cmp(&b.status),
        SortKey::LastActive => opt(a.last_active_ts, b.last_active_ts),
    }
}

const SORTS: &[(SortKey, &str)] = &[
    (SortKey::Name, "name"),
    (SortKey::Email, "email"),
    (SortKey::Role, "role"),
    (SortKey::Kind, "type"),
    (SortKey::Workspaces, "workspaces"),
    (SortKey::TwoFactor, "2fa"),
    (SortKey::Sso, "sso"),
    (SortKey::Expiry, "expiry"),
    (SortKey::Status, "status"),
    (SortKey::LastActive, "last-active"),
];

fn sort_code(key: SortKey) -> &'static str {
    SORTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, c)| *c)
        .unwrap_or("name")
}

fn parse_sort(code: &str) -> Option<SortKey> {
    SORTS.iter().find(|(_, c)| *c == code).map(|(k, _)| *k)
}

const ROLES: &[(Role, &str)] = &[
    (Role::PrimaryOwner, "primary-owner"),
    (Role::Owner, "owner"),
    (Role::Admin, "admin"),
    (Role::Member, "member"),
];
const KINDS: &[(Kind, &str)] = &[
    (Kind::Full, "full"),
    (Kind::MultiChannelGuest, "multi-channel-guest"),
    (Kind::SingleChannelGuest, "single-channel-guest"),
    (Kind::Bot, "bot"),
];
const STATUSES: &[(Status, &str)] = &[
    (Status::Active, "active"),
    (Status::Deactivated, "deactivated"),
    (Status::Invited, "invited"),
];

fn code_of<T: PartialEq + Copy>(table: &[(T, &'static str)], v: T) -> &'static str {
    table
        .iter()
        .find(|(t, _)| *t == v)
        .map(|(_, c)| *c)
        .unwrap_or("")
}

fn value_of<T: Copy>(table: &[(T, &'static str)], code: &str) -> Option<T> {
    table.iter().find(|(_, c)| *c == code).map(|(t, _)| *t)
}

/// A chip's code in the URL.
pub fn chip_code(chip: &Chip) -> String {
    match chip {
        Chip::Role(r) => format!("role:{}", code_of(ROLES, *r)),
        Chip::Kind(k) => format!("type:{}", code_of(KINDS, *k)),
        Chip::Status(s) => format!("status:{}", code_of(STATUSES, *s)),
        Chip::Workspace(t) => format!("workspace:{t}"),
        Chip::No2fa => "2fa-off".into(),
        Chip::NoSso => "sso-off".into(),
        Chip::ExpiringWithin(d) => format!("expiring:{d}"),
        Chip::NoExpiry => "no-expiry".into(),
        Chip::InactiveFor(d) => format!("inactive:{d}"),
    }
}

/// A chip from its code in the URL (`role:admin`, `2fa-off`, `expiring:7`…).
pub fn parse_chip(code: &str) -> Option<Chip> {
    let days = |v: &str| v.parse::<u32>().ok().filter(|d| (1..=3650).contains(d));
    Some(match code.split_once(':') {
        Some(("role", v)) => Chip::Role(value_of(ROLES, v)?),
        Some(("type", v)) => Chip::Kind(value_of(KINDS, v)?),
        Some(("status", v)) => Chip::Status(value_of(STATUSES, v)?),
        Some(("workspace", v)) if !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Chip::Workspace(TeamId::new(v))
        }
        Some(("expiring", v)) => Chip::ExpiringWithin(days(v)?),
        Some(("inactive", v)) => Chip::InactiveFor(days(v)?),
        None if code == "2fa-off" => Chip::No2fa,
        None if code == "sso-off" => Chip::NoSso,
        None if code == "no-expiry" => Chip::NoExpiry,
        _ => return None,
    })
}

/// Whether any row carries activity data (the "inactive for N days" chip says so otherwise).
pub fn has_activity_data(rows: &[Row]) -> bool {
    rows.iter().any(|r| r.last_active_ts.is_some())
}

/// The chips the page offers, by code, in the order of its "Add a filter" list. Workspaces are
/// added from the org's list.
pub const CHOICES: &[&str] = &[
    "role:primary-owner",
    "role:owner",
    "role:admin",
    "role:member",
    "type:full",
    "type:multi-channel-guest",
    "type:single-channel-guest",
    "type:bot",
    "status:active",
    "status:deactivated",
    "status:invited",
    "2fa-off",
    "sso-off",
    "expiring:7",
    "expiring:30",
    "no-expiry",
    "inactive:30",
    "inactive:90",
];

/// The rows at `order` as CSV (`id,name,display_name,email,role,type,status,workspaces,2fa,
/// sso,expires,last_active`), times as UTC ISO dates, cells a spreadsheet would run as a
/// formula defused.
pub fn to_csv(rows: &[Row], order: &[usize]) -> String {
    use crate::invite::job::defuse;
    fn yes_no(v: Option<bool>) -> &'static str {
        match v {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        }
    }
    fn date(ts: Option<i64>) -> String {
        ts.map(crate::invite::dates::iso_utc).unwrap_or_default()
    }
    let mut out = String::new();
    crate::invite::csv::write_row(
        &mut out,
        &[
            "id",
            "name",
            "display_name",
            "email",
            "role",
            "type",
            "status",
            "workspaces",
            "2fa",
            "sso",
            "expires",
            "last_active",
        ],
    );
    for &i in order {
        let Some(r) = rows.get(i) else { continue };
        let workspaces: Vec<&str> = r.workspaces.iter().map(TeamId::as_str).collect();
        let cells = [
            r.id.to_string(),
            r.name.clone(),
            r.display_name.clone(),
            r.email.clone(),
            role_label(r.role).to_owned(),
            kind_label(r.kind).to_owned(),
            status_label(r.status).to_owned(),
            workspaces.join(" "),
            yes_no(r.has_2fa).to_owned(),
            yes_no(r.has_sso).to_owned(),
            date(r.expiration_ts),
            date(r.last_active_ts),
        ];
        let cells: Vec<String> = cells.iter().map(|c| defuse(c)).collect();
        crate::invite::csv::write_row(&mut out, &cells);
    }
    out
}

/// A change the member panel offers for one member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Action {
    MakeAdmin,
    MakeOwner,
    MakeRegular,
    /// Remove from one workspace.
    Remove {
        team: TeamId,
    },
    /// Sign out of every session (`admin.users.session.reset`).
    SignOut,
    /// Guests: the account ends at this time (Unix seconds).
    SetExpiration {
        ts: i64,
    },
    /// Add to a workspace (as the kind of account they are), joining these channels.
    Assign {
        team: TeamId,
        channels: Vec<crate::ids::ChannelId>,
    },
}

/// What the panel shows for an action: its button, the consequence to confirm, and why it is
/// refused, if it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub action: Action,
    pub label: String,
    pub consequence: String,
    pub refused: Option<String>,
    /// The method it calls.
    pub method: &'static str,
}

/// The facts about the connection an offer depends on.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    /// A Grid org admin token with `admin.users:write`: roles can change through the API.
    pub can_change_roles: bool,
    /// The org's name, for org-wide role changes.
    pub org_name: String,
    /// The admin's own user ID.
    pub me: UserId,
    /// Where role changes apply: a workspace (ID and name), or the whole org (`None`, sent
    /// with the org's ID).
    pub scope: Option<(TeamId, String)>,
}

impl Action {
    pub fn method(&self) -> &'static str {
        match self {
            Action::MakeAdmin => "admin.users.setAdmin",
            Action::MakeOwner => "admin.users.setOwner",
            Action::MakeRegular => "admin.users.setRegular",
            Action::Remove { .. } => "admin.users.remove",
            Action::SignOut => "admin.users.session.reset",
            Action::SetExpiration { .. } => "admin.users.setExpiration",
            Action::Assign { .. } => "admin.users.assign",
        }
    }
}

/// The actions for `row`, each with its consequence and, when it cannot be done here, why.
/// `team_name` names a workspace by ID.
pub fn offers(row: &Row, scene: &Scene, team_name: &dyn Fn(&TeamId) -> String) -> Vec<Offer> {
    let who = row.label().to_owned();
    let org = match &scene.scope {
        Some((_, name)) => name.clone(),
        None if scene.org_name.is_empty() => "the org".to_owned(),
        None => format!("{}'s workspaces", scene.org_name),
    };
    // A role in a workspace is for its members only.
    let outside = || match &scene.scope {
        Some((team, name)) if !row.workspaces.contains(team) => {
            Some(format!("{who} is not in {name}."))
        }
        _ => None,
    };
    let common = || -> Option<String> {
        if !scene.can_change_roles {
            return Some("This token cannot change members through Slack's API: it takes an Enterprise Grid org admin token with admin.users:write (legacy tokens cannot).".into());
        }
        if row.role == Role::PrimaryOwner {
            return Some("The primary owner cannot be changed here: only they can transfer primary ownership, in Slack's settings.".into());
        }
        if row.kind == Kind::Bot {
            return Some(
                "This is an app's bot, not a person: manage it from the app's settings.".into(),
            );
        }
        if row.status == Status::Deactivated {
            return Some("The account is deactivated: reactivate it first.".into());
        }
        None
    };
    let offer =
        |action: Action, label: String, consequence: String, refused: Option<String>| Offer {
            method: action.method(),
            action,
            label,
            consequence,
            refused,
        };
    let mut out = Vec::new();
    let guest_refusal = || {
        row.is_guest().then(|| "Guests cannot hold a role: make them a full member first (add them to a workspace as a full member).".to_owned())
    };
    let same =
        |role: Role, words: &str| (row.role == role).then(|| format!("{who} is already {words}."));
    out.push(offer(
        Action::MakeAdmin,
        "Make admin".into(),
        format!("{who} will be able to manage members and settings of {org}."),
        common()
            .or_else(outside)
            .or_else(guest_refusal)
            .or_else(|| same(Role::Admin, "an admin")),
    ));
    out.push(offer(
        Action::MakeOwner,
        "Make owner".into(),
        format!("{who} will be an owner of {org}: everything an admin can do, and managing admins and billing."),
        common()
            .or_else(outside)
            .or_else(guest_refusal)
            .or_else(|| same(Role::Owner, "an owner")),
    ));
    out.push(offer(
        Action::MakeRegular,
        "Make regular member".into(),
        format!("{who} will lose their admin or owner rights in {org}."),
        common()
            .or_else(outside)
            .or_else(|| same(Role::Member, "a regular member"))
            .or_else(|| {
                (row.id == scene.me).then(|| {
                    "You cannot remove your own rights here: another admin must.".to_owned()
                })
            }),
    ));
    for team in &row.workspaces {
        let name = team_name(team);
        out.push(offer(
            Action::Remove { team: team.clone() },
            format!("Remove from {name}"),
            format!("{who} will leave {name} and lose access to its channels; other workspaces are not affected."),
            common().or_else(|| (row.id == scene.me).then(|| "You cannot remove yourself.".to_owned())),
        ));
    }
    out.push(offer(
        Action::SignOut,
        "Sign out everywhere".into(),
        format!("{who} will be signed out of Slack on every device and browser, and must sign in again."),
        if scene.can_change_roles { None } else { common() },
    ));
    out
}

/// The consequence of a new guest expiration, in the admin's words.
pub fn expiration_consequence(row: &Row, ts: i64, now: i64) -> Result<String, String> {
    if !row.is_guest() {
        return Err("Only guests have an expiration date.".into());
    }
    if ts <= now {
        return Err("The date is in the past: choose a later one.".into());
    }
    Ok(format!(
        "{}'s account will be deactivated on {} UTC (Slack applies it on the hour).",
        row.label(),
        crate::invite::dates::iso_utc(ts)
    ))
}

/// The row after `action` succeeded, as Slack will then list it.
pub fn after(row: &Row, action: &Action) -> Row {
    let mut r = row.clone();
    match action {
        Action::MakeAdmin => r.role = Role::Admin,
        Action::MakeOwner => r.role = Role::Owner,
        Action::MakeRegular => r.role = Role::Member,
        Action::Remove { team } => r.workspaces.retain(|t| t != team),
        Action::SignOut => {}
        Action::SetExpiration { ts } => r.expiration_ts = Some(*ts),
        Action::Assign { team, .. } => {
            if !r.workspaces.contains(team) {
                r.workspaces.push(team.clone());
            }
        }
    }
    r
}

/// The consequence of adding `row` to the workspace `team` (named `team_name`) with
/// `channels` (their names), or why it cannot be done.
pub fn assign_consequence(
    row: &Row,
    team: &TeamId,
    team_name: &str,
    channels: &[String],
) -> Result<String, String> {
    if row.kind == Kind::Bot {
        return Err(
            "This is an app's bot, not a person: add the app to the workspace instead.".into(),
        );
    }
    if row.status == Status::Active && row.workspaces.contains(team) {
        return Err(format!("{} is already in {team_name}.", row.label()));
    }
    if row.kind == Kind::SingleChannelGuest && channels.len() != 1 {
        return Err("A single-channel guest joins exactly one channel: choose one.".into());
    }
    if row.is_guest() && channels.is_empty() {
        return Err("A guest sees only the channels they are in: choose at least one.".into());
    }
    let mut out = format!(
        "{} will join {team_name} as a {}",
        row.label(),
        kind_label(row.kind)
    );
    if !channels.is_empty() {
        let names: Vec<String> = channels.iter().map(|c| format!("#{c}")).collect();
        let _ = write!(out, ", in {}", names.join(", "));
    }
    if row.status == Status::Deactivated {
        out.push_str("; the account is reactivated");
    }
    out.push('.');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: i64 = 1_767_225_600;

    fn row(id: &str, name: &str, email: &str, role: Role, kind: Kind, status: Status) -> Row {
        Row::new(UserId::new(id), name, "", email, role, kind, status)
    }

    #[test]
    fn slacks_users_become_rows_nulls_and_all() {
        let json = r#"{"id":"W1","email":"ana@x.example","is_admin":true,"is_owner":null,
            "full_name":null,"username":"ana","is_active":false,"workspaces":null,
            "has_2fa":false,"has_sso":null,"expiration_ts":0,"last_active_ts":"1767000000"}"#;
        let user: AdminUser = serde_json::from_str(json).unwrap();
        let r = Row::from(&user);
        assert_eq!(r.role, Role::Admin);
        assert_eq!(r.status, Status::Deactivated);
        assert_eq!(r.label(), "ana", "no full name: the display name");
        assert_eq!(r.has_2fa, Some(false));
        assert_eq!(r.expiration_ts, None, "0 is no expiry");
        assert_eq!(r.last_active_ts, Some(1_767_000_000));
        let nameless = Row::new(
            UserId::new("W2"),
            "",
            "",
            "",
            Role::Member,
            Kind::Full,
            Status::Active,
        );
        assert_eq!(
            nameless.label(),
            "W2",
            "a user with no name at all shows the ID"
        );

        let member: users::Member = serde_json::from_str(
            r#"{"id":"U1","team_id":"T1","deleted":true,"is_restricted":true,
                "is_ultra_restricted":true,"profile":{"real_name":"Bo","display_name":null}}"#,
        )
        .unwrap();
        let r = Row::from(&member);
        assert_eq!(
            (r.kind, r.status),
            (Kind::SingleChannelGuest, Status::Deactivated)
        );
        assert_eq!(r.has_2fa, None, "users.list says nothing of 2FA");
        assert_eq!(r.workspaces, vec![TeamId::new("T1")]);
    }

    #[test]
    fn chips_and_their_negations() {
        let mut guest = row(
            "W1",
            "Gus",
            "gus@x",
            Role::Member,
            Kind::MultiChannelGuest,
            Status::Active,
        );
        guest.expiration_ts = Some(NOW + 3 * DAY);
        let mut forever = row(
            "W2",
            "Fay",
            "fay@x",
            Role::Member,
            Kind::SingleChannelGuest,
            Status::Active,
        );
        forever.has_2fa = Some(false);
        let mut admin = row(
            "W3",
            "Ada",
            "ada@x",
            Role::Admin,
            Kind::Full,
            Status::Active,
        );
        admin.last_active_ts = Some(NOW - 40 * DAY);
        let rows = vec![guest, forever, admin];
        let ids = |view: &View| -> Vec<&str> {
            view.apply(&rows, NOW)
                .into_iter()
                .map(|i| rows[i].id.as_str())
                .collect()
        };
        let mut view = View::default();
        view.toggle(Chip::ExpiringWithin(7), false);
        assert_eq!(ids(&view), ["W1"]);
        view.toggle(Chip::ExpiringWithin(7), true);
        assert_eq!(
            ids(&view),
            ["W3", "W2"],
            "not expiring within 7 days, by name"
        );
        let mut view = View::default();
        view.toggle(Chip::NoExpiry, false);
        assert_eq!(ids(&view), ["W2"], "only guests can lack an expiry");
        let mut view = View::default();
        view.toggle(Chip::Role(Role::Admin), true);
        assert_eq!(ids(&view), ["W2", "W1"]);
        let mut view = View::default();
        view.toggle(Chip::No2fa, false);
        assert_eq!(ids(&view), ["W2"], "unknown 2FA is not 2FA off");
        let mut view = View::default();
        view.toggle(Chip::InactiveFor(30), false);
        assert_eq!(ids(&view), ["W3"]);
        assert!(has_activity_data(&rows));
        assert_eq!(
            Filter {
                chip: Chip::Role(Role::Admin),
                negated: true
            }
            .label(),
            "not admin"
        );
    }

    #[test]
    fn search_covers_name_display_name_email_and_id() {
        let rows = vec![
            Row::new(
                UserId::new("W0A1"),
                "Ana Ruiz",
                "ana",
                "ana@x.example",
                Role::Member,
                Kind::Full,
                Status::Active,
            ),
            Row::new(
                UserId::new("W0B2"),
                "Bo",
                "bobby",
                "bo@y.example",
                Role::Member,
                Kind::Full,
                Status::Active,
            ),
        ];
        let hits = |q: &str| {
            View {
                search: q.into(),
                ..View::default()
            }
            .apply(&rows, NOW)
        };
        assert_eq!(hits("RUIZ"), [0]);
        assert_eq!(hits("bobby"), [1]);
        assert_eq!(hits("y.example"), [1]);
        assert_eq!(hits("w0b"), [1]);
        assert_eq!(hits("  "), [0, 1]);
        assert!(hits("nobody").is_empty());
    }

    #[test]
    fn the_export_holds_every_row_of_the_view_defused() {
        let mut r = row(
            "W1",
            "=HYPERLINK(\"x\")",
            "a@x",
            Role::Admin,
            Kind::Full,
            Status::Active,
        );
        r.expiration_ts = Some(NOW);
        let rows = vec![
            r,
            row(
                "W2",
                "Bo, Jr.",
                "b@x",
                Role::Member,
                Kind::Bot,
                Status::Invited,
            ),
        ];
        let csv = to_csv(&rows, &[1, 0]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3, "{csv}");
        assert!(
            lines[0].starts_with("id,name,display_name,email,role"),
            "{csv}"
        );
        assert!(lines[1].starts_with("W2,\"Bo, Jr.\""), "{csv}");
        assert!(lines[2].contains("'=HYPERLINK"), "{csv}");
        assert!(lines[2].contains("2026-01-01"), "{csv}");
        for code in CHOICES {
            assert!(parse_chip(code).is_some(), "{code}");
        }
    }

    #[test]
    fn actions_say_what_happens_and_why_not() {
        let scene = Scene {
            can_change_roles: true,
            org_name: "Northwind".into(),
            me: UserId::new("W9"),
            scope: None,
        };
        let name = |t: &TeamId| format!("team {t}");
        let mut ana = row(
            "W1",
            "Ana",
            "ana@x",
            Role::Member,
            Kind::Full,
            Status::Active,
        );
        ana.workspaces = vec![TeamId::new("T1")];
        let o = offers(&ana, &scene, &name);
        let admin = o.iter().find(|o| o.action == Action::MakeAdmin).unwrap();
        assert_eq!(admin.refused, None);
        assert!(
            admin
                .consequence
                .starts_with("Ana will be able to manage members"),
            "{}",
            admin.consequence
        );
        let regular = o.iter().find(|o| o.action == Action::MakeRegular).unwrap();
        assert_eq!(
            regular.refused.as_deref(),
            Some("Ana is already a regular member.")
        );
        assert!(o.iter().any(|o| o.label == "Remove from team T1"));

        let boss = row(
            "W2",
            "Boss",
            "b@x",
            Role::PrimaryOwner,
            Kind::Full,
            Status::Active,
        );
        assert!(offers(&boss, &scene, &name)
            .iter()
            .filter(|o| o.action != Action::SignOut)
            .all(|o| o.refused.as_deref().unwrap().contains("primary owner")));
        let guest = row(
            "W3",
            "Gus",
            "g@x",
            Role::Member,
            Kind::MultiChannelGuest,
            Status::Active,
        );
        let o = offers(&guest, &scene, &name);
        assert!(o
            .iter()
            .find(|o| o.action == Action::MakeOwner)
            .unwrap()
            .refused
            .as_deref()
            .unwrap()
            .contains("Guests cannot"));
        let legacy = Scene {
            can_change_roles: false,
            ..scene.clone()
        };
        assert!(offers(&ana, &legacy, &name).iter().all(|o| o
            .refused
            .as_deref()
            .unwrap()
            .contains("legacy tokens cannot")));
        assert_eq!(after(&ana, &Action::MakeAdmin).role, Role::Admin);
        assert!(after(
            &ana,
            &Action::Remove {
                team: TeamId::new("T1")
            }
        )
        .workspaces
        .is_empty());
        assert!(expiration_consequence(&guest, NOW - 1, NOW).is_err());
        assert!(expiration_consequence(&ana, NOW + DAY, NOW).is_err());
        assert!(expiration_consequence(&guest, NOW + DAY, NOW)
            .unwrap()
            .contains("2026-01-02 00:00 UTC"));
    }

    #[test]
    fn a_query_names_what_it_cannot_read() {
        assert!(View::from_query("f=role:wizard")
            .unwrap_err()
            .contains("role:wizard"));
        assert!(View::from_query("sort=shoe-size")
            .unwrap_err()
            .contains("shoe-size"));
        assert!(View::from_query("f=expiring:0").is_err());
        // Other parameters are someone else's.
        assert_eq!(View::from_query("?utm=1").unwrap(), View::default());
        assert_eq!(View::default().to_query(), "");
    }

    fn arb_role() -> impl Strategy<Value = Role> {
        prop_oneof![
            Just(Role::PrimaryOwner),
            Just(Role::Owner),
            Just(Role::Admin),
            Just(Role::Member)
        ]
    }
    fn arb_kind() -> impl Strategy<Value = Kind> {
        prop_oneof![
            Just(Kind::Full),
            Just(Kind::MultiChannelGuest),
            Just(Kind::SingleChannelGuest),
            Just(Kind::Bot)
        ]
    }
    fn arb_status() -> impl Strategy<Value = Status> {
        prop_oneof![
            Just(Status::Active),
            Just(Status::Deactivated),
            Just(Status::Invited)
        ]
    }
    fn arb_team() -> impl Strategy<Value = TeamId> {
        prop_oneof![Just("T1"), Just("T2"), Just("T3")].prop_map(TeamId::new)
    }
    fn arb_chip() -> impl Strategy<Value = Chip> {
        prop_oneof![
            arb_role().prop_map(Chip::Role),
            arb_kind().prop_map(Chip::Kind),
            arb_status().prop_map(Chip::Status),
            arb_team().prop_map(Chip::Workspace),
            Just(Chip::No2fa),
            Just(Chip::NoSso),
            (1u32..60).prop_map(Chip::ExpiringWithin),
            Just(Chip::NoExpiry),
            (1u32..60).prop_map(Chip::InactiveFor),
        ]
    }
    fn arb_sort() -> impl Strategy<Value = SortKey> {
        proptest::sample::select(SORTS.iter().map(|(k, _)| *k).collect::<Vec<_>>())
    }
    fn arb_view() -> impl Strategy<Value = View> {
        (
            "[a-zA-Z0-9 @.&=+%#é-]{0,8}",
            proptest::collection::vec((arb_chip(), any::<bool>()), 0..4),
            arb_sort(),
            any::<bool>(),
        )
            .prop_map(|(search, chips, sort, descending)| {
                let mut view = View {
                    search,
                    sort,
                    descending,
                    ..View::default()
                };
                for (chip, negated) in chips {
                    view.toggle(chip, negated);
                }
                view
            })
    }
    fn arb_row() -> impl Strategy<Value = Row> {
        (
            (0u32..50, "[A-Za-z ]{0,6}", "[a-z]{0,4}", "[a-z@.]{0,6}"),
            (arb_role(), arb_kind(), arb_status()),
            proptest::collection::vec(arb_team(), 0..3),
            (
                proptest::option::of(any::<bool>()),
                proptest::option::of(any::<bool>()),
            ),
            (
                proptest::option::of(-90i64..90),
                proptest::option::of(0i64..120),
            ),
        )
            .prop_map(
                |(
                    (id, name, display, email),
                    (role, kind, status),
                    workspaces,
                    (tfa, sso),
                    (exp, act),
                )| {
                    let mut r = Row::new(
                        UserId::new(format!("W{id}")),
                        &name,
                        &display,
                        &email,
                        role,
                        kind,
                        status,
                    );
                    r.workspaces = workspaces;
                    r.has_2fa = tfa;
                    r.has_sso = sso;
                    r.expiration_ts = exp.map(|d| NOW + d * DAY);
                    r.last_active_ts = act.map(|d| NOW - d * DAY);
                    r
                },
            )
    }

    /// The rules written out plainly, separately from the code under test.
    fn naive(view: &View, r: &Row) -> bool {
        let q = view.search.trim().to_lowercase();
        let found = q.is_empty()
            || [&r.name, &r.display_name, &r.email, &r.id.to_string()]
                .iter()
                .any(|f| f.to_lowercase().contains(&q));
        found
            && view.filters.iter().all(|f| {
                let guest = r.kind == Kind::MultiChannelGuest || r.kind == Kind::SingleChannelGuest;
                let on = match &f.chip {
                    Chip::Role(x) => r.role == *x,
                    Chip::Kind(x) => r.kind == *x,
                    Chip::Status(x) => r.status == *x,
                    Chip::Workspace(t) => r.workspaces.iter().any(|w| w == t),
                    Chip::No2fa => r.has_2fa == Some(false),
                    Chip::NoSso => r.has_sso == Some(false),
                    Chip::ExpiringWithin(d) => {
                        guest && matches!(r.expiration_ts, Some(t) if t >= NOW && (t - NOW) <= i64::from(*d) * DAY)
                    }
                    Chip::NoExpiry => guest && r.expiration_ts.is_none(),
                    Chip::InactiveFor(d) => matches!(r.last_active_ts, Some(t) if NOW - t >= i64::from(*d) * DAY),
                };
                on ^ f.negated
            })
    }

    proptest! {
        #[test]
        fn the_view_keeps_exactly_what_the_rules_say_in_a_total_order(
            rows in proptest::collection::vec(arb_row(), 0..40),
            view in arb_view(),
        ) {
            let shown = view.apply(&rows, NOW);
            let mut expected: Vec<usize> = (0..rows.len()).filter(|&i| naive(&view, &rows[i])).collect();
            let mut got = shown.clone();
            got.sort_unstable();
            expected.sort_unstable();
            prop_assert_eq!(got, expected);
            for pair in shown.windows(2) {
                prop_assert_ne!(view.compare(&rows[pair[0]], &rows[pair[1]]), Ordering::Greater);
            }
        }

        #[test]
        fn narrowing_the_previous_result_is_the_same_as_starting_over(
            rows in proptest::collection::vec(arb_row(), 0..40),
            prev in arb_view(),
            more in "[a-z@. ]{0,3}",
        ) {
            let next = View { search: format!("{}{more}", prev.search), ..prev.clone() };
            prop_assert!(next.narrows(&prev));
            let before = prev.apply(&rows, NOW);
            prop_assert_eq!(next.filter_sorted(&rows, &before, NOW), next.apply(&rows, NOW));
        }

        #[test]
        fn the_search_over_one_buffer_finds_what_the_rows_do(
            rows in proptest::collection::vec(arb_row(), 0..40),
            view in arb_view(),
        ) {
            let sorted = view.sort_order(&rows);
            let text = SearchText::new(&rows);
            prop_assert_eq!(
                view.filter_indexed(&rows, &sorted, &text, NOW),
                view.filter_sorted(&rows, &sorted, NOW)
            );
        }

        #[test]
        fn the_letter_index_finds_what_a_plain_scan_does(
            texts in proptest::collection::vec("[a-eé@.]{0,10}", 0..400),
            needle in "[a-eé@.]{1,4}",
        ) {
            let rows: Vec<Row> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| Row::new(UserId::new(format!("W{i}")), t, "", "", Role::Member, Kind::Full, Status::Active))
                .collect();
            let text = SearchText::new(&rows);
            let found = text.matching(&needle);
            for (i, r) in rows.iter().enumerate() {
                prop_assert_eq!(found.contains(i), r.haystack.contains(needle.as_str()), "row {} {:?}", i, r.haystack);
            }
            prop_assert!(!found.contains(rows.len()));
        }

        #[test]
        fn a_view_survives_its_url(view in arb_view()) {
            let query = view.to_query();
            prop_assert_eq!(View::from_query(&query).unwrap(), view.clone(), "{}", query);
        }
    }
}
