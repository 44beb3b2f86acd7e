//! The `slack-sim` HTTP server: the library behind a socket. One `Sim` behind a mutex; the
//! clock is the system's; `Reply::Drop` closes the connection without an answer. Given an
//! events URL, it also sends Slack's `invite_requested` events (see [`crate::delivery`]).

use crate::delivery::EventsTarget;
use crate::{Reply, Request, Sim};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;

/// Bodies larger than this are refused with 413.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Serves `sim` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    sim: Sim,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    serve_with_events(listener, sim, shutdown, None).await
}

/// Serves `sim` on `listener` until `shutdown` completes, and, given `events`, sends an
/// `invite_requested` event there for every request filed (`/sim/invite_request`, and the
/// members who ask on the sim's schedule, who do so even when nobody calls).
pub async fn serve_with_events(
    listener: TcpListener,
    mut sim: Sim,
    shutdown: impl Future<Output = ()>,
    events: Option<EventsTarget>,
) -> std::io::Result<()> {
    let scheduled = sim.config().request_every_s.is_some();
    let sender = events.map(|target| {
        sim.keep_filed();
        crate::delivery::Sender::new(target)
    });
    let sim = Arc::new(Mutex::new(sim));
    let ticker = sender.clone().filter(|_| scheduled).map(|sender| {
        let sim = sim.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(1));
            loop {
                every.tick().await;
                let filed = {
                    let mut sim = sim.lock().unwrap_or_else(|e| e.into_inner());
                    sim.tick(now_ms());
                    sim.take_filed()
                };
                sender.invite_requested(filed);
            }
        })
    });
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        eprintln!("accept failed: {e}");
                        continue;
                    }
                };
                let sim = sim.clone();
                let sender = sender.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| answer(sim.clone(), sender.clone(), req));
                    // Errors here are dropped connections (ours or the client's).
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            () = &mut shutdown => {
                if let Some(t) = ticker {
                    t.abort();
                }
                return Ok(());
            }
        }
    }
}

async fn answer(
    sim: Arc<Mutex<Sim>>,
    sender: Option<crate::delivery::Sender>,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let method = req.method().as_str().to_owned();
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => {
            return Ok(hyper::Response::builder()
                .status(413)
                .body(Full::new(Bytes::from_static(b"Payload Too Large")))
                .expect("static response"));
        }
    };
    let request = Request {
        method,
        path,
        headers,
        body,
    };
    let (reply, filed) = {
        let mut sim = sim.lock().unwrap_or_else(|e| e.into_inner());
        (sim.handle(&request, now_ms()), sim.take_filed())
    };
    // Sent on tasks of their own: the answer does not wait for them.
    if let Some(sender) = &sender {
        sender.invite_requested(filed);
    }
    match reply {
        Reply::Drop => Err(Dropped),
        Reply::Answer { response, delay_ms } => {
            if delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            }
            let mut builder = hyper::Response::builder().status(response.status);
            for (k, v) in &response.headers {
                builder = builder.header(k, v);
            }
            Ok(builder
                .body(Full::new(Bytes::from(response.body)))
                .expect("headers from the sim are valid"))
        }
    }
}

/// A future that resolves on ctrl-c or SIGTERM. The handlers are installed by this call, so
/// call it before announcing the address: a signal that comes early is not lost.
#[cfg(unix)]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {},
            _ = interrupt.recv() => {},
        }
    })
}

#[cfg(not(unix))]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Binds `addr` and returns the listener with its real address (port 0 picks one).
pub async fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}
