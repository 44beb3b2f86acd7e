//! What the page's own wasm is made of: twiggy's sizes of every function and data segment,
//! summed by the crate that owns them. Read from wasm-bindgen's output before wasm-opt strips
//! the names, so the shares are of the unoptimised module; wasm-opt shrinks each part by a
//! similar factor.

use crate::shell::{cargo_home, output, root};
use std::collections::HashMap;
use std::process::Command;

/// How many crates the report names before "the rest".
const SHOWN: usize = 16;

pub fn report() -> Result<(), String> {
    let wasm = root().join("target/wasm-bindgen/release/slack-admin-console_bg.wasm");
    if !wasm.exists() {
        return Err(format!(
            "{} is missing after the release build",
            wasm.display()
        ));
    }
    let csv = output(
        Command::new(cargo_home().join("bin/twiggy"))
            .args(["top", "-n", "1000000", "--format", "csv"])
            .arg(&wasm),
    )
    .ok_or("twiggy failed: run `cargo xtask setup` to install it")?;
    let parts = by_crate(&csv);
    let total: u64 = parts.iter().map(|(_, b)| b).sum();
    println!(
        "\nthe first load's wasm (the entrance) by crate (twiggy, before wasm-opt; names excluded)"
    );
    for (name, bytes) in parts.iter().take(SHOWN) {
        println!("{name:<28} {:>9} {:>5.1}%", kb(*bytes), pct(*bytes, total));
    }
    let rest: u64 = parts.iter().skip(SHOWN).map(|(_, b)| b).sum();
    println!(
        "{:<28} {:>9} {:>5.1}%",
        "the rest",
        kb(rest),
        pct(rest, total)
    );
    println!("{:<28} {:>9}", "total", kb(total));
    Ok(())
}

fn pct(part: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        part as f64 * 100.0 / total as f64
    }
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// Shallow sizes summed by owner, largest first. The name section itself is left out: the
/// release build strips it.
pub fn by_crate(csv: &str) -> Vec<(String, u64)> {
    let mut sums: HashMap<String, u64> = HashMap::new();
    for line in csv.lines().skip(1) {
        let Some((name, rest)) = split_name(line) else {
            continue;
        };
        let Some(bytes) = rest.split(',').next().and_then(|b| b.parse::<u64>().ok()) else {
            continue;
        };
        if name.contains("function names") || name.contains("local names") {
            continue;
        }
        *sums.entry(owner(&name)).or_default() += bytes;
    }
    let mut parts: Vec<_> = sums.into_iter().collect();
    parts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    parts
}

/// The first CSV field (quoted or not, `""` for a quote) and the rest of the line.
fn split_name(line: &str) -> Option<(String, &str)> {
    if let Some(quoted) = line.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().map(|(_, c)| *c) == Some('"') {
                    chars.next();
                    name.push('"');
                } else {
                    return Some((name, quoted[i + 1..].strip_prefix(',')?));
                }
            } else {
                name.push(c);
            }
        }
        None
    } else {
        let (name, rest) = line.split_once(',')?;
        Some((name.to_owned(), rest))
    }
}

/// Who a symbol belongs to: the crate of its path (`<T as tachys::…>` counts as the trait's
/// crate, where the code was generated), or what kind of section it is.
pub fn owner(name: &str) -> String {
    if name.starts_with("data segment") {
        return "data (text, tables)".into();
    }
    if name.starts_with("code[") || name.starts_with("elem") || name.starts_with("type[") {
        return "(unnamed code and tables)".into();
    }
    let path = match name.strip_prefix('<') {
        // `<T as trait::Path>::f`: the trait's crate; `<impl …>`: what follows.
        Some(inner) => inner
            .split_once(" as ")
            .map(|(_, t)| t)
            .unwrap_or(inner)
            .trim_start_matches("impl ")
            .trim_start_matches(['&', '[', '(']),
        None => name,
    };
    let krate = path.split("::").next().unwrap_or(path);
    // The standard library's crates carry a hash: `core[c5930c85a12de822]`.
    let krate = krate.split('[').next().unwrap_or(krate);
    if krate.is_empty() || krate.contains(' ') || path == krate {
        "(wasm-bindgen glue, other)".into()
    } else {
        krate.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_summed_by_crate_and_the_name_section_is_left_out() {
        let csv = "Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent\n\
                   \"\"\"function names\"\" subsection\",900,40,,\n\
                   \"data segment \"\".rodata\"\"\",150,6,,\n\
                   serde_json::de::from_str::h1,30,1,,\n\
                   serde_json::ser::to_string::h2,20,1,,\n\
                   <F as tachys::reactive_graph::ReactiveFunction>::invoke::h3,40,1,,\n\
                   \"leptos::a::<impl x, y>::b::h4\",5,0,,\n";
        assert_eq!(
            by_crate(csv),
            [
                ("data (text, tables)".to_owned(), 150),
                ("serde_json".to_owned(), 50),
                ("tachys".to_owned(), 40),
                ("leptos".to_owned(), 5),
            ]
        );
    }

    #[test]
    fn owners_of_generic_and_trait_symbols() {
        assert_eq!(
            owner("<alloc::vec::Vec<T> as core::clone::Clone>::clone::h1"),
            "core"
        );
        assert_eq!(
            owner("slack_admin_core::catalogue::explain::h2"),
            "slack_admin_core"
        );
        assert_eq!(owner("code[12]"), "(unnamed code and tables)");
        assert_eq!(owner("core[c5930c85a12de822]::fmt::write"), "core");
        assert_eq!(owner("memcpy"), "(wasm-bindgen glue, other)");
    }
}
