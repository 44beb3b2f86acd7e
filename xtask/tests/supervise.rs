//! `cargo xtask serve` stopped with SIGTERM left trunk and slack-sim running; its children
//! now stop with it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn alive(pid: i32) -> bool {
    // Reaped or not, a stopped child shows as a zombie at most; /proc/PID/stat's third
    // field is its state.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            let state = s.rsplit(") ").next().and_then(|r| r.split(' ').next());
            !matches!(state, Some("Z") | Some("X"))
        })
        .unwrap_or(false)
}

fn children_stop_on(signal: &str) {
    let mut xtask = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("__supervise-sleep")
        .stdout(Stdio::piped())
        .spawn()
        .expect("xtask starts");
    let mut line = String::new();
    BufReader::new(xtask.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let pids: Vec<i32> = line
        .trim()
        .strip_prefix("children ")
        .expect("xtask names its children")
        .split(' ')
        .map(|p| p.parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 2);
    assert!(pids.iter().all(|&p| alive(p)));
    let status = Command::new("kill")
        .args([signal, &xtask.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    while pids.iter().any(|&p| alive(p)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = xtask.wait();
    for p in pids {
        assert!(!alive(p), "child {p} still runs after {signal} to xtask");
    }
}

#[test]
fn serve_children_stop_on_sigterm() {
    children_stop_on("-TERM");
}

#[test]
fn serve_children_stop_on_sigint() {
    children_stop_on("-INT");
}
