//! What the proxy's route tests share: a slack-sim server, and the proxy's log kept with the
//! suite's logs (`TEST_LOG_DIR`), which `cargo xtask test` searches for secrets at the end.

#![allow(dead_code)] // each test file uses what it needs

/// Sends this test binary's tracing (the proxy's log lines) to
/// `$TEST_LOG_DIR/proxy-native-<name>.log`; without `TEST_LOG_DIR`, nowhere.
pub fn log_to_suite(name: &str) {
    let Some(dir) = std::env::var_os("TEST_LOG_DIR") else {
        return;
    };
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(std::path::Path::new(&dir).join(format!("proxy-native-{name}.log")))
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        // Reads are logged at debug: searched too.
        .with_env_filter("debug,hyper=info,reqwest=info,h2=info,rustls=info")
        .try_init();
}

/// A slack-sim server on a free port, without rate limits to speak of; returns its base URL
/// (no `/api/`).
pub async fn sim() -> String {
    let (listener, addr) = slack_sim::server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let sim = slack_sim::Sim::new(slack_sim::SimConfig {
        rate_scale: 1e6,
        ..slack_sim::SimConfig::default()
    });
    tokio::spawn(slack_sim::server::serve(
        listener,
        sim,
        std::future::pending(),
    ));
    format!("http://{addr}")
}

/// A proxy in the test's process (`oneshot` on its router) in front of `upstream`, with three
/// keys: `ana` (reads and writes), `reader` (read-only) and `gone` (revoked). `name` names its
/// log; `configure` changes the rest (the signing secret, the origins).
pub struct Proxy {
    pub app: axum::Router,
    pub state: slack_admin_proxy::app::AppState,
    pub admin: String,
    pub reader: String,
    pub revoked: String,
}

pub fn proxy(
    name: &str,
    upstream: &str,
    configure: impl FnOnce(&mut slack_admin_proxy::app::Config),
) -> Proxy {
    use slack_admin_proxy::{app, store::Store};
    log_to_suite(name);
    let store = Store::in_memory().unwrap();
    let admin = store.add_key("ana", false, 0).unwrap();
    let reader = store.add_key("reader", true, 0).unwrap();
    let revoked = store.add_key("gone", false, 0).unwrap();
    assert!(store.revoke_key("gone").unwrap());
    let mut config = app::Config::new(upstream, "xoxp-sandbox-org-admin");
    config.rate_scale = 1e6;
    configure(&mut config);
    let state = app::state(config, store);
    Proxy {
        app: app::router(state.clone()),
        state,
        admin,
        reader,
        revoked,
    }
}
