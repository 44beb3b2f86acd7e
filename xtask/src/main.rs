//! `cargo xtask <task>`: the project's own commands.
//!
//! - `setup`: installs every tool the project needs on a fresh Debian machine (idempotent).
//! - `serve`: builds and serves the console with the sandbox org, plus a `slack-sim` server.
//! - `test`: every test, stage by stage, stopping at the first failure.
//! - `bench <sim|size|invites|members|inbox>`: benchmarks that print figures (`size`: the
//!   release build's first load in bytes and the time to an interactive connect page).

mod bench;
mod setup;
mod shell;
mod supervise;
mod test;
mod weight;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup | serve [--port N] | test [--from STAGE] [--only STAGE] | bench <sim | size | invites | members | inbox>>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("serve") => setup::run().and_then(|()| serve(&args[1..])),
        Some("test") => setup::run().and_then(|()| test::run(&args[1..])),
        Some("bench") => setup::run().and_then(|()| bench::run(&args[1..])),
        // For xtask's own test that SIGTERM stops `serve`'s children.
        Some("__supervise-sleep") => supervise::sleep_for_test(),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the app and serves it with trunk (rebuilding on change), beside a `slack-sim` server
/// for token mode.
fn serve(args: &[String]) -> Result<(), String> {
    let port = match args {
        [flag, port] if flag == "--port" => port.clone(),
        [] => "8080".to_owned(),
        _ => return Err("usage: cargo xtask serve [--port N]".into()),
    };
    let root = shell::root();
    shell::exec(
        shell::cargo().args(["build", "-p", "slack-sim"]),
        "build slack-sim",
    )?;
    // Listening before anything starts: Ctrl-C or SIGTERM from now on stops both children.
    let mut children = supervise::Supervisor::new()?;
    let (sim, sim_url) = shell::start_sim(&[])?;
    children.adopt("slack-sim", sim);
    println!("\nslack-sim (token mode; base URL for the connect page): {sim_url}/api/");
    println!("console: http://127.0.0.1:{port}/  (sandbox mode needs nothing else)\n");
    children.spawn(
        "trunk",
        shell::trunk()
            .args(["serve", "--port", &port, "--address", "127.0.0.1"])
            .current_dir(&root),
    )?;
    match children.wait_for("trunk") {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("trunk serve ended with {s}")),
        // Stopped by a signal: trunk and slack-sim are stopped too, and the exit status says
        // it did not end on its own (so `serve && next` does not go on).
        Err(why) => Err(why),
    }
}
