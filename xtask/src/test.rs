//! `cargo xtask test`: every test, stage by stage. Stops at the first failure and names the
//! stage; a stage that ran no test fails too.

use crate::shell::{cargo, exec, free_port, root, run_capture, tool_path, trunk};
use std::process::Command;
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
];

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
    let mut started = from.is_none();
    let mut summary = Vec::new();
    let all = Instant::now();
    for stage in STAGES {
        started |= from == Some(stage.name);
        if !started || only.is_some_and(|o| o != stage.name) {
            continue;
        }
        println!("\n=== stage {}", stage.name);
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
    exec(
        cargo().args(["fmt", "--all", "--check"]),
        "cargo fmt --check",
    )?;
    Ok(None)
}

fn clippy_native() -> Result<Option<u32>, String> {
    exec(
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
    exec(
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
    let out = run_capture(
        cargo().args(["test", "--workspace", "--exclude", "slack-admin-console"]),
        "cargo test",
    )?;
    require_tests(count_passed(&out), "cargo test")
}

fn browser() -> Result<Option<u32>, String> {
    let out = run_capture(
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
    exec(
        cargo().args(["build", "-p", "slack-sim", "-p", "slack-admin-proxy"]),
        "cargo build -p slack-sim -p slack-admin-proxy",
    )?;
    let out = run_capture(
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
    exec(
        trunk()
            .args(["build", "--public-url", E2E_BASE, "--dist"])
            .arg(&dist),
        "trunk build",
    )?;
    // As the Pages workflow does: GitHub Pages answers unknown paths with 404.html, so deep
    // links and reloads reach the app (serve.mjs does the same).
    std::fs::copy(dist.join("index.html"), dist.join("404.html"))
        .map_err(|e| format!("copying index.html to 404.html: {e}"))?;
    exec(
        cargo().args(["build", "-p", "slack-sim", "-p", "slack-admin-proxy"]),
        "cargo build -p slack-sim -p slack-admin-proxy",
    )?;
    let out = run_capture(
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

#[cfg(test)]
mod tests {
    use super::count_passed;

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
