//! Where the page runs and where it may connect: the facts behind two warnings.
//!
//! - A base URL must be one the page's Content-Security-Policy lets it `fetch`; otherwise the
//!   browser blocks the call and the admin would see a baffling network error. The policy is
//!   read from the page itself, so the check and the browser always agree.
//! - Some hosts give many sites one origin (every GitHub Pages site of an account is under
//!   `https://<owner>.github.io`), and `localStorage` belongs to the origin: a token remembered
//!   there can be read by every sibling site.

/// The sources of a policy's `connect-src` (or of `default-src` when it has none), as written.
pub fn connect_sources(policy: &str) -> Vec<String> {
    let directive = |name: &str| {
        policy.split(';').find_map(|d| {
            let mut words = d.split_whitespace();
            words
                .next()
                .filter(|n| n.eq_ignore_ascii_case(name))
                .map(|_| words.map(str::to_owned).collect::<Vec<_>>())
        })
    };
    directive("connect-src")
        .or_else(|| directive("default-src"))
        .unwrap_or_else(|| vec!["*".to_owned()])
}

/// An absolute URL's scheme, host and port (the port `None` when it is the scheme's default).
fn split_url(url: &str) -> Option<(String, String, Option<u16>, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.contains('@') || authority.is_empty() {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h, Some(p.parse::<u16>().ok()?))
        }
        _ => (authority, None),
    };
    let scheme = scheme.to_ascii_lowercase();
    let default = match scheme.as_str() {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    };
    let port = port.filter(|p| Some(*p) != default);
    Some((
        scheme,
        host.to_ascii_lowercase(),
        port,
        if path.is_empty() {
            "/".into()
        } else {
            path.into()
        },
    ))
}

/// Whether one CSP source expression matches `url`, for a page at `page_origin`.
fn source_matches(source: &str, url: &str, page_origin: &str) -> bool {
    let Some((scheme, host, port, path)) = split_url(url) else {
        return false;
    };
    let source = source.trim();
    match source {
        "*" => return matches!(scheme.as_str(), "http" | "https"),
        "'self'" => {
            return split_url(page_origin).is_some_and(|(s, h, p, _)| {
                // An upgrade from http to https of the same host counts as 'self'.
                h == host && p == port && (s == scheme || (s == "http" && scheme == "https"))
            });
        }
        s if s.starts_with('\'') => return false,
        s if s.ends_with(':') && !s.contains('/') => {
            return s.trim_end_matches(':').eq_ignore_ascii_case(&scheme)
        }
        _ => {}
    }
    let (src_scheme, rest) = match source.split_once("://") {
        Some((s, r)) => (Some(s.to_ascii_lowercase()), r),
        None => (None, source),
    };
    match src_scheme.as_deref() {
        Some(s) if s == scheme || (s == "http" && scheme == "https") => {}
        Some(_) => return false,
        // No scheme: the page's own, or its https upgrade.
        None => {
            let page = split_url(page_origin).map(|(s, ..)| s).unwrap_or_default();
            if !(page == scheme || (page == "http" && scheme == "https")) {
                return false;
            }
        }
    }
    let end = rest.find('/').unwrap_or(rest.len());
    let (authority, src_path) = rest.split_at(end);
    let (src_host, src_port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
        None => (authority.to_ascii_lowercase(), None),
    };
    let host_ok = match src_host.strip_prefix("*.") {
        Some(domain) => host.ends_with(&format!(".{domain}")),
        None => src_host == "*" || src_host == host,
    };
    let port_ok = match src_port {
        Some("*") => true,
        Some(p) => p.parse::<u16>().ok() == Some(port.unwrap_or(default_port(&scheme))),
        None => port.is_none(),
    };
    let path_ok = src_path.is_empty()
        || if src_path.ends_with('/') {
            path.starts_with(src_path)
        } else {
            path == src_path
        };
    host_ok && port_ok && path_ok
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "http" {
        80
    } else {
        443
    }
}

/// Refuses a base URL that the page's policy would not let it reach, saying what is allowed
/// and how an operator allows more; `Ok` when it may connect.
pub fn check_connect(policy: &str, page_origin: &str, base_url: &str) -> Result<(), String> {
    let sources = connect_sources(policy);
    if sources
        .iter()
        .any(|s| source_matches(s, base_url, page_origin))
    {
        return Ok(());
    }
    let allowed: Vec<String> = sources
        .iter()
        .map(|s| {
            if s == "'self'" {
                format!("this page's own address ({page_origin})")
            } else {
                s.clone()
            }
        })
        .collect();
    Err(format!(
        "This copy of the console may only call {}: its security policy (Content-Security-Policy) \
         blocks {base_url}, and the browser would refuse the call. Whoever builds the console can \
         allow more addresses with CONSOLE_CONNECT_SRC (see the README, \u{201c}Deploying\u{201d}).",
        join_words(&allowed)
    ))
}

fn join_words(items: &[String]) -> String {
    match items {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Why `localStorage` on this host is shared with other sites, if it is: GitHub Pages and
/// GitLab Pages serve every project of an account from one origin, and a console served under
/// a sub-path (`/console/`) shares its origin with whatever else that host serves.
pub fn shared_origin(host: &str, base_path: &str) -> Option<String> {
    let host = host.to_ascii_lowercase();
    for (suffix, service) in [
        (".github.io", "GitHub Pages"),
        (".gitlab.io", "GitLab Pages"),
    ] {
        if host.ends_with(suffix) {
            return Some(format!(
                "This page is served from {host}, which {service} shares with every other site \
                 of that account: any of them could read what this page stores."
            ));
        }
    }
    let path = base_path.trim_matches('/');
    (!path.is_empty()).then(|| {
        format!(
            "This page is served under /{path}/ of {host}, whose other pages could read what \
             this page stores."
        )
    })
}

/// The content hash in the entrance's script name (`…/slack-admin-console-<hash>.js`, as trunk
/// names it): the unhashed files of the other modules are fetched with `?v=<hash>`, so a
/// browser never runs files of two deployments together.
pub fn build_hash(href: &str) -> Option<&str> {
    let name = href.split(['?', '#']).next()?.rsplit('/').next()?;
    let hash = name
        .strip_prefix("slack-admin-console-")?
        .strip_suffix(".js")?;
    (!hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric())).then_some(hash)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_build_hash_is_the_entrance_scripts_hash() {
        assert_eq!(
            super::build_hash("/slack-admin-console/slack-admin-console-82ef3825e7cf2f8f.js"),
            Some("82ef3825e7cf2f8f")
        );
        assert_eq!(
            super::build_hash("https://x.github.io/r/slack-admin-console-ab12.js?x=1"),
            Some("ab12")
        );
        assert_eq!(super::build_hash("slack-admin-console.js"), None);
        assert_eq!(super::build_hash("/x/slack-admin-console-a\"b.js"), None);
        assert_eq!(super::build_hash("/x/console.js"), None);
        assert_eq!(super::build_hash(""), None);
    }

    use super::*;

    const POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
        connect-src 'self' https://slack.com http://127.0.0.1:* http://localhost:*; base-uri 'self'";
    const PAGE: &str = "https://ana.github.io";

    #[test]
    fn the_policy_of_index_html_allows_slack_and_loopback_only() {
        assert_eq!(
            connect_sources(POLICY),
            [
                "'self'",
                "https://slack.com",
                "http://127.0.0.1:*",
                "http://localhost:*"
            ]
        );
        for ok in [
            "https://slack.com/api/",
            "http://127.0.0.1:4321/api/",
            "http://localhost:9/api/",
            "https://ana.github.io/console/api/",
        ] {
            assert_eq!(check_connect(POLICY, PAGE, ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn a_base_url_outside_connect_src_is_refused_with_the_true_reason() {
        let err = check_connect(POLICY, PAGE, "https://slack-proxy.example.com/api/").unwrap_err();
        assert!(err.contains("Content-Security-Policy"), "{err}");
        assert!(err.contains("https://slack.com"), "{err}");
        assert!(err.contains("CONSOLE_CONNECT_SRC"), "{err}");
        assert!(!err.contains("CORS"), "{err}");
        // Look-alikes are not Slack.
        for bad in [
            "https://slack.com.evil.example/api/",
            "https://api.slack.com/api/",
            "http://slack.com/api/",
            "https://slack.com:8443/api/",
            "http://127.0.0.2:80/api/",
        ] {
            assert!(check_connect(POLICY, PAGE, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wildcards_ports_paths_and_schemes() {
        let p = "connect-src https://*.example.com https://api.example.org:8443 https://x.example.net/api/ wss:";
        assert!(check_connect(p, PAGE, "https://proxy.example.com/api/").is_ok());
        assert!(check_connect(p, PAGE, "https://example.com/api/").is_err());
        assert!(check_connect(p, PAGE, "https://api.example.org:8443/api/").is_ok());
        assert!(check_connect(p, PAGE, "https://api.example.org/api/").is_err());
        assert!(check_connect(p, PAGE, "https://x.example.net/api/").is_ok());
        assert!(check_connect(p, PAGE, "https://x.example.net/other/").is_err());
        assert!(check_connect(p, PAGE, "wss://anything.example/").is_ok());
        // No connect-src: default-src governs; no policy at all allows any http(s).
        assert!(check_connect("default-src 'self'", PAGE, "https://slack.com/api/").is_err());
        assert!(check_connect("", PAGE, "https://slack.com/api/").is_ok());
    }

    #[test]
    fn github_and_gitlab_pages_and_sub_paths_are_shared_origins() {
        assert!(shared_origin("ana.github.io", "/console")
            .unwrap()
            .contains("GitHub Pages"));
        assert!(shared_origin("Ana.GitHub.io", "").is_some());
        assert!(shared_origin("team.gitlab.io", "/").is_some());
        assert!(shared_origin("console.example.com", "/tools/slack/")
            .unwrap()
            .contains("/tools/slack/"));
        assert_eq!(shared_origin("console.example.com", "/"), None);
        assert_eq!(shared_origin("127.0.0.1", ""), None);
    }
}
