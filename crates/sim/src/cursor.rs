//! Opaque cursors, like Slack's: base64 of `kind:key` (`dXNlcjpXMEExQzAwMDE=` is
//! `user:W0A1C0001`). The key is the stable sort key of the last item of a page, so a walk
//! resumes after it: items added later with larger keys are seen once, none is repeated.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The cursor that resumes after `key` in a list of `kind`.
pub fn encode(kind: &str, key: &str) -> String {
    base64(format!("{kind}:{key}").as_bytes())
}

/// The key a cursor of `kind` resumes after, or `None` when it is not one of ours.
pub fn decode(cursor: &str, kind: &str) -> Option<String> {
    // A `+` sent unencoded in a form arrives as a space.
    let cleaned: String = cursor.trim().replace(' ', "+");
    let bytes = unbase64(&cleaned)?;
    let text = String::from_utf8(bytes).ok()?;
    let key = text.strip_prefix(kind)?.strip_prefix(':')?;
    (!key.is_empty()).then(|| key.to_owned())
}

pub fn base64(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn unbase64(input: &str) -> Option<Vec<u8>> {
    let input = input.trim_end_matches('=');
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in input.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_matches_slack_style() {
        assert_eq!(base64(b"user:U061"), "dXNlcjpVMDYx");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(unbase64("YWI=").unwrap(), b"ab");
        let c = encode("user", "W0A1C0001");
        assert_eq!(decode(&c, "user").as_deref(), Some("W0A1C0001"));
        assert_eq!(decode(&c, "team"), None);
        assert_eq!(decode("not base64!", "user"), None);
        assert_eq!(decode("", "user"), None);
    }
}
