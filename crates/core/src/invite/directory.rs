//! Channels by name or ID: what `conversations.list` returned for the workspace, so that CSV
//! cells like `#general`, `General` or `C07A10001` become channel IDs.

use crate::ids::ChannelId;
use crate::methods::conversations::Channel;
use std::collections::HashMap;

/// A channel the directory knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryChannel {
    pub id: ChannelId,
    /// Without the `#`.
    pub name: String,
    pub is_archived: bool,
}

/// The channels of one workspace, looked up by ID or by name (case-insensitively, with or
/// without `#`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelDirectory {
    channels: Vec<DirectoryChannel>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl ChannelDirectory {
    /// From (ID, name, archived) triples. A later duplicate of an ID or name is ignored.
    pub fn new(channels: Vec<(ChannelId, String, bool)>) -> Self {
        let mut dir = Self::default();
        for (id, name, is_archived) in channels {
            let name = name.trim().trim_start_matches('#').to_owned();
            if dir.by_id.contains_key(id.as_str()) {
                continue;
            }
            let at = dir.channels.len();
            dir.by_id.insert(id.as_str().to_owned(), at);
            dir.by_name.entry(name_key(&name)).or_insert(at);
            dir.channels.push(DirectoryChannel {
                id,
                name,
                is_archived,
            });
        }
        dir
    }

    /// From `conversations.list`'s channels.
    pub fn from_channels(channels: &[Channel]) -> Self {
        Self::new(
            channels
                .iter()
                .map(|c| (c.id.clone(), c.name.clone(), c.is_archived))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.channels.is_empty()
    }

    pub fn len(&self) -> usize {
        self.channels.len()
    }

    pub fn channels(&self) -> &[DirectoryChannel] {
        &self.channels
    }

    pub fn by_id(&self, id: &str) -> Option<&DirectoryChannel> {
        self.by_id.get(id.trim()).map(|&i| &self.channels[i])
    }

    /// `general`, `#general` and `#General` all find `#general`.
    pub fn by_name(&self, name: &str) -> Option<&DirectoryChannel> {
        self.by_name
            .get(&name_key(name.trim().trim_start_matches('#')))
            .map(|&i| &self.channels[i])
    }

    /// `#name` of a known ID, else the ID itself.
    pub fn display(&self, id: &ChannelId) -> String {
        match self.by_id(id.as_str()) {
            Some(c) => format!("#{}", c.name),
            None => id.to_string(),
        }
    }

    /// Resolves one reference (a name or an ID) to a channel ID that can be invited to. The
    /// error is a sentence with the fix.
    ///
    /// An ID is accepted unchecked when the directory is empty (the channel list is not
    /// loaded); a name never is.
    pub fn resolve(&self, reference: &str) -> Result<ChannelId, String> {
        let r = reference.trim();
        let bare = r.trim_start_matches('#');
        let found = if r.starts_with('#') {
            self.by_name(bare)
        } else {
            self.by_id(bare).or_else(|| self.by_name(bare))
        };
        match found {
            Some(c) if c.is_archived => Err(format!(
                "#{} is archived, so nobody can join it. Leave it out, or unarchive it first.",
                c.name
            )),
            Some(c) => Ok(c.id.clone()),
            None if looks_like_id(bare) => {
                if self.is_empty() {
                    Ok(ChannelId::new(bare))
                } else {
                    Err(format!(
                        "No channel with the ID {bare} in this workspace: check it, or leave it out."
                    ))
                }
            }
            None => Err(format!(
                "No channel named #{bare} in this workspace: check the spelling or leave it out."
            )),
        }
    }

    /// Resolves a cell of channel references separated by spaces, `;`, `|` or `,`. Returns the
    /// IDs found (each once, in order) and a sentence for each reference that did not resolve.
    pub fn resolve_list(&self, cell: &str) -> (Vec<ChannelId>, Vec<String>) {
        let mut ids: Vec<ChannelId> = Vec::new();
        let mut errors = Vec::new();
        for reference in split_channels(cell) {
            match self.resolve(reference) {
                Ok(id) => {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        (ids, errors)
    }
}

/// The references in a channels cell: separated by whitespace, `;`, `|` or `,`.
pub fn split_channels(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | ','))
        .filter(|s| !s.is_empty() && *s != "#")
}

fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// `C…`/`G…` followed by capitals and digits, 9 to 20 long.
fn looks_like_id(s: &str) -> bool {
    s.starts_with(['C', 'G'])
        && (9..=20).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> ChannelDirectory {
        ChannelDirectory::new(vec![
            ("C07A10001".into(), "general".into(), false),
            ("C07A10002".into(), "random".into(), false),
            ("C07A10013".into(), "café".into(), false),
            ("C07A10018".into(), "old-website".into(), true),
        ])
    }

    #[test]
    fn names_resolve_case_insensitively_with_or_without_the_hash() {
        let d = dir();
        for r in ["general", "#general", "#General", " GENERAL ", "C07A10001"] {
            assert_eq!(d.resolve(r), Ok(ChannelId::new("C07A10001")), "{r}");
        }
        assert_eq!(d.resolve("#Café"), Ok(ChannelId::new("C07A10013")));
        assert_eq!(d.display(&ChannelId::new("C07A10002")), "#random");
        assert_eq!(d.display(&ChannelId::new("C0NOTHERE1")), "C0NOTHERE1");
    }

    #[test]
    fn unknown_and_archived_channels_say_what_to_do() {
        let d = dir();
        assert_eq!(
            d.resolve("#foo"),
            Err(
                "No channel named #foo in this workspace: check the spelling or leave it out."
                    .into()
            )
        );
        assert_eq!(
            d.resolve("C0NOTHERE1"),
            Err(
                "No channel with the ID C0NOTHERE1 in this workspace: check it, or leave it out."
                    .into()
            )
        );
        assert!(d.resolve("old-website").unwrap_err().contains("archived"));
    }

    #[test]
    fn an_empty_directory_takes_ids_but_not_names() {
        let d = ChannelDirectory::default();
        assert_eq!(d.resolve("C0123ABCD"), Ok(ChannelId::new("C0123ABCD")));
        assert!(d.resolve("general").is_err());
    }

    #[test]
    fn lists_split_on_spaces_semicolons_bars_and_commas() {
        let d = dir();
        let (ids, errors) = d.resolve_list("#general; random|C07A10013, #general  #nope # ");
        assert_eq!(
            ids,
            vec![
                ChannelId::new("C07A10001"),
                ChannelId::new("C07A10002"),
                ChannelId::new("C07A10013")
            ]
        );
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("#nope"));
        assert_eq!(d.resolve_list("  "), (vec![], vec![]));
    }
}
