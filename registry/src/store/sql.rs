//! The SQL both engines share, and the macro that implements [`WidgetStore`]
//! for a store type over its sqlx database.
//!
//! Placeholders are written `$N` and numbered in order; SQLite runs them as `?N`.
//!
//! [`WidgetStore`]: super::WidgetStore

pub(super) const COLUMNS: &str = "id, COALESCE(app_id, id) AS app_id, publisher, title, version, tag, entry, description, icon, base_url, files, interop, api, revision, instance, state, registered_at, updated_at, last_seen";

pub(super) const UPSERT: &str = "INSERT INTO widgets (id, publisher, title, version, tag, entry, description, icon, base_url, files, interop, api, revision, instance, state, registered_at, updated_at, last_seen, sidecar_key, app_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, 'online', $14, $14, $14, $15, $16)
     ON CONFLICT (id) DO UPDATE SET
       title = excluded.title, version = excluded.version, tag = excluded.tag,
       entry = excluded.entry, description = excluded.description, icon = excluded.icon,
       base_url = excluded.base_url, files = excluded.files, interop = excluded.interop, api = excluded.api,
       revision = widgets.revision + 1, instance = excluded.instance, state = 'online',
       offline_since = NULL, updated_at = excluded.updated_at, last_seen = excluded.last_seen,
       sidecar_key = excluded.sidecar_key, app_id = excluded.app_id";

pub(super) const SIDECAR_KEY: &str = "SELECT sidecar_key FROM widgets WHERE id = $1";

pub(super) const INSERT_EVENT: &str =
    "INSERT INTO widget_events (kind, widget_id, widget, at) VALUES ($1, $2, $3, $4) RETURNING id";

pub(super) const DEREGISTER: &str =
    "DELETE FROM widgets WHERE id = $1 AND (CAST($2 AS TEXT) IS NULL OR instance = $2)";

pub(super) const HEARTBEAT: &str =
    "UPDATE widgets SET last_seen = $1 WHERE id = $2 AND instance = $3 AND state = 'online'";

pub(super) const EXPIRE: &str =
    "UPDATE widgets SET state = 'offline', offline_since = $1, updated_at = $1
     WHERE state = 'online' AND last_seen < $2";

pub(super) const PURGE: &str = "DELETE FROM widgets WHERE state = 'offline' AND offline_since < $1";

pub(super) const EVENTS_AFTER: &str =
    "SELECT id, kind, widget_id, widget, at FROM widget_events WHERE id > $1 ORDER BY id LIMIT $2";

pub(super) const EVENT_BOUNDS: &str =
    "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM widget_events";

pub(super) const PRUNE_EVENTS: &str = "DELETE FROM widget_events
     WHERE at < $1 AND id <= (SELECT COALESCE(MAX(id), 0) FROM widget_events) - $2";

/// Implements `WidgetStore` for `$store` (which has a `pool` field and the
/// associated items `LOCK_EVENTS`, `NOTIFY_EVENTS` and `fn sql`) over the sqlx database `$db`.
macro_rules! sql_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Appends one event inside the caller's transaction.
            async fn push_event(
                tx: &mut sqlx::Transaction<'_, $db>,
                kind: crate::api::EventKind,
                widget_id: &str,
                widget: Option<&crate::api::Widget>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> super::StoreResult<crate::api::WidgetEvent> {
                let (id,): (i64,) = sqlx::query_as(&Self::sql(super::sql::INSERT_EVENT))
                    .bind(kind.as_str())
                    .bind(widget_id)
                    .bind(widget.map(sqlx::types::Json))
                    .bind(at)
                    .fetch_one(&mut **tx)
                    .await?;
                if !Self::NOTIFY_EVENTS.is_empty() {
                    sqlx::query(Self::NOTIFY_EVENTS).execute(&mut **tx).await?;
                }
                Ok(crate::api::WidgetEvent {
                    id,
                    kind,
                    widget_id: widget_id.to_owned(),
                    widget: widget.cloned(),
                    at,
                })
            }

            /// Starts a transaction that may append events, in id order.
            async fn begin_events(&self) -> super::StoreResult<sqlx::Transaction<'_, $db>> {
                let mut tx = self.pool.begin().await?;
                if !Self::LOCK_EVENTS.is_empty() {
                    sqlx::query(Self::LOCK_EVENTS).execute(&mut *tx).await?;
                }
                Ok(tx)
            }

            fn returning(sql: &str) -> String {
                Self::sql(&format!("{sql} RETURNING {}", super::sql::COLUMNS)).into_owned()
            }
        }

        #[async_trait::async_trait]
        impl super::WidgetStore for $store {
            async fn create_publisher(&self, name: &str) -> super::StoreResult<()> {
                let done = sqlx::query(&Self::sql("INSERT INTO publishers (name, created_at) VALUES ($1, $2)"))
                    .bind(name)
                    .bind(chrono::Utc::now())
                    .execute(&self.pool)
                    .await;
                done.map(|_| ()).map_err(|e| {
                    tessera_server_common::db::unique_or(e, || {
                        super::StoreError::Conflict(format!("publisher {name:?} already exists"))
                    })
                })
            }

            async fn publisher_exists(&self, name: &str) -> super::StoreResult<bool> {
                let (n,): (i64,) = sqlx::query_as(&Self::sql("SELECT COUNT(*) FROM publishers WHERE name = $1"))
                    .bind(name)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n > 0)
            }

            async fn add_token(&self, hash: &str, grant: &super::TokenGrant, label: &str) -> super::StoreResult<()> {
                let done = sqlx::query(&Self::sql(
                    "INSERT INTO tokens (hash, publisher, admin, label, created_at) VALUES ($1, $2, $3, $4, $5)",
                ))
                .bind(hash)
                .bind(grant.publisher.as_deref())
                .bind(grant.admin)
                .bind(label)
                .bind(chrono::Utc::now())
                .execute(&self.pool)
                .await;
                match done {
                    Ok(_) => Ok(()),
                    Err(sqlx::Error::Database(db)) if db.is_foreign_key_violation() => Err(
                        super::StoreError::NotFound(format!(
                            "publisher {:?}",
                            grant.publisher.as_deref().unwrap_or_default()
                        )),
                    ),
                    Err(e) => Err(e.into()),
                }
            }

            async fn token(&self, hash: &str) -> super::StoreResult<Option<super::TokenGrant>> {
                let row: Option<(Option<String>, bool)> =
                    sqlx::query_as(&Self::sql("SELECT publisher, admin FROM tokens WHERE hash = $1"))
                        .bind(hash)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(publisher, admin)| super::TokenGrant { publisher, admin }))
            }

            async fn register(
                &self,
                reg: &crate::api::WidgetRegistration,
                instance: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> super::StoreResult<crate::api::WidgetEvent> {
                let mut tx = self.begin_events().await?;
                let row: super::WidgetRow = sqlx::query_as(&Self::returning(super::sql::UPSERT))
                    .bind(&reg.id)
                    .bind(crate::api::publisher_of(&reg.id))
                    .bind(&reg.title)
                    .bind(&reg.version)
                    .bind(&reg.tag)
                    .bind(&reg.entry)
                    .bind(&reg.description)
                    .bind(&reg.icon)
                    .bind(&reg.base_url)
                    .bind(sqlx::types::Json(&reg.files))
                    .bind(sqlx::types::Json(&reg.interop))
                    .bind(reg.api)
                    .bind(instance)
                    .bind(now)
                    .bind(&reg.key)
                    .bind(reg.app_id.as_deref().unwrap_or(&reg.id))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| super::tag_conflict(e, reg))?;
                let widget = crate::api::Widget::from(row);
                let kind = if widget.revision == 1 {
                    crate::api::EventKind::Added
                } else {
                    crate::api::EventKind::Updated
                };
                let event = Self::push_event(&mut tx, kind, &widget.id, Some(&widget), now).await?;
                tx.commit().await?;
                Ok(event)
            }

            async fn deregister(
                &self,
                id: &str,
                instance: Option<&str>,
                now: chrono::DateTime<chrono::Utc>,
            ) -> super::StoreResult<Option<crate::api::WidgetEvent>> {
                let mut tx = self.begin_events().await?;
                let gone: Option<super::WidgetRow> = sqlx::query_as(&Self::returning(super::sql::DEREGISTER))
                    .bind(id)
                    .bind(instance)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(_) = gone else {
                    return Ok(None);
                };
                let event = Self::push_event(&mut tx, crate::api::EventKind::Removed, id, None, now).await?;
                tx.commit().await?;
                Ok(Some(event))
            }

            async fn record_heartbeats(
                &self,
                beats: &[super::Beat],
                at: chrono::DateTime<chrono::Utc>,
            ) -> super::StoreResult<()> {
                if beats.is_empty() {
                    return Ok(());
                }
                let sql = Self::sql(super::sql::HEARTBEAT);
                let mut tx = self.pool.begin().await?;
                for b in beats {
                    sqlx::query(&sql)
                        .bind(at)
                        .bind(&b.widget_id)
                        .bind(&b.instance)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn expire(
                &self,
                cutoff: chrono::DateTime<chrono::Utc>,
                now: chrono::DateTime<chrono::Utc>,
            ) -> super::StoreResult<Vec<crate::api::WidgetEvent>> {
                let mut tx = self.begin_events().await?;
                let rows: Vec<super::WidgetRow> = sqlx::query_as(&Self::returning(super::sql::EXPIRE))
                    .bind(now)
                    .bind(cutoff)
                    .fetch_all(&mut *tx)
                    .await?;
                let mut events = Vec::with_capacity(rows.len());
                for row in rows {
                    let w = crate::api::Widget::from(row);
                    events.push(Self::push_event(&mut tx, crate::api::EventKind::Offline, &w.id, Some(&w), now).await?);
                }
                tx.commit().await?;
                Ok(events)
            }

            async fn purge(
                &self,
                cutoff: chrono::DateTime<chrono::Utc>,
                now: chrono::DateTime<chrono::Utc>,
            ) -> super::StoreResult<Vec<crate::api::WidgetEvent>> {
                let mut tx = self.begin_events().await?;
                let rows: Vec<super::WidgetRow> = sqlx::query_as(&Self::returning(super::sql::PURGE))
                    .bind(cutoff)
                    .fetch_all(&mut *tx)
                    .await?;
                let mut events = Vec::with_capacity(rows.len());
                for row in rows {
                    events.push(Self::push_event(&mut tx, crate::api::EventKind::Removed, &row.id, None, now).await?);
                }
                tx.commit().await?;
                Ok(events)
            }

            async fn get(&self, id: &str) -> super::StoreResult<crate::api::Widget> {
                let sql = Self::sql(&format!("SELECT {} FROM widgets WHERE id = $1", super::sql::COLUMNS)).into_owned();
                sqlx::query_as::<_, super::WidgetRow>(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(crate::api::Widget::from)
                    .ok_or_else(|| super::StoreError::NotFound(format!("widget {id:?}")))
            }

            async fn sidecar_key(&self, id: &str) -> super::StoreResult<Option<String>> {
                let row: Option<(Option<String>,)> = sqlx::query_as(&Self::sql(super::sql::SIDECAR_KEY))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|(k,)| k)
                    .ok_or_else(|| super::StoreError::NotFound(format!("widget {id:?}")))
            }

            async fn list(&self) -> super::StoreResult<Vec<crate::api::Widget>> {
                let sql = format!("SELECT {} FROM widgets ORDER BY id", super::sql::COLUMNS);
                let rows: Vec<super::WidgetRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(crate::api::Widget::from).collect())
            }

            async fn events_after(&self, after: i64, limit: i64) -> super::StoreResult<Vec<crate::api::WidgetEvent>> {
                let rows: Vec<super::EventRow> = sqlx::query_as(&Self::sql(super::sql::EVENTS_AFTER))
                    .bind(after)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(crate::api::WidgetEvent::from).collect())
            }

            async fn event_bounds(&self) -> super::StoreResult<(i64, i64)> {
                Ok(sqlx::query_as(super::sql::EVENT_BOUNDS).fetch_one(&self.pool).await?)
            }

            async fn prune_events(&self, before: chrono::DateTime<chrono::Utc>, keep: i64) -> super::StoreResult<u64> {
                let done = sqlx::query(&Self::sql(super::sql::PRUNE_EVENTS))
                    .bind(before)
                    .bind(keep)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn ping(&self) -> super::StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            fn notify_url(&self) -> Option<&str> {
                self.notify_url.as_deref()
            }
        }
    };
}
