//! Cursor pagination: `cursor` and `limit` in, `response_metadata.next_cursor` out; an empty or
//! missing cursor means the last page.

use crate::method::Method;
use serde::{Deserialize, Serialize};

/// `response_metadata` of a list answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::wire::null_as_default"
    )]
    pub warnings: Vec<String>,
}

impl ResponseMetadata {
    pub fn with_cursor(next: Option<String>) -> Self {
        Self {
            next_cursor: Some(next.unwrap_or_default()),
            warnings: Vec::new(),
        }
    }
}

/// The cursor of the next page, or `None` on the last page.
pub fn next_cursor(meta: Option<&ResponseMetadata>) -> Option<&str> {
    meta.and_then(|m| m.next_cursor.as_deref())
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

/// A list method whose answers come in pages.
pub trait Paginated: Method + Clone {
    type Item;

    /// This request, asking for the page at `cursor`.
    fn at_cursor(&self, cursor: Option<String>) -> Self;
    /// The cursor of the page after this answer, `None` when it was the last.
    fn next_cursor(response: &Self::Response) -> Option<String>;
    /// The items of one page.
    fn into_items(response: Self::Response) -> Vec<Self::Item>;
}

/// Walks pages: feed it each answer, it says which cursor to ask for next.
///
/// ```
/// # use slack_admin_core::pagination::Pages;
/// let mut pages = Pages::default();
/// assert_eq!(pages.next_request(), Some(None)); // first page: no cursor
/// pages.record(Some("abc".into()));
/// assert_eq!(pages.next_request(), Some(Some("abc".into())));
/// pages.record(None);
/// assert_eq!(pages.next_request(), None); // done
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pages {
    fetched: u32,
    next: Option<String>,
    done: bool,
}

impl Pages {
    /// `Some(cursor)` to fetch next (`Some(None)` for the first page), `None` when done.
    pub fn next_request(&self) -> Option<Option<String>> {
        if self.done {
            None
        } else if self.fetched == 0 {
            Some(None)
        } else {
            Some(self.next.clone())
        }
    }

    /// Records the `next_cursor` of the page just fetched.
    pub fn record(&mut self, next_cursor: Option<String>) {
        self.fetched += 1;
        let next = next_cursor.filter(|c| !c.trim().is_empty());
        // A cursor that repeats would loop forever: treat it as the end.
        self.done = next.is_none() || (next == self.next && self.fetched > 1);
        self.next = next;
    }

    pub fn pages_fetched(&self) -> u32 {
        self.fetched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_or_missing_cursor_ends_the_walk() {
        assert_eq!(next_cursor(None), None);
        assert_eq!(next_cursor(Some(&ResponseMetadata::default())), None);
        assert_eq!(
            next_cursor(Some(&ResponseMetadata::with_cursor(Some(" ".into())))),
            None
        );
        assert_eq!(
            next_cursor(Some(&ResponseMetadata::with_cursor(Some(
                "dXNlcjpVMDYx".into()
            )))),
            Some("dXNlcjpVMDYx")
        );
    }

    #[test]
    fn a_repeated_cursor_stops_instead_of_looping() {
        let mut pages = Pages::default();
        pages.record(Some("a".into()));
        pages.record(Some("a".into()));
        assert_eq!(pages.next_request(), None);
        assert_eq!(pages.pages_fetched(), 2);
    }
}
