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

/// The most pages one walk reads: 100,000 members at Slack's default of 100 a page are 1,000
/// pages, so this leaves room for ten times that before calling a list endless.
pub const MAX_PAGES: u32 = 10_000;

/// A server that sends a cursor it sent before would be walked forever.
pub const CURSOR_REPEATED: &str = "pagination_cursor_repeated";
/// More than [`MAX_PAGES`] pages.
pub const TOO_MANY_PAGES: &str = "pagination_too_many_pages";

/// Walks pages: feed it each answer, it says which cursor to ask for next, and stops with an
/// error on a cursor it has seen before (any earlier one, not only the last) or after
/// [`MAX_PAGES`] pages, instead of looping.
///
/// ```
/// # use slack_admin_core::pagination::Pages;
/// let mut pages = Pages::default();
/// assert_eq!(pages.next_request(), Some(None)); // first page: no cursor
/// pages.record(Some("abc".into())).unwrap();
/// assert_eq!(pages.next_request(), Some(Some("abc".into())));
/// pages.record(None).unwrap();
/// assert_eq!(pages.next_request(), None); // done
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pages {
    fetched: u32,
    next: Option<String>,
    seen: std::collections::HashSet<String>,
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

    /// Records the `next_cursor` of the page just fetched; an error ends the walk.
    pub fn record(&mut self, next_cursor: Option<String>) -> Result<(), crate::SlackError> {
        self.fetched += 1;
        let next = next_cursor.filter(|c| !c.trim().is_empty());
        self.done = true;
        self.next = None;
        let Some(cursor) = next else {
            return Ok(());
        };
        if !self.seen.insert(cursor.clone()) {
            return Err(crate::SlackError::api(CURSOR_REPEATED));
        }
        if self.fetched >= MAX_PAGES {
            return Err(crate::SlackError::api(TOO_MANY_PAGES));
        }
        self.done = false;
        self.next = Some(cursor);
        Ok(())
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
    fn a_repeated_cursor_stops_with_an_error_instead_of_looping() {
        let mut pages = Pages::default();
        pages.record(Some("a".into())).unwrap();
        let err = pages.record(Some("a".into())).unwrap_err();
        assert_eq!(err.code(), CURSOR_REPEATED);
        assert_eq!(pages.next_request(), None);
        assert_eq!(pages.pages_fetched(), 2);
    }

    #[test]
    fn regression_a_cursor_cycle_longer_than_one_page_is_caught() {
        // a -> b -> a: the old check compared only with the last cursor.
        let mut pages = Pages::default();
        pages.record(Some("a".into())).unwrap();
        pages.record(Some("b".into())).unwrap();
        assert_eq!(
            pages.record(Some("a".into())).unwrap_err().code(),
            CURSOR_REPEATED
        );
        assert_eq!(pages.next_request(), None);
    }

    #[test]
    fn a_list_that_never_ends_stops_at_the_page_cap() {
        let mut pages = Pages::default();
        let mut n = 0u32;
        let err = loop {
            assert!(pages.next_request().is_some());
            match pages.record(Some(format!("c{n}"))) {
                Ok(()) => n += 1,
                Err(e) => break e,
            }
        };
        assert_eq!(err.code(), TOO_MANY_PAGES);
        assert_eq!(pages.pages_fetched(), MAX_PAGES);
        assert_eq!(pages.next_request(), None);
    }

    proptest::proptest! {
        /// Whatever cursors a server sends, the walk ends, and it never asks for a cursor twice.
        #[test]
        fn any_server_ends_and_no_cursor_is_asked_twice(cursors in proptest::collection::vec(proptest::option::of(0u8..6), 0..40)) {
            let mut pages = Pages::default();
            let mut asked = std::collections::HashSet::new();
            let mut answers = cursors.into_iter();
            while let Some(cursor) = pages.next_request() {
                if let Some(c) = &cursor {
                    proptest::prop_assert!(asked.insert(c.clone()), "asked for {c} twice");
                }
                // A server that runs out of scripted answers says the list ended.
                let answer = answers.next().flatten().map(|n| format!("c{n}"));
                if pages.record(answer).is_err() {
                    break;
                }
            }
            proptest::prop_assert!(pages.next_request().is_none());
        }
    }
}
