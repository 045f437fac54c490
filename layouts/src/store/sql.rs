//! The SQL both engines share, and the macro that implements
//! [`LayoutStore`] for a store type over its sqlx database.
//!
//! Statements are written with `$N` placeholders; [`Queries::new`] takes the
//! engine's rewrite (SQLite runs them as `?N`). A few statements are composed
//! from fragments (the caller's access, the list scopes) once, at connect.
//!
//! [`LayoutStore`]: super::LayoutStore

use super::Scope;

/// Whether user `u` (a placeholder) has a share on `l`, edit-only if `edit`.
fn shared_with(u: &str, edit: bool) -> String {
    let edit = if edit { " AND s.access = 'edit'" } else { "" };
    format!(
        "EXISTS (SELECT 1 FROM layout_shares s WHERE s.layout_id = l.id{edit} AND (s.user_id = {u} \
         OR s.group_id IN (SELECT gm.group_id FROM group_members gm WHERE gm.user_id = {u})))"
    )
}

/// User `u`'s rights on `l`: 3 owner, 2 edit, 1 view, 0 none (admins are handled by the caller).
fn access(u: &str) -> String {
    format!(
        "CASE WHEN l.owner_id = {u} THEN 3 ELSE COALESCE((SELECT MAX(CASE WHEN s.access = 'edit' THEN 2 ELSE 1 END) \
         FROM layout_shares s WHERE s.layout_id = l.id AND (s.user_id = {u} \
         OR s.group_id IN (SELECT gm.group_id FROM group_members gm WHERE gm.user_id = {u}))), \
         CASE WHEN l.organisation THEN 1 ELSE 0 END) END"
    )
}

/// The columns of `LayoutRow` for user `u`.
fn row_columns(u: &str) -> String {
    format!(
        "l.id, l.title, o.name AS owner, l.owner_id, l.version, l.organisation, \
         EXISTS (SELECT 1 FROM layout_shares x WHERE x.layout_id = l.id) AS shared, \
         l.widgets, l.cloned_from_id, l.cloned_from_version, l.created_at, l.updated_at, l.deleted_at, \
         {} AS access",
        access(u)
    )
}

const FROM_LAYOUTS: &str = "FROM layouts l JOIN users o ON o.id = l.owner_id";

/// Owner or admin (`u` user, `admin` flag placeholder).
fn owner_or_admin(u: &str, admin: &str) -> String {
    format!("(l.owner_id = {u} OR {admin})")
}

fn scope_filter(scope: Scope) -> String {
    let visible = format!(
        "(l.owner_id = $1 OR l.organisation OR {})",
        shared_with("$1", false)
    );
    match scope {
        Scope::All => format!("l.deleted_at IS NULL AND {visible}"),
        Scope::Mine => "l.deleted_at IS NULL AND l.owner_id = $1".into(),
        Scope::Shared => format!(
            "l.deleted_at IS NULL AND l.owner_id <> $1 AND {}",
            shared_with("$1", false)
        ),
        Scope::Organisation => {
            "l.deleted_at IS NULL AND l.owner_id <> $1 AND l.organisation".into()
        }
        Scope::Deleted => "l.deleted_at IS NOT NULL AND l.owner_id = $1".into(),
        // `$1` stays referenced through the access column.
        Scope::DeletedAll => "l.deleted_at IS NOT NULL".into(),
        Scope::Any => "l.deleted_at IS NULL".into(),
    }
}

const SCOPES: [Scope; 7] = [
    Scope::All,
    Scope::Mine,
    Scope::Shared,
    Scope::Organisation,
    Scope::Deleted,
    Scope::DeletedAll,
    Scope::Any,
];

/// Every statement, in the engine's placeholder syntax.
pub(super) struct Queries {
    pub insert_layout: String,
    pub insert_version: String,
    pub layout: String,
    pub layout_with_document: String,
    pub save: String,
    /// The guarded UPDATE and the history INSERT as one statement (`$1`–`$8`
    /// as in `save`, `$9` the message): one round trip, one transaction.
    /// Postgres only (SQLite has no data-modifying CTEs); `None` → `save`
    /// then `insert_version` in a transaction.
    pub save_with_history: Option<String>,
    lists: Vec<(Scope, String)>,
    pub versions: String,
    pub version: String,
    pub shares: String,
    pub guard_sharing: String,
    pub delete_shares: String,
    pub insert_share: String,
    pub soft_delete: String,
    pub restore: String,
    pub purge: String,
    pub insert_audit: String,
    pub audit: String,
}

impl Queries {
    pub fn new(dialect: impl Fn(&str) -> String) -> Queries {
        let d = |s: &str| dialect(s);
        let one = format!(
            "SELECT {} {FROM_LAYOUTS} WHERE l.id = $1",
            row_columns("$2")
        );
        let one_doc = format!(
            "SELECT {}, l.document {FROM_LAYOUTS} WHERE l.id = $1",
            row_columns("$2")
        );
        let list = |scope| {
            format!(
                "SELECT {} {FROM_LAYOUTS} WHERE {} \
                 AND (CAST($2 AS TEXT) IS NULL OR LOWER(l.title) LIKE $2 ESCAPE '\\') \
                 AND (CAST($3 AS TEXT) IS NULL OR l.widgets LIKE $3 ESCAPE '\\') \
                 AND (CAST($4 AS TEXT) IS NULL OR l.updated_at < $5 OR (l.updated_at = $5 AND l.id < $4)) \
                 ORDER BY l.updated_at DESC, l.id DESC LIMIT $6",
                row_columns("$1"),
                scope_filter(scope)
            )
        };
        let version_cols = "v.version, v.title, a.name AS author, v.message, v.created_at";
        Queries {
            insert_layout: d(
                "INSERT INTO layouts (id, owner_id, title, version, document, widgets, organisation, \
                 cloned_from_id, cloned_from_version, created_at, updated_at) \
                 VALUES ($1, $2, $3, 1, $4, $5, FALSE, $6, $7, $8, $8)",
            ),
            insert_version: d(
                "INSERT INTO layout_versions (layout_id, version, title, document, author_id, message, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            ),
            layout: d(&one),
            layout_with_document: d(&one_doc),
            save: d(&format!(
                "UPDATE layouts AS l SET document = $3, title = $4, widgets = $5, version = version + 1, updated_at = $6 \
                 WHERE l.id = $1 AND l.version = $2 AND l.deleted_at IS NULL \
                 AND (l.owner_id = $7 OR $8 OR {}) RETURNING version",
                shared_with("$7", true)
            )),
            save_with_history: None,
            lists: SCOPES.iter().map(|s| (*s, d(&list(*s)))).collect(),
            versions: d(&format!(
                "SELECT {version_cols} FROM layout_versions v LEFT JOIN users a ON a.id = v.author_id \
                 WHERE v.layout_id = $1 AND v.version < $2 ORDER BY v.version DESC LIMIT $3"
            )),
            version: d(&format!(
                "SELECT {version_cols}, v.document FROM layout_versions v LEFT JOIN users a ON a.id = v.author_id \
                 WHERE v.layout_id = $1 AND v.version = $2"
            )),
            shares: d(
                "SELECT u.name AS user_name, g.name AS group_name, s.access FROM layout_shares s \
                 LEFT JOIN users u ON u.id = s.user_id LEFT JOIN groups g ON g.id = s.group_id \
                 WHERE s.layout_id = $1",
            ),
            guard_sharing: d(&format!(
                "UPDATE layouts AS l SET organisation = $2 WHERE l.id = $1 AND l.deleted_at IS NULL AND {} RETURNING id",
                owner_or_admin("$3", "$4")
            )),
            delete_shares: d("DELETE FROM layout_shares WHERE layout_id = $1"),
            insert_share: d(
                "INSERT INTO layout_shares (layout_id, user_id, group_id, access) VALUES ($1, $2, $3, $4)",
            ),
            soft_delete: d(&format!(
                "UPDATE layouts AS l SET deleted_at = $2 WHERE l.id = $1 AND l.deleted_at IS NULL AND {} RETURNING id",
                owner_or_admin("$3", "$4")
            )),
            restore: d(&format!(
                "UPDATE layouts AS l SET deleted_at = NULL WHERE l.id = $1 AND l.deleted_at IS NOT NULL \
                 AND l.deleted_at >= $2 AND {} RETURNING id",
                owner_or_admin("$3", "$4")
            )),
            purge: d("DELETE FROM layouts WHERE deleted_at IS NOT NULL AND deleted_at < $1 RETURNING id"),
            insert_audit: d(
                "INSERT INTO layout_audit (layout_id, actor, action, detail, at) VALUES ($1, $2, $3, $4, $5)",
            ),
            audit: d(
                "SELECT id, layout_id, actor, action, detail, at FROM layout_audit \
                 WHERE (CAST($1 AS TEXT) IS NULL OR layout_id = $1) AND id < $2 ORDER BY id DESC LIMIT $3",
            ),
        }
    }

    /// Makes saves one statement: a data-modifying CTE (Postgres).
    pub fn with_single_statement_save(mut self) -> Queries {
        let update = self
            .save
            .strip_suffix(" RETURNING version")
            .expect("the save statement ends with RETURNING version");
        self.save_with_history = Some(format!(
            "WITH saved AS ({update} RETURNING l.id, l.version), \
             history AS (INSERT INTO layout_versions (layout_id, version, title, document, author_id, message, created_at) \
             SELECT saved.id, saved.version, $4, $3, $7, $9, $6 FROM saved) \
             SELECT version FROM saved"
        ));
        self
    }

    pub fn list(&self, scope: Scope) -> &str {
        &self
            .lists
            .iter()
            .find(|(s, _)| *s == scope)
            .expect("every scope has a statement")
            .1
    }
}

/// Implements `LayoutStore` for `$store` (fields `pool`,
/// `q: Queries`, `notify_url`) over the sqlx database `$db`.
macro_rules! sql_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl super::LayoutStore for $store {
            async fn insert_layout(&self, new: &super::NewLayout<'_>) -> crate::error::Result<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(&self.q.insert_layout)
                    .bind(new.id)
                    .bind(new.owner_id)
                    .bind(new.title)
                    .bind(new.document)
                    .bind(new.widgets)
                    .bind(new.cloned_from.map(|c| c.0))
                    .bind(new.cloned_from.map(|c| c.1))
                    .bind(new.now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| super::unique_or(e, || format!("layout id {:?} is taken", new.id)))?;
                sqlx::query(&self.q.insert_version)
                    .bind(new.id)
                    .bind(1_i64)
                    .bind(new.title)
                    .bind(new.document)
                    .bind(new.owner_id)
                    .bind(new.message)
                    .bind(new.now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn layout(&self, id: &str, user_id: i64) -> crate::error::Result<Option<super::LayoutRow>> {
                Ok(sqlx::query_as(&self.q.layout)
                    .bind(id)
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn layout_with_document(&self, id: &str, user_id: i64) -> crate::error::Result<Option<super::LayoutWithDocument>> {
                Ok(sqlx::query_as(&self.q.layout_with_document)
                    .bind(id)
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn save(&self, v: &super::NewVersion<'_>, user: &super::User) -> crate::error::Result<Option<i64>> {
                let single = self.q.save_with_history.as_deref();
                let update = sqlx::query_as::<_, (i64,)>(single.unwrap_or(&self.q.save))
                    .bind(v.id)
                    .bind(v.base_version)
                    .bind(v.document)
                    .bind(v.title)
                    .bind(v.widgets)
                    .bind(v.now)
                    .bind(user.id)
                    .bind(user.admin);
                if single.is_some() {
                    // The history row is written by the same statement.
                    let saved = update.bind(v.message).fetch_optional(&self.pool).await?;
                    return Ok(saved.map(|(version,)| version));
                }
                let mut tx = self.pool.begin().await?;
                let saved = update.fetch_optional(&mut *tx).await?;
                let Some((version,)) = saved else {
                    tx.rollback().await?;
                    return Ok(None);
                };
                sqlx::query(&self.q.insert_version)
                    .bind(v.id)
                    .bind(version)
                    .bind(v.title)
                    .bind(v.document)
                    .bind(user.id)
                    .bind(v.message)
                    .bind(v.now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some(version))
            }

            async fn list(&self, q: &super::ListQuery, user: &super::User) -> crate::error::Result<Vec<super::LayoutRow>> {
                let (after_at, after_id) = match &q.after {
                    Some((at, id)) => (Some(*at), Some(id.as_str())),
                    None => (None, None),
                };
                Ok(sqlx::query_as(self.q.list(q.scope))
                    .bind(user.id)
                    .bind(q.title_like.as_deref())
                    .bind(q.widgets_like.as_deref())
                    .bind(after_id)
                    .bind(after_at)
                    .bind(q.limit)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn versions(&self, id: &str, before: i64, limit: i64) -> crate::error::Result<Vec<crate::api::VersionInfo>> {
                let rows: Vec<super::VersionRow> = sqlx::query_as(&self.q.versions)
                    .bind(id)
                    .bind(before)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn version(&self, id: &str, version: i64) -> crate::error::Result<Option<(crate::api::VersionInfo, String)>> {
                let row: Option<super::VersionDocRow> = sqlx::query_as(&self.q.version)
                    .bind(id)
                    .bind(version)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|r| (r.info.into(), r.document)))
            }

            async fn shares(&self, id: &str) -> crate::error::Result<Vec<super::ShareRow>> {
                Ok(sqlx::query_as(&self.q.shares).bind(id).fetch_all(&self.pool).await?)
            }

            async fn set_sharing(
                &self,
                id: &str,
                user: &super::User,
                organisation: bool,
                shares: &[super::ShareIds],
                audit: &super::AuditRecord<'_>,
            ) -> crate::error::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let guard: Option<(String,)> = sqlx::query_as(&self.q.guard_sharing)
                    .bind(id)
                    .bind(organisation)
                    .bind(user.id)
                    .bind(user.admin)
                    .fetch_optional(&mut *tx)
                    .await?;
                if guard.is_none() {
                    tx.rollback().await?;
                    return Ok(false);
                }
                sqlx::query(&self.q.delete_shares).bind(id).execute(&mut *tx).await?;
                for s in shares {
                    sqlx::query(&self.q.insert_share)
                        .bind(id)
                        .bind(s.user_id)
                        .bind(s.group_id)
                        .bind(super::share_access(s.access))
                        .execute(&mut *tx)
                        .await?;
                }
                Self::audit_in(&mut tx, &self.q, audit).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn soft_delete(&self, id: &str, user: &super::User, audit: &super::AuditRecord<'_>) -> crate::error::Result<bool> {
                self.guarded_with_audit(&self.q.soft_delete, id, audit.at, user, audit).await
            }

            async fn restore(
                &self,
                id: &str,
                user: &super::User,
                deleted_since: chrono::DateTime<chrono::Utc>,
                audit: &super::AuditRecord<'_>,
            ) -> crate::error::Result<bool> {
                self.guarded_with_audit(&self.q.restore, id, deleted_since, user, audit).await
            }

            async fn purge_deleted(&self, cutoff: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> crate::error::Result<Vec<String>> {
                let mut tx = self.pool.begin().await?;
                let gone: Vec<(String,)> = sqlx::query_as(&self.q.purge).bind(cutoff).fetch_all(&mut *tx).await?;
                for (id,) in &gone {
                    let record = super::AuditRecord {
                        layout_id: Some(id),
                        actor: None,
                        action: "purged",
                        detail: serde_json::json!({"reason": "in the bin for longer than the restore window"}),
                        at: now,
                    };
                    Self::audit_in(&mut tx, &self.q, &record).await?;
                }
                tx.commit().await?;
                Ok(gone.into_iter().map(|r| r.0).collect())
            }

            async fn record_audit(&self, audit: &super::AuditRecord<'_>) -> crate::error::Result<()> {
                let mut tx = self.pool.begin().await?;
                Self::audit_in(&mut tx, &self.q, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn audit(&self, layout: Option<&str>, before: i64, limit: i64) -> crate::error::Result<Vec<crate::api::AuditEvent>> {
                let rows: Vec<super::AuditRow> = sqlx::query_as(&self.q.audit)
                    .bind(layout)
                    .bind(before)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn ping(&self) -> crate::error::Result<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            fn notify_url(&self) -> Option<&str> {
                self.notify_url.as_deref()
            }
        }

        impl $store {
            /// Runs `sql` (`$1` id, `$2` a time, `$3` user id, `$4` admin;
            /// `RETURNING id` when allowed) and, when it changed a row, writes
            /// `audit` in the same transaction.
            async fn guarded_with_audit(
                &self,
                sql: &str,
                id: &str,
                at: chrono::DateTime<chrono::Utc>,
                user: &super::User,
                audit: &super::AuditRecord<'_>,
            ) -> crate::error::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let done: Option<(String,)> = sqlx::query_as(sql)
                    .bind(id)
                    .bind(at)
                    .bind(user.id)
                    .bind(user.admin)
                    .fetch_optional(&mut *tx)
                    .await?;
                if done.is_none() {
                    tx.rollback().await?;
                    return Ok(false);
                }
                Self::audit_in(&mut tx, &self.q, audit).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn audit_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                q: &super::sql::Queries,
                a: &super::AuditRecord<'_>,
            ) -> crate::error::Result<()> {
                sqlx::query(&q.insert_audit)
                    .bind(a.layout_id)
                    .bind(a.actor)
                    .bind(a.action)
                    .bind(a.detail.to_string())
                    .bind(a.at)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }
    };
}
