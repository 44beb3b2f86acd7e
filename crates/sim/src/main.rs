//! `slack-sim`: the simulated Slack as an HTTP server on loopback.

use clap::Parser;
use slack_sim::delivery::EventsTarget;
use slack_sim::{fixture, Faults, Sim, SimConfig};
use std::io::Write;
use std::net::SocketAddr;

#[derive(Parser, Debug)]
#[command(
    name = "slack-sim",
    version,
    about = "A stateful simulated Slack (Web API at /api/<method>, SCIM v2 at /scim/v2/Users)."
)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Users of the Enterprise Grid org (grows the fixture; 100000 works).
    #[arg(long, default_value_t = fixture::DEFAULT_MEMBERS)]
    members: usize,
    /// Multiplies every rate-limit allowance (1.0 = Slack's tiers; tests use a large value).
    #[arg(long, default_value_t = 1.0)]
    rate_scale: f64,
    /// Faults to inject, e.g. 500=0.05,drop=0.02,slow=0.1:2000,malformed=0.02,burst429=0.01
    /// (see below).
    #[arg(long, default_value = "none", long_help = faults_help())]
    faults: Faults,
    /// Seed of the fixture and of fault injection.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Pending invite requests filed at the start beside the fixture's (1000 works).
    #[arg(long, default_value_t = 0)]
    pending_requests: usize,
    /// A member asks for an invite every this many seconds, as in a live org (off by
    /// default; `POST /sim/invite_request` files one on demand).
    #[arg(long)]
    request_every: Option<u64>,
    /// Sends an `invite_requested` event, signed as Slack signs, to this Request URL for
    /// every request filed (plain http:// on loopback: a local slack-admin-proxy's
    /// `/slack/events`). The signing secret comes from SLACK_SIGNING_SECRET or
    /// --signing-secret-file, never from a flag's value.
    #[arg(long)]
    events_url: Option<String>,
    /// A file holding the app's signing secret (else SLACK_SIGNING_SECRET).
    #[arg(long, requires = "events_url")]
    signing_secret_file: Option<std::path::PathBuf>,
}

/// Where events go, if anywhere, with the signing secret from the environment or a file.
fn events_target(args: &Args) -> Result<Option<EventsTarget>, String> {
    let Some(url) = &args.events_url else {
        return Ok(None);
    };
    let secret = match &args.signing_secret_file {
        Some(f) => std::fs::read_to_string(f)
            .map_err(|e| format!("reading the signing secret file {}: {e}", f.display()))?,
        None => std::env::var("SLACK_SIGNING_SECRET").map_err(|_| {
            "--events-url needs the Slack app's signing secret: set SLACK_SIGNING_SECRET or give --signing-secret-file".to_owned()
        })?,
    };
    EventsTarget::new(url, &secret).map(Some)
}

fn faults_help() -> String {
    format!("Faults to inject.\n{}", slack_sim::faults::SYNTAX)
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let events = match events_target(&args) {
        Ok(events) => events,
        Err(e) => {
            eprintln!("slack-sim: {e}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let sim = Sim::new(SimConfig {
            members: args.members,
            rate_scale: args.rate_scale,
            faults: args.faults,
            seed: args.seed,
            request_every_s: args.request_every,
            pending_requests: args.pending_requests,
        });
        let shutdown = slack_sim::server::shutdown_signal()?;
        let (listener, addr) = slack_sim::server::bind(args.listen).await?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{addr}")?;
        // For a person at a terminal; never into a log (tokens in logs are what the suite's
        // secret search looks for, and the README lists them).
        if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            writeln!(out, "tokens (fake, sandbox only):")?;
            for (token, who) in Sim::tokens() {
                writeln!(out, "  {token:<26} {who}")?;
            }
        } else {
            writeln!(out, "tokens: see `slack-sim` at a terminal, or the README")?;
        }
        if let Some(target) = &events {
            writeln!(out, "events: invite_requested, signed, to {}", target.url())?;
        }
        out.flush()?;
        drop(out);
        slack_sim::server::serve_with_events(listener, sim, shutdown, events).await?;
        eprintln!("slack-sim: shutting down");
        Ok(())
    })
}
