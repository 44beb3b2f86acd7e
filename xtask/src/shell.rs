//! Running commands: where the repo and the tools are.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The repository's root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

/// `cargo`, the one that runs this xtask.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// PATH with the project's tools first: cargo's bin (trunk, wasm-bindgen) and the npm
/// packages' bin (wasm-opt from `binaryen`).
pub fn tool_path() -> String {
    let mut dirs = vec![
        cargo_home().join("bin"),
        root().join("e2e/node_modules/.bin"),
    ];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs)
        .expect("paths without separators")
        .to_string_lossy()
        .into_owned()
}

pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"))
}

/// `trunk` with the project's tools on PATH and downloads off.
pub fn trunk() -> Command {
    let mut cmd = Command::new(cargo_home().join("bin/trunk"));
    cmd.current_dir(root())
        .env("PATH", tool_path())
        .env("TRUNK_OFFLINE", "true")
        .env("NO_COLOR", "true");
    cmd
}

/// Runs a command; an error names what failed.
pub fn exec(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("{what}: could not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what}: failed ({status})"))
    }
}

/// Runs a command and returns its stdout, or `None` if it could not run or failed.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs a command, echoing its output, and returns stdout+stderr for counting tests; with a
/// `log`, also appends every line to it (the suite's logs, which `cargo xtask test` searches
/// for secrets at the end).
pub fn run_logged(
    cmd: &mut Command,
    what: &str,
    log: Option<&std::path::Path>,
) -> Result<String, String> {
    let log = match log {
        Some(path) => Some(std::sync::Arc::new(std::sync::Mutex::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("{what}: cannot write its log {}: {e}", path.display()))?,
        ))),
        None => None,
    };
    let write = |log: &Option<std::sync::Arc<std::sync::Mutex<std::fs::File>>>, line: &str| {
        if let Some(file) = log {
            use std::io::Write;
            let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
            let _ = writeln!(file, "{line}");
        }
    };
    let err_log = log.clone();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{what}: could not start: {e}"))?;
    let stderr = child.stderr.take().expect("piped");
    let err_thread = std::thread::spawn(move || {
        let mut text = String::new();
        for_each_line(stderr, |line| {
            eprintln!("{line}");
            write(&err_log, line);
            text.push_str(line);
            text.push('\n');
        });
        text
    });
    let mut text = String::new();
    for_each_line(child.stdout.take().expect("piped"), |line| {
        println!("{line}");
        write(&log, line);
        text.push_str(line);
        text.push('\n');
    });
    text.push_str(&err_thread.join().unwrap_or_default());
    let status = child.wait().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(text)
    } else {
        Err(format!("{what}: failed ({status})"))
    }
}

/// Every line of `from` until it ends, bytes that are not UTF-8 replaced (a line that is not
/// text never stops the reading: the child would block on a full pipe, and what follows would
/// be neither shown nor searched).
fn for_each_line(from: impl std::io::Read, mut each: impl FnMut(&str)) {
    let mut reader = BufReader::new(from);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let text = String::from_utf8_lossy(&line);
                each(text.trim_end_matches(['\n', '\r']));
            }
        }
    }
}

/// Starts the built `slack-sim` on a free loopback port, in a process group of its own (so a
/// [`crate::supervise::Supervisor`] can stop it); returns it and its base URL.
pub fn start_sim(extra: &[&str]) -> Result<(Child, String), String> {
    use std::os::unix::process::CommandExt;
    let bin = root().join("target/debug/slack-sim");
    let mut child = Command::new(&bin)
        .process_group(0)
        .args(["--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.strip_prefix("listening on ") {
                    break url.trim().to_owned();
                }
            }
            _ => {
                let _ = child.kill();
                return Err("slack-sim ended before saying where it listens".into());
            }
        }
    };
    // Keep draining its output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Ok((child, url))
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(8765)
}
