//! `cargo xtask bench <name>`: benchmarks that print figures.

use crate::shell::cargo;

pub fn run_bench(name: &str) -> Result<(), String> {
    match name {
        "sim" => crate::shell::exec(
            cargo().args(["run", "--release", "-p", "slack-sim", "--example", "bench"]),
            "sim benchmark",
        ),
        other => Err(format!("no benchmark named `{other}`; there are: sim")),
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    match args {
        [name] => run_bench(name),
        _ => Err("usage: cargo xtask bench <sim>".into()),
    }
}
