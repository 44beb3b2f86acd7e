//! `cargo xtask bench <name>`: benchmarks that print figures. They never fail on a slow machine;
//! they fail only when there is nothing to measure (the build failed, the page never got ready).

use crate::shell::{cargo, exec, root, trunk};
use crate::supervise::Supervisor;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "usage: cargo xtask bench <sim | size | invites | members | inbox | proxy>";

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
            "proxy" => proxy(),
            other => Err(format!(
                "no benchmark named `{other}`; there are: sim, size, invites, members, inbox, proxy\n{USAGE}"
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

// ---------------------------------------------------------------------------------------------
// `bench proxy`: slack-admin-proxy against Debian's nginx, each in front of the same slack-sim.

/// The sim's org admin token (a fake sandbox token): what both proxies put in place of the key.
const SIM_TOKEN: &str = "xoxp-sandbox-org-admin";
/// The method both are loaded with: a read, so nothing is audited or changed.
const LOAD_METHOD: &str = "users.info";
/// wrk's threads and open connections, the same for nginx and the proxy.
const LOAD_THREADS: u32 = 2;
const LOAD_CONNECTIONS: u32 = 16;
/// Seconds of warm-up (not counted), then of each measured round.
const WARMUP_S: u32 = 2;
const ROUND_S: u32 = 6;
/// Measured rounds, nginx and the proxy in turn; the figures are each one's medians over them.
const ROUNDS: usize = 5;
/// The aim: the proxy's p99 within this many times nginx's.
const P99_AIM: f64 = 1.2;
/// Above this share of the CPU used by the rest of the machine, the latencies are noise.
const BUSY: f64 = 0.1;
/// Allowances times this in the sim and the proxy's pacer: limits off, nobody waits.
const NO_LIMITS: &str = "1e9";

/// wrk's script: the same POST on every connection, its body and `Authorization` header from
/// the environment (the key is neither in the script nor on a command line); every answer must
/// be HTTP 200 with `"ok":true`; `done` prints one line of figures for [`Load::parse`].
const WRK_SCRIPT: &str = r#"
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTHORIZATION")

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  first_bad = ""
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"ok":true', 1, true) then
    bad = bad + 1
    if first_bad == "" then
      first_bad = status .. " " .. string.sub(body, 1, 160):gsub("%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  local bad, first_bad = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("bad")
    if first_bad == "" then first_bad = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    "bench-figures requests=%d duration_us=%d p50_us=%d p99_us=%d bad=%d errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    bad, e.connect + e.read + e.write + e.timeout))
  if first_bad ~= "" then io.write("bench-first-bad " .. first_bad .. "\n") end
end
"#;

/// One wrk run's figures.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Load {
    requests: u64,
    duration_us: u64,
    p50_us: f64,
    p99_us: f64,
    /// Answers that were not HTTP 200 with `"ok":true`.
    bad: u64,
    /// Socket errors and timeouts.
    errors: u64,
}

impl Load {
    /// The `bench-figures` line of [`WRK_SCRIPT`]'s `done`.
    fn parse(wrk_output: &str) -> Result<Load, String> {
        let line = wrk_output
            .lines()
            .find_map(|l| l.trim().strip_prefix("bench-figures "))
            .ok_or("wrk printed no figures (its script's `done` did not run)")?;
        let field = |name: &str| -> Result<u64, String> {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .ok_or(format!("wrk's figures lack {name}: {line}"))?
                .parse::<u64>()
                .map_err(|e| format!("wrk's {name}: {e}: {line}"))
        };
        Ok(Load {
            requests: field("requests")?,
            duration_us: field("duration_us")?,
            p50_us: field("p50_us")? as f64,
            p99_us: field("p99_us")? as f64,
            bad: field("bad")?,
            errors: field("errors")?,
        })
    }

    fn per_second(&self) -> f64 {
        if self.duration_us == 0 {
            0.0
        } else {
            self.requests as f64 * 1e6 / self.duration_us as f64
        }
    }
}

/// One measured run of one target.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Round {
    load: Load,
    /// The target's own CPU time (its processes: nginx's master and workers, or the proxy)
    /// per request, in µs.
    cpu_us: f64,
    /// The share of the machine's CPU (0 to 1) used meanwhile by everything but the target,
    /// the sim and wrk: other processes, and interrupts.
    others: f64,
}

/// A target's figures over the rounds: the median of each.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Summary {
    p50_us: f64,
    p99_us: f64,
    per_second: f64,
    cpu_us: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

impl Summary {
    fn of(rounds: &[Round]) -> Summary {
        let m = |f: fn(&Round) -> f64| median(rounds.iter().map(f).collect());
        Summary {
            p50_us: m(|r| r.load.p50_us),
            p99_us: m(|r| r.load.p99_us),
            per_second: m(|r| r.load.per_second()),
            cpu_us: m(|r| r.cpu_us),
        }
    }
}

fn ms(us: f64) -> String {
    format!("{:.3} ms", us / 1000.0)
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::INFINITY
    }
}

/// The figures for nginx and the proxy, their ratios, and the aim.
fn proxy_table(nginx: &Summary, proxy: &Summary) -> String {
    let row = |name: &str, s: &Summary| {
        format!(
            "{name:<12}  {:>10}  {:>10}  {:>10.0}  {:>9.0} µs\n",
            ms(s.p50_us),
            ms(s.p99_us),
            s.per_second,
            s.cpu_us
        )
    };
    let p99 = ratio(proxy.p99_us, nginx.p99_us);
    let mut out = format!(
        "{:<12}  {:>10}  {:>10}  {:>10}  {:>12}\n",
        "", "p50", "p99", "requests/s", "CPU/request"
    );
    out += &row("nginx", nginx);
    out += &row("proxy", proxy);
    out += &format!(
        "{:<12}  {:>9.2}×  {:>9.2}×  {:>9.2}×  {:>11.2}×\n",
        "proxy/nginx",
        ratio(proxy.p50_us, nginx.p50_us),
        p99,
        ratio(proxy.per_second, nginx.per_second),
        ratio(proxy.cpu_us, nginx.cpu_us)
    );
    out += &format!(
        "aim: p99 within {P99_AIM}× nginx's: {} ({p99:.2}×)\n",
        if p99 <= P99_AIM { "met" } else { "NOT met" }
    );
    out
}

/// Clock ticks a second in `/proc` (Linux's USER_HZ).
const USER_HZ: f64 = 100.0;

/// A process's CPU time (user + system, clock ticks) from its `/proc/PID/stat` line.
fn stat_ticks(stat: &str) -> Option<u64> {
    // After the command name in parentheses: field 3 (state) on; utime is 14, stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// A process's parent from its `/proc/PID/stat` line.
fn stat_parent(stat: &str) -> Option<u32> {
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The ticks the machine's CPUs were busy (neither idle nor waiting for a disk), from the
/// first line of `/proc/stat`.
fn busy_ticks(proc_stat: &str) -> Option<u64> {
    let fields: Vec<u64> = proc_stat
        .lines()
        .next()?
        .strip_prefix("cpu ")?
        .split_whitespace()
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    // user nice system idle iowait irq softirq steal (guest time is within user).
    let all: u64 = fields.iter().take(8).sum();
    Some(all - fields.get(3)? - fields.get(4)?)
}

fn machine_busy() -> u64 {
    std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|s| busy_ticks(&s))
        .unwrap_or(0)
}

/// The CPU time of `pids` (those still running), in clock ticks.
fn ticks_of(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/stat")).ok())
        .filter_map(|s| stat_ticks(&s))
        .sum()
}

/// The processes whose parent is `pid` (nginx's workers).
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                .and_then(|s| stat_parent(&s))
                == Some(pid)
        })
        .collect()
}

/// Only letters, digits, `-` and `_`: safe inside a quoted nginx string.
fn plain(secret: &str) -> bool {
    !secret.is_empty()
        && secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// nginx doing the proxy's job: `/api/` to the sim over kept-alive connections, the access key
/// checked (as a plain comparison) and replaced by the token. Everything in `prefix`.
fn nginx_conf(prefix: &Path, port: u16, sim: &str, key: &str, token: &str) -> String {
    let p = prefix.display();
    format!(
        "daemon off;
worker_processes auto;
pid {p}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log {p}/access.log;
    client_body_temp_path {p}/client_body;
    proxy_temp_path {p}/proxy;
    fastcgi_temp_path {p}/fastcgi;
    uwsgi_temp_path {p}/uwsgi;
    scgi_temp_path {p}/scgi;
    upstream slack_sim {{
        server {sim};
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /api/ {{
            if ($http_authorization != \"Bearer {key}\") {{ return 401; }}
            proxy_pass http://slack_sim;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Authorization \"Bearer {token}\";
        }}
    }}
}}
"
    )
}

/// A directory for this run (0700), removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Result<TempDir, String> {
        use std::os::unix::fs::DirBuilderExt;
        let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(|e| format!("creating {}: {e}", dir.display()))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes `text` to a new file readable and writable by the owner only.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

fn log_file(path: &Path) -> Result<std::process::Stdio, String> {
    std::fs::File::create(path)
        .map(std::process::Stdio::from)
        .map_err(|e| format!("creating {}: {e}", path.display()))
}

/// The last lines of a child's log, for an error message.
fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(10)..].join("\n")
}

/// Starts `cmd` in a process group of its own, under `children`, and returns the address it
/// says it listens on (`listening on http://ADDR`, its first such line on stdout) and its pid.
fn start_listening(
    children: &mut Supervisor,
    name: &str,
    cmd: &mut Command,
    log: &Path,
) -> Result<(String, u32), String> {
    use std::io::BufRead;
    use std::os::unix::process::CommandExt;
    let mut child = cmd
        .process_group(0)
        .stdout(std::process::Stdio::piped())
        .stderr(log_file(log)?)
        .spawn()
        .map_err(|e| format!("could not start {name}: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let pid = child.id();
    children.adopt(name, child);
    let mut lines = std::io::BufReader::new(stdout).lines();
    let addr = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.strip_prefix("listening on http://") {
                    break url.trim().to_owned();
                }
            }
            _ => {
                return Err(format!(
                    "{name} ended before saying where it listens:\n{}",
                    log_tail(log)
                ))
            }
        }
    };
    // Keep draining its output so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Ok((addr, pid))
}

/// One form POST over a fresh connection: the status and the body. `authorization` is never
/// part of an error.
fn http_post(
    addr: &str,
    path: &str,
    authorization: &str,
    body: &str,
) -> Result<(u16, String), String> {
    use std::io::Read;
    let mut stream =
        std::net::TcpStream::connect(addr).map_err(|e| format!("connecting to {addr}: {e}"))?;
    let timeout = Some(std::time::Duration::from_secs(5));
    let _ = stream.set_read_timeout(timeout);
    let _ = stream.set_write_timeout(timeout);
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {authorization}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("POST {path} to {addr}: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("POST {path} to {addr}: reading the answer: {e}"))?;
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or(format!("POST {path} to {addr}: not an HTTP answer"))?;
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Ok((status, body))
}

/// The first successful answer of `POST path` within 10 s: the target is up and answers as it
/// should (HTTP 200, `"ok":true`).
fn answers_ok(
    name: &str,
    addr: &str,
    path: &str,
    authorization: &str,
    body: &str,
) -> Result<String, String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let last = match http_post(addr, path, authorization, body) {
            Ok((200, answer)) if answer.contains("\"ok\":true") => return Ok(answer),
            Ok((status, answer)) => format!("HTTP {status}: {}", answer.trim()),
            Err(e) => e,
        };
        if std::time::Instant::now() > deadline {
            return Err(format!("{name} did not answer POST {path} with ok: {last}"));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// `"field":"value"` in a JSON text: the value.
fn json_string(json: &str, field: &str) -> Option<String> {
    let start = json.find(&format!("\"{field}\":\""))? + field.len() + 4;
    let len = json[start..].find('"')?;
    Some(json[start..start + len].to_owned())
}

/// Runs wrk against `addr` for `seconds` and returns its figures and the CPU time it used (in
/// clock ticks). A stop signal kills it.
fn wrk(
    addr: &str,
    seconds: u32,
    script: &Path,
    authorization: &str,
    body: &str,
    stop: &std::sync::atomic::AtomicUsize,
) -> Result<(Load, u64), String> {
    use std::io::Read;
    let mut child = Command::new("wrk")
        .args([
            "-t",
            &LOAD_THREADS.to_string(),
            "-c",
            &LOAD_CONNECTIONS.to_string(),
            "-d",
            &format!("{seconds}s"),
            "-s",
        ])
        .arg(script)
        .arg(format!("http://{addr}/api/{LOAD_METHOD}"))
        .env("BENCH_AUTHORIZATION", authorization)
        .env("BENCH_BODY", body)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start wrk: {e}"))?;
    // Its CPU time as last seen (every 50 ms) before it ended.
    let mut ticks = 0;
    let status = loop {
        if stop.load(std::sync::atomic::Ordering::SeqCst) != 0 {
            let _ = child.kill();
            let _ = child.wait();
            return Err("stopped by a signal".into());
        }
        ticks = ticks_of(&[child.id()]).max(ticks);
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(50)),
            Err(e) => return Err(format!("wrk: {e}")),
        }
    };
    let mut out = String::new();
    let mut err = String::new();
    let _ = child.stdout.take().expect("piped").read_to_string(&mut out);
    let _ = child.stderr.take().expect("piped").read_to_string(&mut err);
    if !status.success() {
        return Err(format!(
            "wrk failed ({status}): {}{}",
            out.trim(),
            err.trim()
        ));
    }
    let load = Load::parse(&out)?;
    if load.bad > 0 || load.errors > 0 || load.requests == 0 {
        let first = out
            .lines()
            .find_map(|l| l.strip_prefix("bench-first-bad "))
            .unwrap_or("none");
        return Err(format!(
            "a benchmark of refusals is worthless: of {} answers from {addr}, {} were not \
             HTTP 200 with \"ok\":true, and {} requests failed (first bad answer: {first})",
            load.requests, load.bad, load.errors
        ));
    }
    Ok((load, ticks))
}

/// A front under test: where it listens and its processes.
struct Target {
    name: &'static str,
    addr: String,
    pids: Vec<u32>,
}

/// Runs the load against a target: its figures, and the CPU time used meanwhile by the target
/// and by everything but the target, the sim and wrk.
struct Bench<'a> {
    sim_pid: u32,
    script: &'a Path,
    authorization: &'a str,
    body: &'a str,
    stop: &'a std::sync::atomic::AtomicUsize,
}

impl Bench<'_> {
    fn run(&self, target: &Target, seconds: u32) -> Result<Round, String> {
        let (busy, own, sim) = (
            machine_busy(),
            ticks_of(&target.pids),
            ticks_of(&[self.sim_pid]),
        );
        let started = std::time::Instant::now();
        let (load, wrk_ticks) = wrk(
            &target.addr,
            seconds,
            self.script,
            self.authorization,
            self.body,
            self.stop,
        )?;
        let wall = started.elapsed().as_secs_f64();
        let own = ticks_of(&target.pids).saturating_sub(own);
        let sim = ticks_of(&[self.sim_pid]).saturating_sub(sim);
        let others = machine_busy()
            .saturating_sub(busy)
            .saturating_sub(own + sim + wrk_ticks);
        Ok(Round {
            load,
            cpu_us: own as f64 / USER_HZ * 1e6 / load.requests.max(1) as f64,
            others: (others as f64 / USER_HZ / (wall * cores() as f64)).min(1.0),
        })
    }
}

/// slack-admin-proxy and Debian's nginx, each reverse-proxying the same release `slack-sim`
/// (limits off) on loopback, under the same wrk load: p50, p99, requests/s and CPU time per
/// request of each, the ratios, and the aim (the proxy's p99 within 1.2× nginx's). Every answer
/// must be HTTP 200 with `"ok":true`. The key and the token are never printed: the key goes to
/// wrk through its environment and to nginx through its config, 0600 in a temporary directory.
fn proxy() -> Result<(), String> {
    exec(
        cargo().args([
            "build",
            "--release",
            "-p",
            "slack-sim",
            "-p",
            "slack-admin-proxy",
        ]),
        "cargo build --release -p slack-sim -p slack-admin-proxy",
    )?;
    let release = root().join("target/release");
    // Dropped last: after the children have stopped.
    let tmp = TempDir::new("xtask-bench-proxy")?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        signal_hook::flag::register_usize(sig, std::sync::Arc::clone(&stop), sig as usize)
            .map_err(|e| format!("cannot listen for signal {sig}: {e}"))?;
    }
    // Whatever ends this function (an error, a signal), the children stop with it.
    let mut children = Supervisor::new()?;

    let (sim, sim_pid) = start_listening(
        &mut children,
        "slack-sim",
        Command::new(release.join("slack-sim")).args([
            "--listen",
            "127.0.0.1:0",
            "--rate-scale",
            NO_LIMITS,
        ]),
        &tmp.0.join("sim.log"),
    )?;
    let as_admin = format!("Bearer {SIM_TOKEN}");
    let me = answers_ok("slack-sim", &sim, "/api/auth.test", &as_admin, "")?;
    let user = json_string(&me, "user_id").ok_or("the sim's auth.test has no user_id")?;
    let body = format!("user={user}");

    let data = tmp.0.join("proxy-data");
    let added = Command::new(release.join("slack-admin-proxy"))
        .args(["keys", "add", "bench", "--data-dir"])
        .arg(&data)
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("slack-admin-proxy keys add: {e}"))?;
    // Captured, never echoed.
    let key = String::from_utf8_lossy(&added.stdout).trim().to_owned();
    if !added.status.success() || !plain(&key) {
        return Err(format!(
            "slack-admin-proxy keys add bench failed ({})",
            added.status
        ));
    }
    let with_key = format!("Bearer {key}");
    let proxy_log = tmp.0.join("proxy.log");
    let (proxy_addr, proxy_pid) = start_listening(
        &mut children,
        "slack-admin-proxy",
        Command::new(release.join("slack-admin-proxy"))
            .args(["serve", "--listen", "127.0.0.1:0", "--slack-api-url"])
            .arg(format!("http://{sim}/api/"))
            .arg("--data-dir")
            .arg(&data)
            .args(["--rate-scale", NO_LIMITS])
            .env("SLACK_ADMIN_TOKEN", SIM_TOKEN),
        &proxy_log,
    )?;

    let prefix = tmp.0.join("nginx");
    std::fs::create_dir(&prefix).map_err(|e| format!("creating {}: {e}", prefix.display()))?;
    let conf = prefix.join("nginx.conf");
    let nginx_port = crate::shell::free_port();
    if !plain(SIM_TOKEN) {
        return Err("the sim's token does not fit in nginx's config".into());
    }
    write_private(
        &conf,
        &nginx_conf(&prefix, nginx_port, &sim, &key, SIM_TOKEN),
    )?;
    let nginx_log = tmp.0.join("nginx.log");
    let nginx_pid = children.spawn(
        "nginx",
        Command::new("/usr/sbin/nginx")
            .arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(&conf)
            .args(["-e", "stderr"])
            .stdout(std::process::Stdio::null())
            .stderr(log_file(&nginx_log)?),
    )?;
    let path = format!("/api/{LOAD_METHOD}");
    let nginx_addr = format!("127.0.0.1:{nginx_port}");
    answers_ok("nginx", &nginx_addr, &path, &with_key, &body)
        .map_err(|e| format!("{e}\n{}", log_tail(&nginx_log)))?;
    answers_ok("slack-admin-proxy", &proxy_addr, &path, &with_key, &body)
        .map_err(|e| format!("{e}\n{}", log_tail(&proxy_log)))?;
    // nginx answers: its workers are up.
    let nginx = Target {
        name: "nginx",
        addr: nginx_addr,
        pids: [vec![nginx_pid], children_of(nginx_pid)].concat(),
    };
    let proxy = Target {
        name: "proxy",
        addr: proxy_addr,
        pids: vec![proxy_pid],
    };

    let script = tmp.0.join("load.lua");
    write_private(&script, WRK_SCRIPT)?;
    println!("\nslack-admin-proxy and nginx in front of the same slack-sim (limits off)");
    println!(
        "load: POST {path} ({body}), wrk {LOAD_THREADS} threads, {LOAD_CONNECTIONS} \
         connections; {WARMUP_S} s of warm-up each, then {ROUNDS} rounds of {ROUND_S} s each, in \
         turn"
    );
    if let Ok(avg) = std::fs::read_to_string("/proc/loadavg") {
        let avg: Vec<&str> = avg.split_whitespace().take(3).collect();
        println!(
            "machine: {} cores, load average {} before",
            cores(),
            avg.join(" ")
        );
    }
    let bench = Bench {
        sim_pid,
        script: &script,
        authorization: &with_key,
        body: &body,
        stop: &stop,
    };
    bench.run(&nginx, WARMUP_S)?;
    bench.run(&proxy, WARMUP_S)?;
    let (mut by_nginx, mut by_proxy) = (Vec::new(), Vec::new());
    for round in 1..=ROUNDS {
        let mut line = format!("round {round}:");
        for (target, rounds) in [(&nginx, &mut by_nginx), (&proxy, &mut by_proxy)] {
            let r = bench.run(target, ROUND_S)?;
            line += &format!(
                "  {} p50 {} p99 {} {:.0}/s {:.0} µs CPU (others {:.0}%)",
                target.name,
                ms(r.load.p50_us),
                ms(r.load.p99_us),
                r.load.per_second(),
                r.cpu_us,
                r.others * 100.0
            );
            rounds.push(r);
        }
        println!("{line}");
    }
    let total = |v: &[Round]| v.iter().map(|r| r.load.requests).sum::<u64>();
    println!(
        "every answer HTTP 200 with \"ok\":true ({} through nginx, {} through the proxy)",
        total(&by_nginx),
        total(&by_proxy)
    );
    let others = median(by_nginx.iter().chain(&by_proxy).map(|r| r.others).collect());
    println!(
        "the rest of the machine (other processes, interrupts) used {:.0}% of the CPU meanwhile \
         (median){}\n",
        others * 100.0,
        if others > BUSY {
            ": the latencies are not to be trusted; CPU/request is steadier"
        } else {
            ""
        }
    );
    print!(
        "{}",
        proxy_table(&Summary::of(&by_nginx), &Summary::of(&by_proxy))
    );
    Ok(())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
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

    #[test]
    fn wrk_figures_are_read_from_the_scripts_line() {
        let out = "Running 10s test @ http://127.0.0.1:1/api/users.info\n  2 threads and 16 connections\n\
                   bench-figures requests=50000 duration_us=10000000 p50_us=250 p99_us=1200 bad=0 errors=0\n";
        let load = Load::parse(out).unwrap();
        assert_eq!(load.requests, 50_000);
        assert_eq!((load.p50_us, load.p99_us), (250.0, 1200.0));
        assert_eq!((load.bad, load.errors), (0, 0));
        assert!((load.per_second() - 5000.0).abs() < 1e-9);
        assert!(Load::parse("Running 10s test\n").is_err());
        assert!(
            Load::parse("bench-figures requests=1 duration_us=1 p50_us=1 bad=0 errors=0").is_err()
        );
        assert!(Load::parse(
            "bench-figures requests=x duration_us=1 p50_us=1 p99_us=1 bad=0 errors=0"
        )
        .is_err());
    }

    #[test]
    fn the_summary_is_each_figures_median_over_the_rounds() {
        let round = |p50: f64, p99: f64, requests: u64, cpu_us: f64| Round {
            load: Load {
                requests,
                duration_us: 1_000_000,
                p50_us: p50,
                p99_us: p99,
                bad: 0,
                errors: 0,
            },
            cpu_us,
            others: 0.0,
        };
        let s = Summary::of(&[
            round(300.0, 900.0, 10, 40.0),
            round(100.0, 2000.0, 30, 60.0),
            round(200.0, 1000.0, 20, 50.0),
        ]);
        assert_eq!(
            s,
            Summary {
                p50_us: 200.0,
                p99_us: 1000.0,
                per_second: 20.0,
                cpu_us: 50.0,
            }
        );
        let two = Summary::of(&[round(100.0, 1000.0, 10, 1.0), round(200.0, 2000.0, 20, 1.0)]);
        assert_eq!(two.p99_us, 1500.0);
        assert_eq!(median(Vec::new()), 0.0);
    }

    #[test]
    fn the_proxy_table_gives_both_the_ratios_and_the_aim() {
        let nginx = Summary {
            p50_us: 200.0,
            p99_us: 1000.0,
            per_second: 8000.0,
            cpu_us: 40.0,
        };
        let near = Summary {
            p50_us: 300.0,
            p99_us: 1150.0,
            per_second: 6000.0,
            cpu_us: 100.0,
        };
        let t = proxy_table(&nginx, &near);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].ends_with("CPU/request"), "{t}");
        assert!(
            lines[1].starts_with("nginx")
                && lines[1].contains("1.000 ms")
                && lines[1].contains(" 8000 ")
                && lines[1].ends_with(" 40 µs"),
            "{t}"
        );
        assert!(
            lines[2].starts_with("proxy ") && lines[2].contains("1.150 ms"),
            "{t}"
        );
        assert!(
            lines[3].starts_with("proxy/nginx")
                && lines[3].contains("1.50×")
                && lines[3].contains("1.15×")
                && lines[3].contains("0.75×")
                && lines[3].ends_with("2.50×"),
            "{t}"
        );
        assert_eq!(lines[4], "aim: p99 within 1.2× nginx's: met (1.15×)");
        let far = Summary {
            p99_us: 1300.0,
            ..near
        };
        assert!(proxy_table(&nginx, &far).contains("NOT met (1.30×)"));
    }

    #[test]
    fn cpu_times_are_read_from_proc() {
        // A command name with spaces and a parenthesis does not shift the fields.
        let stat = "4242 (nginx: worker) S) S 4241 4241 4241 0 -1 4194624 391 0 0 0 \
                    1250 310 0 0 20 0 1 0 1723 11022336 1109 18446744073709551615";
        assert_eq!(stat_ticks(stat), Some(1560));
        assert_eq!(stat_parent(stat), Some(4241));
        assert_eq!(stat_ticks("4242 (x) S 1"), None);
        let proc_stat = "cpu  100 5 50 1000 20 3 7 15 0 0\ncpu0 50 2 25 500 10 1 3 7 0 0\n";
        // Everything but idle (1000) and iowait (20); steal counts as busy.
        assert_eq!(busy_ticks(proc_stat), Some(180));
        assert_eq!(busy_ticks("intr 1 2 3\n"), None);
        assert!(ticks_of(&[std::process::id()]) < u64::MAX);
    }

    #[test]
    fn nginx_checks_the_key_and_sends_the_token_to_the_sim_only() {
        let conf = nginx_conf(
            Path::new("/tmp/b/nginx"),
            8081,
            "127.0.0.1:9000",
            "sak_ab12",
            "xoxp-t",
        );
        assert!(conf.contains("listen 127.0.0.1:8081;"), "{conf}");
        assert!(conf.contains("server 127.0.0.1:9000;"), "{conf}");
        assert!(
            conf.contains("if ($http_authorization != \"Bearer sak_ab12\") { return 401; }"),
            "{conf}"
        );
        assert!(
            conf.contains("proxy_set_header Authorization \"Bearer xoxp-t\";"),
            "{conf}"
        );
        assert!(conf.contains("pid /tmp/b/nginx/nginx.pid;"), "{conf}");
        assert!(conf.contains("daemon off;"), "{conf}");
        assert_eq!(conf.matches("xoxp-t").count(), 1);
        assert_eq!(conf.matches("sak_ab12").count(), 1);
        assert!(plain("sak_ab12") && plain("xoxp-sandbox-org-admin"));
        assert!(!plain("") && !plain("a\"; evil") && !plain("a b"));
    }

    #[test]
    fn a_json_string_field_is_found_by_name() {
        let me = r#"{"ok":true,"user":"mateo","team_id":"T1","user_id":"W0A1C0002"}"#;
        assert_eq!(json_string(me, "user_id").as_deref(), Some("W0A1C0002"));
        assert_eq!(json_string(me, "user").as_deref(), Some("mateo"));
        assert_eq!(json_string(me, "nope"), None);
    }

    #[test]
    fn the_wrk_script_takes_its_secret_from_the_environment() {
        assert!(WRK_SCRIPT.contains("os.getenv(\"BENCH_AUTHORIZATION\")"));
        assert!(WRK_SCRIPT.contains(
            "bench-figures requests=%d duration_us=%d p50_us=%d p99_us=%d bad=%d errors=%d"
        ));
    }
}
