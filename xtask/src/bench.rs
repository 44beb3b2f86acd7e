//! `cargo xtask bench <name>`: benchmarks that print figures. They never fail on a slow machine;
//! they fail only when there is nothing to measure (the build failed, the page never got ready).

use crate::shell::{cargo, exec, root, trunk};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "usage: cargo xtask bench <sim | size | invites>";

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
            other => Err(format!(
                "no benchmark named `{other}`; there are: sim, size, invites\n{USAGE}"
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

/// The release build's first load: bytes on the wire, then the time to an interactive connect
/// page in headless Chromium.
fn size() -> Result<(), String> {
    let dist = root().join("target/bench-dist");
    exec(
        trunk()
            .args(["build", "--release", "--public-url", "/", "--dist"])
            .arg(&dist),
        "trunk build --release",
    )?;
    let files = first_load(&dist)?;
    let rows: Vec<Row> = files
        .iter()
        .map(|f| Row::measure(&dist, f))
        .collect::<Result<_, _>>()?;
    print!("{}", table(&rows));
    let brotli: usize = rows.iter().map(|r| r.brotli).sum();
    println!(
        "aim: first load under {} brotli: {} ({})\n",
        kb(SIZE_AIM),
        if brotli < SIZE_AIM { "met" } else { "NOT met" },
        kb(brotli)
    );
    exec(
        Command::new("node")
            .arg(root().join("e2e/bench/interactive.mjs"))
            .env("DIST", &dist)
            .current_dir(root().join("e2e")),
        "time to an interactive connect page",
    )
}

/// Every file the build emitted (the page, its script, wasm, style and icon): wasm, js, css,
/// html, then the rest.
fn first_load(dist: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut dirs = vec![dist.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path.strip_prefix(dist).expect("under dist").to_path_buf());
            }
        }
    }
    if files.is_empty() {
        return Err(format!("{} is empty after the build", dist.display()));
    }
    files.sort_by_key(|f| (kind_order(f), f.clone()));
    Ok(files)
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

fn table(rows: &[Row]) -> String {
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
        "\nfirst load (1 KB = 1000 bytes)\n{:<width$}  {:>10}  {:>10}  {:>10}\n",
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
        let t = table(&rows);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[4].starts_with("app.js"), "{t}");
        assert!(lines[5].starts_with("total"), "{t}");
        assert!(lines[5].ends_with("74.5 KB"), "{t}");
    }

    #[test]
    fn wasm_comes_first_then_js_css_html() {
        let mut files: Vec<PathBuf> = ["index.html", "favicon.svg", "a.css", "a.js", "a_bg.wasm"]
            .iter()
            .map(PathBuf::from)
            .collect();
        files.sort_by_key(|f| (kind_order(f), f.clone()));
        let names: Vec<_> = files.iter().map(|f| f.display().to_string()).collect();
        assert_eq!(
            names,
            ["a_bg.wasm", "a.js", "a.css", "index.html", "favicon.svg"]
        );
    }
}
