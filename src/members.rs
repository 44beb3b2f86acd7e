//! Everyone in the org, loaded once per connection and kept in this tab's memory (never in
//! storage): `admin.users.list` org-wide (active, then deactivated) on a Grid admin token,
//! `users.list` otherwise. Pages stream in as they arrive, paced by the method's tier; a 429
//! is waited out by the transport.

use crate::session::Session;
use crate::transport::Transport;
use leptos::prelude::*;
use slack_admin_core::connection::Feature;
use slack_admin_core::members::Row;
use slack_admin_core::method::Method;
use slack_admin_core::methods::admin_users::AdminUsersList;
use slack_admin_core::methods::users::UsersList;
use slack_admin_core::pagination::{Pages, Paginated};
use slack_admin_core::SlackError;

/// Where the list stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    Idle,
    /// Pages still coming.
    Loading,
    Done,
    /// Stopped with this error; the rows so far stay.
    Failed(SlackError),
}

/// The app-wide store of members (a `Copy` handle of signals).
#[derive(Clone, Copy)]
pub struct Members {
    rows: StoredValue<Vec<Row>>,
    /// Bumped whenever `rows` changes: what views subscribe to.
    version: RwSignal<u64>,
    load: RwSignal<Load>,
    /// The method the rows come from.
    source: RwSignal<&'static str>,
    /// The transport the rows belong to: another connection loads its own.
    for_transport: StoredValue<Option<Transport>, LocalStorage>,
    /// When the views last saw new rows while loading (ms).
    shown_at: StoredValue<u64>,
}

/// While pages stream in, the views catch up at most this often: sorting a growing list on
/// every page of 100 would cost more than the pages themselves at 100,000 members.
const CATCH_UP_MS: u64 = 500;

impl Members {
    pub fn new() -> Self {
        Self {
            rows: StoredValue::new(Vec::new()),
            version: RwSignal::new(0),
            load: RwSignal::new(Load::Idle),
            source: RwSignal::new(""),
            for_transport: StoredValue::new_local(None),
            shown_at: StoredValue::new(0),
        }
    }

    pub fn load_state(&self) -> ReadSignal<Load> {
        self.load.read_only()
    }

    pub fn version(&self) -> ReadSignal<u64> {
        self.version.read_only()
    }

    pub fn source(&self) -> ReadSignal<&'static str> {
        self.source.read_only()
    }

    /// Reads the rows (subscribing to changes).
    pub fn with<T>(&self, f: impl FnOnce(&[Row]) -> T) -> T {
        self.version.track();
        self.rows.with_value(|r| f(r))
    }

    /// Loads the members of the current connection unless they are loaded or loading.
    pub fn ensure(&self, session: Session) {
        let Some(connection) = session.connection() else {
            return;
        };
        let same = self
            .for_transport
            .with_value(|t| t.as_ref().is_some_and(|t| t.same(&connection.transport)));
        if same && !matches!(self.load.get_untracked(), Load::Idle) {
            return;
        }
        self.start(session);
    }

    /// Loads again from the first page (the Refresh button).
    pub fn refresh(&self, session: Session) {
        self.start(session);
    }

    fn start(&self, session: Session) {
        let Some(connection) = session.connection() else {
            return;
        };
        let store = *self;
        let transport = connection.transport.clone();
        self.for_transport.set_value(Some(transport.clone()));
        self.rows.set_value(Vec::new());
        self.version.update(|v| *v += 1);
        self.load.set(Load::Loading);
        let grid_admin = connection
            .identity
            .capabilities()
            .into_iter()
            .find(|c| c.feature == Feature::Members)
            .and_then(|c| c.via)
            == Some(AdminUsersList::NAME);
        let rate = connection.rate_scale;
        leptos::task::spawn_local(async move {
            let current = || {
                store
                    .for_transport
                    .with_value(|t| t.as_ref().is_some_and(|t| t.same(&transport)))
                    && session.is_current(&transport)
            };
            let result = if grid_admin {
                store.source.set(AdminUsersList::NAME);
                let active = AdminUsersList {
                    limit: Some(100),
                    ..AdminUsersList::default()
                };
                let deactivated = AdminUsersList {
                    is_active: Some(false),
                    ..active.clone()
                };
                match walk(&transport, &active, rate, &current, |page| {
                    store.append(page.iter().map(Row::from))
                })
                .await
                {
                    Ok(()) => {
                        walk(&transport, &deactivated, rate, &current, |page| {
                            store.append(page.iter().map(Row::from))
                        })
                        .await
                    }
                    e => e,
                }
            } else {
                store.source.set(UsersList::NAME);
                let request = UsersList {
                    limit: Some(200),
                    ..UsersList::default()
                };
                walk(&transport, &request, rate, &current, |page| {
                    store.append(page.iter().map(Row::from))
                })
                .await
            };
            if current() {
                // The last pages, if the views had not caught up with them yet.
                store.version.update(|v| *v += 1);
                store.load.set(match result {
                    Ok(()) => Load::Done,
                    Err(e) => Load::Failed(e),
                });
            }
        });
    }

    fn append(&self, rows: impl Iterator<Item = Row>) {
        self.rows.update_value(|r| {
            for row in rows {
                // A member listed twice (active, then deactivated while loading) once.
                if !r.iter().rev().take(2000).any(|x| x.id == row.id) {
                    r.push(row);
                }
            }
        });
        let now = crate::browser::now_ms();
        if now.saturating_sub(self.shown_at.get_value()) >= CATCH_UP_MS {
            self.shown_at.set_value(now);
            self.version.update(|v| *v += 1);
        }
    }

    /// The row of `id`, if loaded.
    pub fn get(&self, id: &slack_admin_core::UserId) -> Option<Row> {
        self.version.track();
        self.rows
            .with_value(|r| r.iter().find(|x| &x.id == id).cloned())
    }

    /// Puts a changed row in place of the one with its ID.
    pub fn replace(&self, row: Row) {
        self.rows.update_value(|r| {
            if let Some(x) = r.iter_mut().find(|x| x.id == row.id) {
                *x = row;
            }
        });
        self.version.update(|v| *v += 1);
    }

    /// Applies changes Slack confirmed (`after` each action), in one pass over the list.
    pub fn apply(&self, changes: &[(slack_admin_core::UserId, slack_admin_core::members::Action)]) {
        if changes.is_empty() {
            return;
        }
        let by_id: std::collections::HashMap<
            &slack_admin_core::UserId,
            Vec<&slack_admin_core::members::Action>,
        > = changes.iter().fold(Default::default(), |mut m, (id, a)| {
            m.entry(id).or_default().push(a);
            m
        });
        self.rows.update_value(|rows| {
            for row in rows.iter_mut() {
                if let Some(actions) = by_id.get(&row.id) {
                    for a in actions {
                        *row = slack_admin_core::members::after(row, a);
                    }
                }
            }
        });
        self.version.update(|v| *v += 1);
    }

    /// Forgets everything (disconnect).
    pub fn clear(&self) {
        self.for_transport.set_value(None);
        self.rows.set_value(Vec::new());
        self.version.update(|v| *v += 1);
        self.load.set(Load::Idle);
    }
}

impl Default for Members {
    fn default() -> Self {
        Self::new()
    }
}

/// Every page of `request`, each handed to `each` as it arrives, at most as often as the
/// method's tier allows (times `rate_scale`). Stops quietly when `current` turns false.
async fn walk<M: Paginated>(
    transport: &Transport,
    request: &M,
    rate_scale: f64,
    current: &impl Fn() -> bool,
    mut each: impl FnMut(&[M::Item]),
) -> Result<(), SlackError> {
    let per_minute = f64::from(M::TIER.per_minute()) * rate_scale.max(1.0);
    let interval_ms = (60_000.0 / per_minute) as u64;
    let mut pages = Pages::default();
    while let Some(cursor) = pages.next_request() {
        if !current() {
            return Ok(());
        }
        let started = crate::browser::now_ms();
        let answer = transport.call(&request.at_cursor(cursor)).await?;
        pages.record(M::next_cursor(&answer))?;
        let items = M::into_items(answer);
        if current() {
            each(&items);
        }
        if pages.next_request().is_some() {
            let spent = crate::browser::now_ms().saturating_sub(started);
            crate::browser::sleep(interval_ms.saturating_sub(spent)).await;
        }
    }
    Ok(())
}
