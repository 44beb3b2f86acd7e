//! `slack-admin-proxy`: see the crate's documentation and the README's "The proxy".

use clap::{Parser, Subcommand};
use slack_admin_proxy::app::{self, Config};
use slack_admin_proxy::store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "slack-admin-proxy",
    version,
    about = "Keeps the Slack token on a server; admins hold access keys."
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the API (and the built console) until SIGTERM or Ctrl-C.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: SocketAddr,
        /// Slack's Web API, or a slack-sim's (`http://127.0.0.1:PORT/api/`).
        #[arg(long, default_value = "https://slack.com/api/")]
        slack_api_url: String,
        /// The built console (trunk's dist), served at `/`.
        #[arg(long)]
        static_dir: Option<PathBuf>,
        /// Where the keys and the audit log are kept.
        #[arg(long)]
        data_dir: PathBuf,
        /// A file holding the Slack token (else SLACK_ADMIN_TOKEN).
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// An origin allowed to call from a console hosted elsewhere (repeatable; none by
        /// default).
        #[arg(long)]
        allow_origin: Vec<String>,
        /// Times Slack's allowances for the pacer (1 for Slack; more against a slack-sim).
        #[arg(long, default_value_t = 1.0)]
        rate_scale: f64,
    },
    /// Access keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
        #[arg(long, global = true)]
        data_dir: Option<PathBuf>,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
        #[arg(long, global = true)]
        data_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Creates a key and prints it once (only its hash is kept).
    Add {
        name: String,
        /// May call list and info methods only.
        #[arg(long)]
        read_only: bool,
    },
    List,
    Revoke {
        name: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Checks that no entry was changed, removed or reordered.
    Verify,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn open(dir: Option<PathBuf>) -> Result<Store, String> {
    let dir = dir.ok_or("--data-dir is needed: where the keys and the audit log are kept")?;
    Store::open(&dir)
}

fn run() -> Result<(), String> {
    match Args::parse().command {
        Command::Keys { command, data_dir } => {
            let store = open(data_dir)?;
            match command {
                KeysCommand::Add { name, read_only } => {
                    let key = store.add_key(&name, read_only, now())?;
                    println!("{key}");
                    eprintln!(
                        "This is the only time the key is shown: give it to {name}. {}",
                        if read_only {
                            "It may list and read only."
                        } else {
                            "It may call every method the console uses."
                        }
                    );
                }
                KeysCommand::List => {
                    for k in store.list_keys()? {
                        println!(
                            "{}\t{}\t{}",
                            k.name,
                            if k.read_only {
                                "read-only"
                            } else {
                                "read-write"
                            },
                            if k.revoked { "revoked" } else { "active" }
                        );
                    }
                }
                KeysCommand::Revoke { name } => {
                    if !store.revoke_key(&name)? {
                        return Err(format!("no key named {name:?} (`keys list` shows them)"));
                    }
                    eprintln!("Revoked {name}: its next call is refused.");
                }
            }
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
            data_dir,
        } => {
            let store = open(data_dir)?;
            let n = store.verify_audit()?;
            println!("the audit log holds: {n} entries, each chained to the one before");
            Ok(())
        }
        Command::Serve {
            listen,
            slack_api_url,
            static_dir,
            data_dir,
            token_file,
            allow_origin,
            rate_scale,
        } => {
            let token = match token_file {
                Some(f) => std::fs::read_to_string(&f)
                    .map_err(|e| format!("reading the token file {}: {e}", f.display()))?,
                None => std::env::var("SLACK_ADMIN_TOKEN").map_err(|_| {
                    "no Slack token: set SLACK_ADMIN_TOKEN or give --token-file".to_owned()
                })?,
            };
            let token = token.trim().to_owned();
            if token.is_empty() {
                return Err("the Slack token is empty".into());
            }
            let url = slack_api_url.trim();
            let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                .iter()
                .any(|p| url.starts_with(p));
            if !url.starts_with("https://") && !loopback {
                return Err(format!(
                    "--slack-api-url {url}: the token would travel unencrypted; use https:// (http:// only on loopback, for a slack-sim)"
                ));
            }
            let store = Store::open(&data_dir)?;
            let mut config = Config::new(&slack_api_url, &token);
            config.static_dir = static_dir;
            config.allow_origins = allow_origin;
            config.rate_scale = rate_scale;
            config.signing_secret = std::env::var("SLACK_SIGNING_SECRET")
                .ok()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty());
            // The log goes to stderr (the journal under systemd); stdout says where it listens.
            tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .init();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(listen)
                    .await
                    .map_err(|e| format!("listening on {listen}: {e}"))?;
                let addr = listener.local_addr().map_err(|e| e.to_string())?;
                println!("listening on http://{addr}");
                let state = app::state(config, store);
                // Jobs that were running when the proxy stopped go on.
                let resumed = slack_admin_proxy::jobs::start(&state)?;
                if resumed > 0 {
                    tracing::info!(jobs = resumed, "resumed jobs");
                }
                let app = app::router(state.clone());
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let mut term = tokio::signal::unix::signal(
                            tokio::signal::unix::SignalKind::terminate(),
                        )
                        .expect("a SIGTERM handler");
                        tokio::select! {
                            _ = tokio::signal::ctrl_c() => {}
                            _ = term.recv() => {}
                        }
                        // Open event streams never end by themselves: the shutdown would
                        // wait for them for ever.
                        state.live.close();
                    })
                    .await
                    .map_err(|e| e.to_string())
            })
        }
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("slack-admin-proxy: {e}");
        std::process::exit(2);
    }
}
