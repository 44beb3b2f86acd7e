//! The proxy's state in SQLite: access keys (only their hashes) and the audit log, each entry
//! chained to the one before by a hash so that an edit or a deletion shows.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::path::Path;

/// What a key may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    pub name: String,
    pub read_only: bool,
    pub created: i64,
    pub revoked: bool,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub key: String,
    pub method: String,
    /// The call's fields, the token left out.
    pub target: String,
    /// `ok`, or Slack's error code.
    pub outcome: String,
    pub prev: String,
    pub hash: String,
}

pub struct Store {
    db: Connection,
    /// The database file (`None`: in memory).
    path: Option<std::path::PathBuf>,
}

/// An event from Slack as recorded: numbered in the order it arrived (what the page's
/// `Last-Event-ID` counts), with Slack's `event_id` and the event itself as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: i64,
    pub event_id: String,
    pub at: i64,
    pub kind: String,
    pub body: String,
}

/// Gives the events of a database written before events were numbered their sequence
/// numbers, in the order they were recorded (once; a numbered table is left alone).
fn number_events(db: &Connection) -> rusqlite::Result<()> {
    let numbered: i64 = db.query_row(
        "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'seq'",
        [],
        |r| r.get(0),
    )?;
    if numbered > 0 {
        return Ok(());
    }
    db.execute_batch(
        "BEGIN;
         ALTER TABLE events RENAME TO events_unnumbered;
         CREATE TABLE events (
             seq INTEGER PRIMARY KEY AUTOINCREMENT,
             event_id TEXT NOT NULL UNIQUE,
             at INTEGER NOT NULL,
             type TEXT NOT NULL,
             body TEXT NOT NULL
         );
         INSERT INTO events (event_id, at, type, body)
             SELECT event_id, at, type, body FROM events_unnumbered ORDER BY rowid;
         DROP TABLE events_unnumbered;
         COMMIT;",
    )
}

/// SHA-256 of `text`, in hex.
pub fn sha256_hex(text: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(text);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

/// A new access key: `sak_` and 32 random bytes in hex.
pub fn new_key() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| format!("no randomness for a key: {e}"))?;
    Ok(format!(
        "sak_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

fn entry_hash(prev: &str, at: i64, key: &str, method: &str, target: &str, outcome: &str) -> String {
    let line = serde_json::json!([prev, at, key, method, target, outcome]).to_string();
    sha256_hex(line.as_bytes())
}

/// Where the audit chain does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBreak {
    /// The first entry that does not hold.
    pub id: i64,
    /// What is wrong with it, naming it ("entry 3 was changed after it was written").
    pub reason: String,
}

/// Checks `entries` (the whole log, in order): each entry's hash is of its own fields and the
/// previous hash. Returns how many entries were checked, or the first one that does not hold.
/// Every audit entry, oldest first, read through `db`.
fn read_audit(db: &Connection) -> Result<Vec<AuditEntry>, String> {
    let mut q = db
        .prepare_cached(
            "SELECT id, at, key, method, target, outcome, prev, hash FROM audit ORDER BY id",
        )
        .map_err(|e| e.to_string())?;
    let rows = q
        .query_map([], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                key: r.get(2)?,
                method: r.get(3)?,
                target: r.get(4)?,
                outcome: r.get(5)?,
                prev: r.get(6)?,
                hash: r.get(7)?,
            })
        })
        .map_err(|e| e.to_string())?;
    rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
}

/// Every audit entry of the database at `path`, read through a read-only connection of its
/// own: a long read (the Activity page's) holds no lock the proxy's calls wait for (WAL lets
/// it read while the proxy writes).
pub fn audit_entries_at(path: &Path) -> Result<Vec<AuditEntry>, String> {
    let db = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("opening {} to read: {e}", path.display()))?;
    read_audit(&db)
}

pub fn verify_chain(entries: &[AuditEntry]) -> Result<usize, ChainBreak> {
    let mut prev = "";
    for e in entries {
        if e.prev != prev {
            return Err(ChainBreak {
                id: e.id,
                reason: format!(
                    "entry {} does not follow the one before it (an entry was removed or reordered)",
                    e.id
                ),
            });
        }
        let expected = entry_hash(&e.prev, e.at, &e.key, &e.method, &e.target, &e.outcome);
        if e.hash != expected {
            return Err(ChainBreak {
                id: e.id,
                reason: format!("entry {} was changed after it was written", e.id),
            });
        }
        prev = &e.hash;
    }
    Ok(entries.len())
}

impl Store {
    /// Opens (and creates) `dir/proxy.sqlite3`.
    pub fn open(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        // Keys' hashes, the audit log and requesters' addresses: for this user only.
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        let path = dir.join("proxy.sqlite3");
        let db = Connection::open(&path).map_err(|e| format!("opening {}: {e}", path.display()))?;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        let mut store = Self::init(db)?;
        store.path = Some(path);
        Ok(store)
    }

    /// The database file (`None`: a store in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The database itself, for tables of other modules (the jobs').
    pub fn db(&self) -> &Connection {
        &self.db
    }

    /// A store in memory (tests).
    pub fn in_memory() -> Result<Self, String> {
        Self::init(Connection::open_in_memory().map_err(|e| e.to_string())?)
    }

    fn init(db: Connection) -> Result<Self, String> {
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS keys (
                 name TEXT PRIMARY KEY,
                 hash TEXT NOT NULL UNIQUE,
                 read_only INTEGER NOT NULL,
                 created INTEGER NOT NULL,
                 revoked INTEGER NOT NULL DEFAULT 0
             );
             CREATE TABLE IF NOT EXISTS events (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 event_id TEXT NOT NULL UNIQUE,
                 at INTEGER NOT NULL,
                 type TEXT NOT NULL,
                 body TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS audit (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 at INTEGER NOT NULL,
                 key TEXT NOT NULL,
                 method TEXT NOT NULL,
                 target TEXT NOT NULL,
                 outcome TEXT NOT NULL,
                 prev TEXT NOT NULL,
                 hash TEXT NOT NULL
             );",
        )
        .map_err(|e| format!("preparing the database: {e}"))?;
        number_events(&db).map_err(|e| format!("numbering the recorded events: {e}"))?;
        Ok(Store { db, path: None })
    }

    /// Adds a key named `name`; returns the key itself, which is not stored (only its hash).
    pub fn add_key(&self, name: &str, read_only: bool, now: i64) -> Result<String, String> {
        let name = name.trim();
        if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
            return Err("a key's name is 1 to 64 characters, without control characters".into());
        }
        let key = new_key()?;
        self.db
            .execute(
                "INSERT INTO keys (name, hash, read_only, created) VALUES (?1, ?2, ?3, ?4)",
                params![name, sha256_hex(key.as_bytes()), read_only, now],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    format!("a key named {name:?} exists already (names are never reused, even revoked ones, so that the audit log stays unambiguous: choose another name)")
                }
                e => e.to_string(),
            })?;
        Ok(key)
    }

    pub fn list_keys(&self) -> Result<Vec<KeyInfo>, String> {
        let mut q = self
            .db
            .prepare("SELECT name, read_only, created, revoked FROM keys ORDER BY created, name")
            .map_err(|e| e.to_string())?;
        let rows = q
            .query_map([], |r| {
                Ok(KeyInfo {
                    name: r.get(0)?,
                    read_only: r.get(1)?,
                    created: r.get(2)?,
                    revoked: r.get(3)?,
                })
            })
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }

    /// Revokes `name`; false if there is no such key.
    pub fn revoke_key(&self, name: &str) -> Result<bool, String> {
        let n = self
            .db
            .execute("UPDATE keys SET revoked = 1 WHERE name = ?1", params![name])
            .map_err(|e| e.to_string())?;
        Ok(n > 0)
    }

    /// The key that `presented` is, if it exists and is not revoked.
    pub fn find_key(&self, presented: &str) -> Result<Option<KeyInfo>, String> {
        // Looked up by hash: the comparison is of digests, never of the secret itself. Every
        // call to the API asks, so the statement is compiled once (parsing it each time was
        // half of this lookup's cost); each call still reads the table afresh, so a key revoked
        // by `keys revoke` in another process is refused at its next call.
        self.db
            .prepare_cached("SELECT name, read_only, created, revoked FROM keys WHERE hash = ?1")
            .and_then(|mut q| {
                q.query_row(params![sha256_hex(presented.as_bytes())], |r| {
                    Ok(KeyInfo {
                        name: r.get(0)?,
                        read_only: r.get(1)?,
                        created: r.get(2)?,
                        revoked: r.get(3)?,
                    })
                })
            })
            .optional()
            .map(|k| k.filter(|k| !k.revoked))
            .map_err(|e| e.to_string())
    }

    /// Whether the key named `name` exists and is not revoked (an open event stream asks
    /// now and then).
    pub fn key_is_active(&self, name: &str) -> Result<bool, String> {
        self.db
            .query_row(
                "SELECT revoked FROM keys WHERE name = ?1",
                params![name],
                |r| r.get::<_, bool>(0),
            )
            .optional()
            .map(|revoked| revoked == Some(false))
            .map_err(|e| e.to_string())
    }

    /// Appends an entry to the audit log.
    pub fn audit(
        &self,
        at: i64,
        key: &str,
        method: &str,
        target: &str,
        outcome: &str,
    ) -> Result<(), String> {
        let prev: String = self
            .db
            .query_row("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        let hash = entry_hash(&prev, at, key, method, target, outcome);
        self.db
            .execute(
                "INSERT INTO audit (at, key, method, target, outcome, prev, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![at, key, method, target, outcome, prev, hash],
            )
            .map_err(|e| e.to_string())?;
        // The head of the chain, outside the database too: a log that lost its last entries
        // still verifies on its own, but not against the journal.
        tracing::info!(audit_head = %hash, "audit entry written");
        Ok(())
    }

    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>, String> {
        read_audit(&self.db)
    }

    /// Checks the chain: each entry's hash is of its own fields and the previous hash. Returns
    /// how many entries were checked, or the first one that does not hold.
    pub fn verify_audit(&self) -> Result<usize, String> {
        verify_chain(&self.audit_entries()?).map_err(|b| b.reason)
    }

    /// Records an event from Slack once: its sequence number, or `None` if its `event_id` was
    /// recorded already (Slack retries an event it thinks was not acknowledged).
    pub fn record_event(
        &self,
        event_id: &str,
        at: i64,
        kind: &str,
        body: &str,
    ) -> Result<Option<StoredEvent>, String> {
        let n = self
            .db
            .execute(
                // Not `INSERT OR IGNORE`: a refused insert would still use up a number.
                "INSERT INTO events (event_id, at, type, body) SELECT ?1, ?2, ?3, ?4
                 WHERE NOT EXISTS (SELECT 1 FROM events WHERE event_id = ?1)",
                params![event_id, at, kind, body],
            )
            .map_err(|e| e.to_string())?;
        Ok((n == 1).then(|| StoredEvent {
            seq: self.db.last_insert_rowid(),
            event_id: event_id.to_owned(),
            at,
            kind: kind.to_owned(),
            body: body.to_owned(),
        }))
    }

    /// The events recorded after sequence number `after` and not before `since`, oldest
    /// first: at most the last `limit` of them.
    pub fn events_after(
        &self,
        after: i64,
        since: i64,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, String> {
        let mut q = self
            .db
            .prepare(
                "SELECT seq, event_id, at, type, body FROM events WHERE seq > ?1 AND at >= ?2
                 ORDER BY seq DESC LIMIT ?3",
            )
            .map_err(|e| e.to_string())?;
        let rows = q
            .query_map(params![after, since, limit as i64], |r| {
                Ok(StoredEvent {
                    seq: r.get(0)?,
                    event_id: r.get(1)?,
                    at: r.get(2)?,
                    kind: r.get(3)?,
                    body: r.get(4)?,
                })
            })
            .map_err(|e| e.to_string())?;
        let mut events: Vec<StoredEvent> =
            rows.collect::<Result<_, _>>().map_err(|e| e.to_string())?;
        events.reverse();
        Ok(events)
    }

    /// The sequence number of the last event recorded (0 before any).
    pub fn last_event_seq(&self) -> Result<i64, String> {
        self.db
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
            .map_err(|e| e.to_string())
    }

    /// The events recorded, oldest first: (event_id, type, body).
    pub fn events(&self) -> Result<Vec<(String, String, String)>, String> {
        let mut q = self
            .db
            .prepare("SELECT event_id, type, body FROM events ORDER BY seq")
            .map_err(|e| e.to_string())?;
        let rows = q
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }

    /// For tests: runs raw SQL (tampering on purpose).
    #[doc(hidden)]
    pub fn execute_raw(&self, sql: &str) -> Result<usize, String> {
        self.db.execute(sql, []).map_err(|e| e.to_string())
    }
}
