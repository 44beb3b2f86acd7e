//! Finding channels by name as the admin types: the pure part of the channel picker.

use crate::ids::ChannelId;
use crate::methods::conversations::Channel;

/// Channels matching `query`, best first: exact name, then names starting with it, then names
/// containing it; archived channels and those already `chosen` are left out. `#` is ignored,
/// case too. An empty query lists channels alphabetically.
pub fn search<'a>(
    channels: &'a [Channel],
    query: &str,
    chosen: &[ChannelId],
    limit: usize,
) -> Vec<&'a Channel> {
    let q = query.trim().trim_start_matches('#').to_lowercase();
    let mut hits: Vec<(u8, &Channel)> = channels
        .iter()
        .filter(|c| !c.is_archived && !chosen.contains(&c.id))
        .filter_map(|c| {
            let name = c.name.to_lowercase();
            let rank = if q.is_empty() {
                1
            } else if name == q || c.id.as_str().eq_ignore_ascii_case(&q) {
                0
            } else if name.starts_with(&q) {
                1
            } else if name.contains(&q) {
                2
            } else {
                return None;
            };
            Some((rank, c))
        })
        .collect();
    hits.sort_by(|(ra, a), (rb, b)| ra.cmp(rb).then_with(|| a.name.cmp(&b.name)));
    hits.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// The channel with this ID, for showing a chosen one by name.
pub fn by_id<'a>(channels: &'a [Channel], id: &ChannelId) -> Option<&'a Channel> {
    channels.iter().find(|c| &c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(id: &str, name: &str, archived: bool) -> Channel {
        Channel {
            id: ChannelId::new(id),
            name: name.into(),
            is_archived: archived,
            ..Channel::default()
        }
    }

    fn names(hits: &[&Channel]) -> Vec<String> {
        hits.iter().map(|c| c.name.clone()).collect()
    }

    #[test]
    fn exact_then_prefix_then_substring() {
        let all = [
            ch("C1", "design-review", false),
            ch("C2", "design", false),
            ch("C3", "product-design", false),
            ch("C4", "general", false),
        ];
        assert_eq!(
            names(&search(&all, "#Design", &[], 10)),
            ["design", "design-review", "product-design"]
        );
    }

    #[test]
    fn archived_and_chosen_channels_are_left_out_and_the_limit_holds() {
        let all = [
            ch("C1", "a", false),
            ch("C2", "b", true),
            ch("C3", "c", false),
            ch("C4", "d", false),
        ];
        assert_eq!(
            names(&search(&all, "", &[ChannelId::new("C1")], 2)),
            ["c", "d"]
        );
        assert_eq!(by_id(&all, &ChannelId::new("C3")).unwrap().name, "c");
    }

    #[test]
    fn an_id_matches_too() {
        let all = [ch("C07A10001", "general", false)];
        assert_eq!(names(&search(&all, "c07a10001", &[], 5)), ["general"]);
    }
}
