//! Long-running children (`serve`'s trunk and slack-sim) that stop with us.
//!
//! Ctrl-C in a terminal signals the whole foreground process group, but SIGTERM (from a
//! service manager, `kill`, or a test harness) reaches only `xtask`, and its children would
//! keep running. So each child gets a process group of its own (trunk's cargo builds are in
//! it too), and on SIGINT, SIGTERM or SIGHUP every group is told to stop, then killed if it
//! has not within a few seconds.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The signals that stop `serve`.
const STOP_SIGNALS: [i32; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

/// How long a child has to stop after SIGTERM before it is killed.
const GRACE: Duration = Duration::from_secs(5);

/// Children started in their own process groups, stopped together.
pub struct Supervisor {
    children: Vec<(String, Child)>,
    /// The last stop signal received, or 0.
    signal: Arc<AtomicUsize>,
}

impl Supervisor {
    /// Listens for the stop signals from now on.
    pub fn new() -> Result<Self, String> {
        let signal = Arc::new(AtomicUsize::new(0));
        for sig in STOP_SIGNALS {
            signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)
                .map_err(|e| format!("cannot listen for signal {sig}: {e}"))?;
        }
        Ok(Self {
            children: Vec::new(),
            signal,
        })
    }

    /// Starts `cmd` in a process group of its own.
    pub fn spawn(&mut self, name: &str, cmd: &mut Command) -> Result<u32, String> {
        let child = cmd
            .process_group(0)
            .spawn()
            .map_err(|e| format!("could not start {name}: {e}"))?;
        let pid = child.id();
        self.children.push((name.to_owned(), child));
        Ok(pid)
    }

    /// Adopts a child started elsewhere (it must have been given its own process group).
    pub fn adopt(&mut self, name: &str, child: Child) {
        self.children.push((name.to_owned(), child));
    }

    /// Waits until `main` ends or a stop signal comes, then stops every child. Returns how
    /// `main` ended, or `Err` naming the signal.
    pub fn wait_for(mut self, main: &str) -> Result<ExitStatus, String> {
        let outcome = loop {
            let sig = self.signal.load(Ordering::SeqCst);
            if sig != 0 {
                break Err(format!("stopped by signal {sig}"));
            }
            if let Some((_, child)) = self.children.iter_mut().find(|(n, _)| n == main) {
                match child.try_wait() {
                    Ok(Some(status)) => break Ok(status),
                    Ok(None) => {}
                    Err(e) => break Err(format!("{main}: {e}")),
                }
            } else {
                break Err(format!("no child named {main}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        self.stop_all();
        outcome
    }

    /// SIGTERM to every child's group, then SIGKILL to what is left after [`GRACE`]. Each
    /// child is reaped once; a second call finds nothing to stop.
    fn stop_all(&mut self) {
        for (_, child) in &self.children {
            signal_group(child.id(), libc::SIGTERM);
        }
        let deadline = Instant::now() + GRACE;
        while Instant::now() < deadline
            && self
                .children
                .iter_mut()
                .any(|(_, c)| matches!(c.try_wait(), Ok(None)))
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        for (_, child) in &mut self.children {
            signal_group(child.id(), libc::SIGKILL);
            let _ = child.wait();
        }
        self.children.clear();
    }
}

/// Whatever ends `serve` (an error starting trunk, a panic), the children stop with it.
impl Drop for Supervisor {
    fn drop(&mut self) {
        self.stop_all();
    }
}

fn signal_group(pid: u32, sig: i32) {
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: kill(2) with a negative pid signals that process group; it has no memory
        // effects in this process.
        unsafe {
            libc::kill(-pid, sig);
        }
    }
}

/// `cargo xtask __supervise-sleep`: two `sleep` children under a supervisor, their pids
/// printed; for the test that SIGTERM stops them (tests/supervise.rs).
pub fn sleep_for_test() -> Result<(), String> {
    let mut sup = Supervisor::new()?;
    let a = sup.spawn("main", Command::new("sleep").arg("300"))?;
    let b = sup.spawn("helper", Command::new("sleep").arg("300"))?;
    println!("children {a} {b}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    sup.wait_for("main").map(|_| ())
}
