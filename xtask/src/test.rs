//! `cargo xtask test`: every test, stage by stage. Stops at the first failure and names the
//! stage; a stage that ran no test fails too.

use crate::shell::{cargo, free_port, root, run_logged, tool_path, trunk};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

struct Stage {
    name: &'static str,
    run: fn() -> Result<Option<u32>, String>,
}

const STAGES: &[Stage] = &[
    Stage {
        name: "fmt",
        run: fmt,
    },
    Stage {
        name: "clippy",
        run: clippy_native,
    },
    Stage {
        name: "clippy-wasm",
        run: clippy_wasm,
    },
    Stage {
        name: "native",
        run: native,
    },
    Stage {
        name: "browser",
        run: browser,
    },
    Stage {
        name: "conformance",
        run: conformance,
    },
    Stage {
        name: "e2e",
        run: e2e,
    },
    Stage {
        name: "secrets",
        run: secrets,
    },
];

/// The stage running now: its output goes to `target/test-logs/<stage>.log`.
static CURRENT: Mutex<&str> = Mutex::new("xtask");

/// The stages run so far in this invocation.
static RAN: Mutex<Vec<&str>> = Mutex::new(Vec::new());

/// The servers' logs each stage must leave (a file name's start), so that the search cannot
/// pass for want of them.
const SERVER_LOGS: &[(&str, &[&str])] = &[
    ("native", &["proxy-native-"]),
    ("conformance", &["proxy-conformance-", "sim-conformance"]),
    ("e2e", &["proxy-e2e-"]),
];

/// Where the suite's logs go: every stage's output, and the logs of the servers the tests
/// start (they find the folder in `TEST_LOG_DIR`).
pub fn log_dir() -> PathBuf {
    root().join("target/test-logs")
}

/// Runs a command of the current stage, echoing its output and keeping it in the stage's log.
fn logged(cmd: &mut Command, what: &str) -> Result<String, String> {
    let stage = *CURRENT.lock().unwrap_or_else(|p| p.into_inner());
    run_logged(cmd, what, Some(&log_dir().join(format!("{stage}.log"))))
}

pub fn run(args: &[String]) -> Result<(), String> {
    let (from, only) = match args {
        [] => (None, None),
        [flag, stage] if flag == "--from" => (Some(stage.as_str()), None),
        [flag, stage] if flag == "--only" => (None, Some(stage.as_str())),
        _ => return Err(usage()),
    };
    for name in from.iter().chain(only.iter()) {
        if !STAGES.iter().any(|s| s.name == *name) {
            return Err(usage());
        }
    }
    // A run that includes the suite starts with no logs; `--only secrets` searches the last
    // run's.
    if only != Some("secrets") && from != Some("secrets") {
        let _ = std::fs::remove_dir_all(log_dir());
    }
    std::fs::create_dir_all(log_dir()).map_err(|e| format!("creating target/test-logs: {e}"))?;
    // Every server a test starts writes its log here too.
    std::env::set_var("TEST_LOG_DIR", log_dir());
    let mut started = from.is_none();
    let mut summary = Vec::new();
    let all = Instant::now();
    for stage in STAGES {
        started |= from == Some(stage.name);
        if !started || only.is_some_and(|o| o != stage.name) {
            continue;
        }
        println!("\n=== stage {}", stage.name);
        *CURRENT.lock().unwrap_or_else(|p| p.into_inner()) = stage.name;
        RAN.lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(stage.name);
        let t = Instant::now();
        let outcome = (stage.run)().map_err(|e| format!("stage `{}` failed: {e}", stage.name))?;
        let secs = t.elapsed().as_secs();
        summary.push(match outcome {
            Some(n) => format!("{:<12} {n} tests passed ({secs} s)", stage.name),
            None => format!("{:<12} clean ({secs} s)", stage.name),
        });
    }
    println!("\n=== summary");
    for line in &summary {
        println!("{line}");
    }
    println!("all stages passed in {} s", all.elapsed().as_secs());
    Ok(())
}

fn usage() -> String {
    let names: Vec<&str> = STAGES.iter().map(|s| s.name).collect();
    format!(
        "usage: cargo xtask test [--from STAGE | --only STAGE]; stages: {}",
        names.join(", ")
    )
}

/// At least one test must have run.
fn require_tests(count: u32, what: &str) -> Result<Option<u32>, String> {
    if count == 0 {
        Err(format!("{what} ran no test"))
    } else {
        Ok(Some(count))
    }
}

/// Sums `N passed` over the closing lines of cargo test, wasm-bindgen-test, pytest and
/// Playwright.
pub fn count_passed(output: &str) -> u32 {
    output
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let at = words
                .iter()
                .position(|w| w.trim_end_matches([';', ',']) == "passed")?;
            let is_summary = line.contains("test result:")
                || line.trim_start().starts_with("===")
                || line.trim_start().starts_with(char::is_numeric);
            if !is_summary || at == 0 {
                return None;
            }
            words[at - 1].parse::<u32>().ok()
        })
        .sum()
}

fn fmt() -> Result<Option<u32>, String> {
    logged(
        cargo().args(["fmt", "--all", "--check"]),
        "cargo fmt --check",
    )?;
    Ok(None)
}

fn clippy_native() -> Result<Option<u32>, String> {
    logged(
        cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "slack-admin-console",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy (native)",
    )?;
    Ok(None)
}

fn clippy_wasm() -> Result<Option<u32>, String> {
    logged(
        cargo().args([
            "clippy",
            "-p",
            "slack-admin-console",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy (app on wasm32)",
    )?;
    Ok(None)
}

fn native() -> Result<Option<u32>, String> {
    let out = logged(
        cargo().args(["test", "--workspace", "--exclude", "slack-admin-console"]),
        "cargo test",
    )?;
    require_tests(count_passed(&out), "cargo test")
}

fn browser() -> Result<Option<u32>, String> {
    let out = logged(
        cargo()
            .args([
                "test",
                "-p",
                "slack-admin-console",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("PATH", tool_path())
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        "wasm-bindgen-test in headless Chromium",
    )?;
    require_tests(count_passed(&out), "wasm-bindgen-test")
}

fn conformance() -> Result<Option<u32>, String> {
    let dir = root().join("crates/sim/conformance");
    if !dir.exists() {
        return Err("crates/sim/conformance is missing".into());
    }
    logged(
        cargo().args(["build", "-p", "slack-sim", "-p", "slack-admin-proxy"]),
        "cargo build -p slack-sim -p slack-admin-proxy",
    )?;
    let out = logged(
        Command::new(root().join(".venv/bin/python"))
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg(&dir)
            .env("SLACK_SIM_BIN", root().join("target/debug/slack-sim"))
            .env(
                "SLACK_ADMIN_PROXY_BIN",
                root().join("target/debug/slack-admin-proxy"),
            )
            .current_dir(root()),
        "pytest with slack_sdk against slack-sim",
    )?;
    require_tests(count_passed(&out), "pytest")
}

/// The sub-path the e2e build is served under, as on GitHub Pages.
pub const E2E_BASE: &str = "/slack-admin-console/";

fn e2e() -> Result<Option<u32>, String> {
    let dist = root().join("target/e2e-dist");
    logged(
        trunk()
            .args(["build", "--public-url", E2E_BASE, "--dist"])
            .arg(&dist),
        "trunk build",
    )?;
    // As the Pages workflow does: GitHub Pages answers unknown paths with 404.html, so deep
    // links and reloads reach the app (serve.mjs does the same).
    std::fs::copy(dist.join("index.html"), dist.join("404.html"))
        .map_err(|e| format!("copying index.html to 404.html: {e}"))?;
    logged(
        cargo().args(["build", "-p", "slack-sim", "-p", "slack-admin-proxy"]),
        "cargo build -p slack-sim -p slack-admin-proxy",
    )?;
    let out = logged(
        Command::new(root().join("e2e/node_modules/.bin/playwright"))
            .args(["test", "--reporter=list"])
            .env("DIST", &dist)
            .env("BASE_PATH", E2E_BASE)
            .env("APP_PORT", free_port().to_string())
            .env("SIM_PORT", free_port().to_string())
            .env("SLACK_SIM_BIN", root().join("target/debug/slack-sim"))
            .env(
                "SLACK_ADMIN_PROXY_BIN",
                root().join("target/debug/slack-admin-proxy"),
            )
            .current_dir(root().join("e2e")),
        "Playwright",
    )?;
    require_tests(count_passed(&out), "Playwright")
}

/// Searches every log of the suite (each stage's output and each server's log) for a secret:
/// a Slack token, a proxy access key or a signing secret the tests use. Fails naming the
/// file and line, never the secret.
fn secrets() -> Result<Option<u32>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(log_dir())
        .map_err(|e| format!("reading target/test-logs: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let servers = files
        .iter()
        .filter(|p| file_name(p).starts_with("proxy-"))
        .count();
    if files.iter().all(|p| file_name(p) == "secrets.log") {
        return Err("target/test-logs holds no log: run the suite first".into());
    }
    // Each stage that ran left its servers' logs, not empty; the e2e sim's is in e2e.log.
    let ran = RAN.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let non_empty = |p: &PathBuf| std::fs::metadata(p).is_ok_and(|m| m.len() > 0);
    for (stage, prefixes) in SERVER_LOGS {
        if !ran.contains(stage) {
            continue;
        }
        for prefix in *prefixes {
            if !files
                .iter()
                .any(|p| file_name(p).starts_with(prefix) && non_empty(p))
            {
                return Err(format!(
                    "the {stage} stage left no {prefix}* log in target/test-logs: its servers' logs would not be searched"
                ));
            }
        }
    }
    if ran.contains(&"e2e") {
        let e2e = std::fs::read_to_string(log_dir().join("e2e.log")).unwrap_or_default();
        if !e2e.contains("[WebServer]") {
            return Err("e2e.log holds no line of the e2e servers ([WebServer]): their logs would not be searched".into());
        }
    }
    let (mut lines, mut found) = (0usize, Vec::new());
    for path in &files {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        for (n, line) in text.lines().enumerate() {
            lines += 1;
            for what in find_secrets(line) {
                found.push(format!("{}:{}: {what}", file_name(path), n + 1));
            }
        }
    }
    println!(
        "searched {lines} lines in {} logs ({servers} of them the proxy's) for tokens, access keys and signing secrets",
        files.len()
    );
    if found.is_empty() {
        Ok(None)
    } else {
        Err(format!(
            "a secret is in the logs (never log one):\n{}",
            found.join("\n")
        ))
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Signing secrets the suite uses (Slack's documented example among them), or how they
/// begin: the e2e one ends with the time it was made.
const TEST_SIGNING_SECRETS: &[&str] = &[
    "8f742231b10e8888abcd99yyyzzz85a5",
    "sim-test-signing-secret",
    "e2e-signing-secret-",
];

/// What secrets `line` holds, each named by its kind and first characters only.
pub fn find_secrets(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let token_char = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    for (at, _) in line.match_indices("xox") {
        let kind = bytes.get(at + 3).copied().unwrap_or(b' ');
        if !b"abcdeoprs".contains(&kind) || bytes.get(at + 4) != Some(&b'-') {
            continue;
        }
        let rest = bytes[at + 5..]
            .iter()
            .take_while(|b| token_char(**b))
            .count();
        if rest >= 6 {
            found.push(format!("a Slack token (xox{}-…)", kind as char));
        }
    }
    for (at, _) in line.match_indices("xapp-") {
        let rest = bytes[at + 5..]
            .iter()
            .take_while(|b| token_char(**b))
            .count();
        if rest >= 6 {
            found.push("a Slack app-level token (xapp-…)".into());
        }
    }
    for (at, _) in line.match_indices("sak_") {
        let rest = bytes[at + 4..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if rest >= 16 {
            found.push("a proxy access key (sak_…)".into());
        }
    }
    for secret in TEST_SIGNING_SECRETS {
        if line.contains(secret) {
            found.push(format!("a signing secret ({}…)", &secret[..4]));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{count_passed, find_secrets};

    #[test]
    fn finds_tokens_keys_and_secrets_and_names_them_without_them() {
        let line = "POST token=xoxp-sandbox-org-admin key sak_0123456789abcdef0123 and 8f742231b10e8888abcd99yyyzzz85a5";
        let found = find_secrets(line);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found
            .iter()
            .all(|f| !f.contains("sandbox") && !f.contains("0123")));
        assert_eq!(
            find_secrets("Bearer xoxb-1234567890-abc"),
            ["a Slack token (xoxb-…)"]
        );
    }

    #[test]
    fn words_that_only_look_like_secrets_pass() {
        for line in [
            "paste a token (starts with xoxp-)",
            "xoxp-… is refused",
            "the key starts with sak_ and 64 hex digits",
            "sak_ab",
            "xoxz-notatoken-at-all",
        ] {
            assert!(find_secrets(line).is_empty(), "{line}");
        }
    }

    #[test]
    fn counts_the_closing_lines_of_every_runner() {
        let out = "test result: ok. 12 passed; 0 failed; 0 ignored\n\
                   running 3 tests\n\
                   test result: ok. 3 passed; 0 failed\n\
                   ===== 41 passed in 3.2s =====\n\
                   \x20 7 passed (12.1s)\n\
                   a line that says 5 passed in prose\n";
        assert_eq!(count_passed(out), 12 + 3 + 41 + 7);
    }

    #[test]
    fn no_summary_counts_zero() {
        assert_eq!(
            count_passed("running 0 tests\ntest result: ok. 0 passed;"),
            0
        );
    }
}
