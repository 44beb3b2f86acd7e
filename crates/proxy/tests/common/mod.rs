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
