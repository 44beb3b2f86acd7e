//! The `slack-sim` binary: prints where it listens, serves HTTP, drops connections on demand,
//! stops on SIGTERM.
#![cfg(all(unix, feature = "server"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    addr: String,
    tokens_line: String,
}

fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_slack-sim"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("listening on http://")
        .expect(&first)
        .to_owned();
    // Not at a terminal (a pipe, a log): where the tokens are, not the tokens.
    let tokens_line = lines.next().unwrap().unwrap();
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        addr,
        tokens_line,
    }
}

fn raw(addr: &str, request: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

fn stop(mut server: Server) {
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "clean exit on SIGTERM: {status}");
}

#[test]
fn serves_the_web_api_and_stops_on_sigterm() {
    let server = start(&[]);
    // Its fake tokens are listed only at a terminal, never into a log.
    assert!(
        server.tokens_line.starts_with("tokens: see") && !server.tokens_line.contains("xox"),
        "{}",
        server.tokens_line
    );
    let body = "token=xoxp-sandbox-org-admin";
    let answer = raw(
        &server.addr,
        &format!(
            "POST /api/auth.test HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"user_id\":\"W0A1C0002\""), "{answer}");
    assert!(answer
        .to_ascii_lowercase()
        .contains("x-oauth-scopes: admin,admin.users:read"));
    stop(server);
}

#[test]
fn a_dropped_connection_gets_no_answer() {
    let server = start(&["--faults", "drop=1", "--seed", "3"]);
    let answer = raw(
        &server.addr,
        "GET /api/auth.test?token=xoxp-sandbox-org-admin HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(answer, "");
    stop(server);
}

#[test]
fn help_documents_the_faults() {
    let out = Command::new(env!("CARGO_BIN_EXE_slack-sim"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for word in [
        "--faults",
        "burst429",
        "malformed",
        "slow=R[:MS]",
        "--rate-scale",
        "--members",
        "--seed",
    ] {
        assert!(text.contains(word), "{word} in:\n{text}");
    }
}
