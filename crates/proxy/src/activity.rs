//! `GET /proxy/audit`: the audit log, for the console's Activity page.
//!
//! Any valid access key may read it, read-only ones too, presented as `Authorization: Bearer`
//! (never in the address, which servers and browsers keep in their histories); without one the
//! refusal is Slack's (`not_authed`, `invalid_auth`). The answer
//! ([`slack_admin_core::audit::Page`]) has one entry per write, its `sent` entry and its
//! outcome paired, newest first, filtered and paged as the query asks
//! ([`slack_admin_core::audit::Query`]: `q`, `users`, `key`, `kind`, `outcome`, `since`,
//! `until`, `cursor`, `limit` up to 1000), and says whether the chain of hashes holds and,
//! if not, at which entry. The fields shown never hold the token or a key: the proxy does not
//! record them, and anything that looks like one is hidden.

use crate::app::{bearer_key, check_key, slack_error, AppState};
use crate::store::verify_chain;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, Response, StatusCode};
use slack_admin_core::audit::{self, LogLine, Page, Query, Refusal};

pub async fn audit(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response<Body> {
    if let Err(refused) = check_key(&state, bearer_key(&headers)) {
        return refused;
    }
    let query = match Query::from_query(query.as_deref().unwrap_or("")) {
        Ok(q) => q,
        Err(r) => return refusal(&r),
    };
    // The whole log is read and its chain checked on every page: off the async threads, and
    // two at a time at most (a key cannot make the proxy read it a hundred times at once).
    static READS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let Ok(_turn) = READS.acquire().await else {
        return slack_error(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable");
    };
    let read = tokio::task::spawn_blocking(move || page(&state, &query)).await;
    match read {
        Ok(Ok(page)) => json(&page),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "reading the audit log");
            slack_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
        }
        Err(_) => slack_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
    }
}

/// The page `query` asks for, read from the store.
pub fn page(state: &AppState, query: &Query) -> Result<Page, String> {
    // From a file: through a connection of its own, so the proxy's calls never wait for the
    // read (a store in memory, in tests, has only the one).
    let path = {
        let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
        store.path().map(std::path::Path::to_path_buf)
    };
    let entries = match path {
        Some(path) => crate::store::audit_entries_at(&path)?,
        None => {
            let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
            store.audit_entries()?
        }
    };
    let chain = verify_chain(&entries);
    let chain_entries = entries.len();
    let lines: Vec<LogLine> = entries
        .into_iter()
        .map(|e| LogLine {
            id: e.id,
            at: e.at,
            key: e.key,
            method: e.method,
            fields: e.target,
            outcome: e.outcome,
        })
        .collect();
    let writes = audit::pair(&lines);
    let (entries, next_cursor, total) = audit::select(&writes, query);
    let (broken_at, broken_reason) = match chain {
        Ok(_) => (None, None),
        Err(b) => (Some(b.id), Some(b.reason)),
    };
    Ok(Page {
        ok: true,
        entries,
        next_cursor,
        total,
        key_names: audit::key_names(&writes),
        chain_ok: broken_at.is_none(),
        chain_entries,
        broken_at,
        broken_reason,
    })
}

fn json(value: &impl serde::Serialize) -> Response<Body> {
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        // Addresses and names: not for caches.
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(
            serde_json::to_string(value).unwrap_or_else(|_| "{\"ok\":false}".into()),
        ))
        .expect("a response")
}

/// A query the proxy cannot read, refused as Slack refuses arguments, with what to send.
fn refusal(r: &Refusal) -> Response<Body> {
    json(&serde_json::json!({"ok": false, "error": r.code, "detail": r.detail}))
}
