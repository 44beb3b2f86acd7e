//! `cargo xtask bench <name>`: benchmarks that print figures. They never fail on a slow machine;
//! they fail only when there is nothing to measure (the build failed, the page never got ready).

use crate::shell::{cargo, exec, root, trunk};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "usage: cargo xtask bench <sim | size | invites | members | inbox>";

/// The first load's aim, brotli-compressed, in bytes (1 KB = 1000 bytes).
const SIZE_AIM: usize = 300_000;

pub fn run(args: &[String]) -> Result<(), String> {
    match args {
        [name] => match name.as_str() {
            "sim" => sim(),
            "size" => size(),
            "invites" => exec(
                cargo().args([
                    "run",
                    "--release",
                    "-p",
                    "slack-sim",
                    "--example",
                    "bench_invites",
                ]),
                "invites benchmark",
            ),
            "members" => members(),
            "inbox" => inbox(),
            other => Err(format!(
                "no benchmark named `{other}`; there are: sim, size, invites, members, inbox\n{USAGE}"
            )),
        },
        _ => Err(USAGE.into()),
    }
}

/// The simulator's start-up at 100,000 members and a 1,000-row page of `admin.users.list`.
fn sim() -> Result<(), String> {
    exec(
        cargo().args(["run", "--release", "-p", "slack-sim", "--example", "bench"]),
        "sim benchmark",
    )
}

/// The members view at 100,000 members: core's code natively (rows, sort, a keystroke's
/// filter), then the page in headless Chromium on the sandbox's big org (`e2e/bench/
/// members.mjs`: the load, keystroke to paint, rows in the DOM, JS heap), then the first load
/// again, which the members page must not weigh down.
fn members() -> Result<(), String> {
    exec(
        cargo().args([
            "run",
            "--release",
            "-p",
            "slack-sim",
            "--example",
            "bench_members",
        ]),
        "members benchmark (native)",
    )?;
    let dist = release_build()?;
    exec(
        Command::new("node")
            .arg(root().join("e2e/bench/members.mjs"))
            .env("DIST", &dist)
            .current_dir(root().join("e2e")),
        "the members page in headless Chromium",
    )?;
    first_load(&dist)
}

/// The invite-request inbox at 1,000 pending requests (`e2e/bench/inbox.mjs`: a release
/// `slack-sim --pending-requests 1000`, the release app in headless Chromium in token mode:
/// the load, and a key to the list painted over 200 decisions), then the first load again.
fn inbox() -> Result<(), String> {
    exec(
        cargo().args(["build", "--release", "-p", "slack-sim"]),
        "cargo build --release -p slack-sim",
    )?;
    let dist = release_build()?;
    exec(
        Command::new("node")
            .arg(root().join("e2e/bench/inbox.mjs"))
            .env("DIST", &dist)
            .env("SLACK_SIM_BIN", root().join("target/release/slack-sim"))
            .current_dir(root().join("e2e")),
        "the inbox in headless Chromium",
    )?;
    first_load(&dist)
}

/// The release build, served at `/`, in `target/bench-dist`.
fn release_build() -> Result<PathBuf, String> {
    let dist = root().join("target/bench-dist");
    exec(
        trunk()
            .args(["build", "--release", "--public-url", "/", "--dist"])
            .arg(&dist),
        "trunk build --release",
    )?;
    Ok(dist)
}

/// The release build as a browser fetches it: the files of the first navigation to the connect
/// page and of choosing the sandbox (recorded by `e2e/bench/first-load.mjs` from what the
/// server handed out), their sizes on the wire, and the times to interactive and to the
/// sandbox's overview; then what the page's own wasm is made of.
fn size() -> Result<(), String> {
    let dist = release_build()?;
    first_load(&dist)
}

/// The first load of the build in `dist`: see [`size`].
fn first_load(dist: &Path) -> Result<(), String> {
    let fetched = root().join("target/bench-fetched.txt");
    let _ = std::fs::remove_file(&fetched);
    exec(
        Command::new("node")
            .arg(root().join("e2e/bench/first-load.mjs"))
            .env("DIST", dist)
            .env("FETCHED", &fetched)
            .current_dir(root().join("e2e")),
        "the first load in headless Chromium",
    )?;
    let text = std::fs::read_to_string(&fetched)
        .map_err(|e| format!("reading {}: {e}", fetched.display()))?;
    let (first, sandbox) = phases(&text)?;
    let measure = |files: &[PathBuf]| -> Result<Vec<Row>, String> {
        files.iter().map(|f| Row::measure(dist, f)).collect()
    };
    let first = measure(&first)?;
    print!(
        "{}",
        table("first load: navigation to the connect page", &first)
    );
    let brotli: usize = first.iter().map(|r| r.brotli).sum();
    println!(
        "aim: first load under {} brotli: {} ({})",
        kb(SIZE_AIM),
        if brotli < SIZE_AIM { "met" } else { "NOT met" },
        kb(brotli)
    );
    print!(
        "{}",
        table(
            "choosing the sandbox (fetched then, not before)",
            &measure(&sandbox)?
        )
    );
    if !first.iter().any(|r| r.name.ends_with("_bg.wasm")) {
        return Err("the first load fetched no wasm".into());
    }
    crate::weight::report()
}

/// The files of each phase, from `first <file>` and `sandbox <file>` lines; wasm, js, css,
/// html, then the rest.
fn phases(text: &str) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
    let (mut first, mut sandbox) = (Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match line.split_once(' ') {
            Some(("first", f)) => first.push(PathBuf::from(f)),
            Some(("sandbox", f)) => sandbox.push(PathBuf::from(f)),
            _ => return Err(format!("unreadable line in the fetched files: {line:?}")),
        }
    }
    if first.is_empty() {
        return Err("the browser fetched nothing on the first load".into());
    }
    for files in [&mut first, &mut sandbox] {
        files.sort_by_key(|f| (kind_order(f), f.clone()));
        files.dedup();
    }
    Ok((first, sandbox))
}

fn kind(file: &Path) -> &str {
    file.extension().and_then(|e| e.to_str()).unwrap_or("")
}

fn kind_order(file: &Path) -> usize {
    ["wasm", "js", "css", "html"]
        .iter()
        .position(|k| *k == kind(file))
        .unwrap_or(4)
}

struct Row {
    name: String,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

impl Row {
    fn measure(dist: &Path, file: &Path) -> Result<Row, String> {
        let bytes = std::fs::read(dist.join(file))
            .map_err(|e| format!("reading {}: {e}", file.display()))?;
        Ok(Row {
            name: file.display().to_string(),
            raw: bytes.len(),
            gzip: gzip(&bytes),
            brotli: brotli(&bytes),
        })
    }
}

/// gzip at level 9, as `gzip -9`.
fn gzip(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory").len()
}

/// brotli at quality 11 with a 4 MB window, as `brotli -q 11`.
fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(bytes).expect("writing to memory");
    }
    out.len()
}

fn kb(bytes: usize) -> String {
    if bytes < 1000 {
        format!("{bytes} B")
    } else {
        format!("{:.1} KB", bytes as f64 / 1000.0)
    }
}

fn table(title: &str, rows: &[Row]) -> String {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(5);
    let line = |name: &str, raw: usize, gzip: usize, brotli: usize| {
        format!(
            "{name:<width$}  {:>10}  {:>10}  {:>10}\n",
            kb(raw),
            kb(gzip),
            kb(brotli)
        )
    };
    let mut out = format!(
        "\n{title} (1 KB = 1000 bytes)\n{:<width$}  {:>10}  {:>10}  {:>10}\n",
        "file", "raw", "gzip -9", "brotli -11"
    );
    for r in rows {
        out += &line(&r.name, r.raw, r.gzip, r.brotli);
    }
    let sum = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    out += &line("total", sum(|r| r.raw), sum(|r| r.gzip), sum(|r| r.brotli));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_shrinks_repetitive_text_and_brotli_beats_gzip_on_it() {
        let text = "<button id=\"connect-sandbox\">Try the sandbox</button>\n".repeat(200);
        let (g, b) = (gzip(text.as_bytes()), brotli(text.as_bytes()));
        assert!(g < text.len() / 10, "gzip {g}");
        assert!(b <= g, "brotli {b} gzip {g}");
    }

    #[test]
    fn the_table_lists_each_file_then_the_total() {
        let rows = [
            Row {
                name: "app_bg.wasm".into(),
                raw: 200_000,
                gzip: 80_000,
                brotli: 70_000,
            },
            Row {
                name: "app.js".into(),
                raw: 20_000,
                gzip: 5_000,
                brotli: 4_500,
            },
        ];
        let t = table("first load", &rows);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[4].starts_with("app.js"), "{t}");
        assert!(lines[5].starts_with("total"), "{t}");
        assert!(lines[5].ends_with("74.5 KB"), "{t}");
    }

    #[test]
    fn phases_split_by_their_word_with_wasm_first_then_js_css_html() {
        let text =
            "first index.html\nfirst favicon.svg\nfirst a.css\nfirst a.js\nfirst a_bg.wasm\n\
                    first a.js\nsandbox w_bg.wasm\nsandbox w.js\n";
        let (first, sandbox) = phases(text).unwrap();
        let names = |v: &[PathBuf]| {
            v.iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&first),
            ["a_bg.wasm", "a.js", "a.css", "index.html", "favicon.svg"]
        );
        assert_eq!(names(&sandbox), ["w_bg.wasm", "w.js"]);
        assert!(phases("").is_err());
        assert!(phases("first a.js\nthird b.js\n").is_err());
    }
}
