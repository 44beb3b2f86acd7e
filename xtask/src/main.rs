//! `cargo xtask <task>`: the project's own commands.
//!
//! - `setup`: installs every tool the project needs on a fresh Debian machine (idempotent).
//! - `serve`: builds and serves the console with the sandbox org, plus a `slack-sim` server.
//! - `test`: every test, stage by stage, stopping at the first failure.
//! - `bench <sim|size|invites|members|inbox|proxy>`: benchmarks that print figures (`size`:
//!   the release build's first load in bytes and the time to an interactive connect page;
//!   `proxy`: the proxy against nginx under the same load).

mod bench;
mod setup;
mod shell;
mod supervise;
mod test;
mod weight;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup | serve [--port N] [--proxy] | test [--from STAGE] [--only STAGE] | bench <sim | size | invites | members | inbox | proxy>>";

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

/// The console served by `slack-admin-proxy` on `port`, in front of a local `slack-sim` whose
/// org admin token the proxy holds. The access key of "you" is written (once) to
/// `target/proxy-data/access-key.txt`, readable by you only: the key is not printed.
fn serve_proxy(port: &str) -> Result<(), String> {
    let root = shell::root();
    shell::exec(
        shell::cargo().args(["build", "-p", "slack-sim", "-p", "slack-admin-proxy"]),
        "build slack-sim and slack-admin-proxy",
    )?;
    let dist = root.join("target/proxy-dist");
    shell::exec(
        shell::trunk()
            .args(["build", "--public-url", "/", "--dist"])
            .arg(&dist)
            .current_dir(&root),
        "trunk build",
    )?;
    let bin = root.join("target/debug/slack-admin-proxy");
    let data = root.join("target/proxy-data");
    let key_file = data.join("access-key.txt");
    if !key_file.exists() {
        std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
        // Captured, never echoed. A name of its own each time: a key whose file was lost
        // (an interrupted run) keeps its name, and names are never reused.
        let name = format!(
            "you-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        );
        let out = std::process::Command::new(&bin)
            .args(["keys", "add", &name, "--data-dir"])
            .arg(&data)
            .stderr(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("slack-admin-proxy keys add: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "slack-admin-proxy keys add {name} failed ({}); remove {} to start afresh",
                out.status,
                data.display()
            ));
        }
        write_private(&key_file, String::from_utf8_lossy(&out.stdout).trim())?;
    }
    // Slack's events, locally: the sim signs `invite_requested` with a secret the proxy
    // checks (made once, kept beside the key, readable by you only), so the inbox through the
    // proxy hears each new request as it is filed (one every 90 s, or on demand).
    let secret_file = data.join("signing-secret.txt");
    if !secret_file.exists() {
        let mut bytes = [0u8; 16];
        use std::io::Read;
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut bytes))
            .map_err(|e| format!("no randomness for a signing secret: {e}"))?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        write_private(&secret_file, &hex)?;
    }
    let secret = std::fs::read_to_string(&secret_file)
        .map_err(|e| format!("reading {}: {e}", secret_file.display()))?;
    let events_url = format!("http://127.0.0.1:{port}/slack/events");
    let secret_path = secret_file.display().to_string();
    let mut children = supervise::Supervisor::new()?;
    let (sim, sim_url) = shell::start_sim(&[
        "--events-url",
        &events_url,
        "--signing-secret-file",
        &secret_path,
        "--request-every",
        "90",
    ])?;
    children.adopt("slack-sim", sim);
    children.spawn(
        "slack-admin-proxy",
        std::process::Command::new(&bin)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--slack-api-url", &format!("{sim_url}/api/")])
            .arg("--static-dir")
            .arg(&dist)
            .arg("--data-dir")
            .arg(&data)
            // The sim's org admin token: a fake sandbox token, safe to hold here.
            .env("SLACK_ADMIN_TOKEN", "xoxp-sandbox-org-admin")
            .env("SLACK_SIGNING_SECRET", secret.trim()),
    )?;
    println!("\nconsole through the proxy: http://127.0.0.1:{port}/");
    println!(
        "your access key is in {} (connect page: Through your team's proxy)\n",
        key_file.display()
    );
    match children.wait_for("slack-admin-proxy") {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("slack-admin-proxy ended with {s}")),
        Err(why) => Err(why),
    }
}

/// Writes `text` to `path`, readable and writable by the owner only.
fn write_private(path: &std::path::Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("writing {}: {e}", path.display()))?;
    writeln!(f, "{text}").map_err(|e| e.to_string())
}

/// Builds the app and serves it with trunk (rebuilding on change), beside a `slack-sim` server
/// for token mode.
fn serve(args: &[String]) -> Result<(), String> {
    let mut port = "8080".to_owned();
    let mut proxy = false;
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--port" => port = rest.next().cloned().ok_or("--port needs a number")?,
            "--proxy" => proxy = true,
            _ => return Err("usage: cargo xtask serve [--port N] [--proxy]".into()),
        }
    }
    if proxy {
        return serve_proxy(&port);
    }
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
