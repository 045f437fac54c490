use std::str::FromStr;

use async_trait::async_trait;
use chrono::Utc;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::types::Json;
use sqlx::SqlitePool;

use super::{tag_conflict, StoreError, StoreResult, WidgetRow, WidgetStore, COLUMNS};
use crate::api::{Widget, WidgetRegistration};

/// The embedded default: one file, WAL journal, no server to run.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait]
impl WidgetStore for SqliteStore {
    async fn upsert(&self, reg: &WidgetRegistration) -> StoreResult<Widget> {
        let now = Utc::now();
        let sql = format!(
            "INSERT INTO widgets ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET
               title = excluded.title, version = excluded.version, tag = excluded.tag,
               entry = excluded.entry, description = excluded.description, icon = excluded.icon,
               base_url = excluded.base_url, files = excluded.files, interop = excluded.interop,
               revision = widgets.revision + 1, updated_at = excluded.updated_at
             RETURNING {COLUMNS}"
        );
        let row: WidgetRow = sqlx::query_as(&sql)
            .bind(&reg.id)
            .bind(&reg.title)
            .bind(&reg.version)
            .bind(&reg.tag)
            .bind(&reg.entry)
            .bind(&reg.description)
            .bind(&reg.icon)
            .bind(&reg.base_url)
            .bind(Json(&reg.files))
            .bind(Json(&reg.interop))
            .bind(now)
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| tag_conflict(e, reg))?;
        Ok(row.into())
    }

    async fn get(&self, id: &str) -> StoreResult<Widget> {
        let sql = format!("SELECT {COLUMNS} FROM widgets WHERE id = ?");
        sqlx::query_as::<_, WidgetRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Widget::from)
            .ok_or_else(|| StoreError::NotFound(id.to_owned()))
    }

    async fn list(&self) -> StoreResult<Vec<Widget>> {
        let sql = format!("SELECT {COLUMNS} FROM widgets ORDER BY id");
        let rows: Vec<WidgetRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(Widget::from).collect())
    }

    async fn delete(&self, id: &str) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM widgets WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(id.to_owned()));
        }
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}
