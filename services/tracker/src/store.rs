//! Where hits are kept: SQLite (the default, one file) or Postgres. The
//! same SQL runs on both; SQLite spells `$1` as `?1`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, QueryBuilder, SqlitePool};

use crate::hit::{Hit, NewHit};
use crate::range::{Buckets, Range, MINUTE};

/// The start of the minute `at` is in (as the SQL's `at / 60000 * 60000`).
fn minute_of(at: i64) -> i64 {
    at / MINUTE * MINUTE
}

/// The first minute start at or after `at`.
fn ceil_minute(at: i64) -> i64 {
    let m = minute_of(at);
    if m < at {
        m + MINUTE
    } else {
        m
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Clone)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the engine's pool and `$db` naming
/// its sqlx database type.
macro_rules! on_engine {
    ($store:expr, $pool:ident, $db:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool) => {
                #[allow(dead_code)]
                type $db = sqlx::Sqlite;
                $body
            }
            Store::Postgres($pool) => {
                #[allow(dead_code)]
                type $db = sqlx::Postgres;
                $body
            }
        }
    };
}

/// A top page: its name and its hits in the range.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct PageHits {
    pub page: String,
    pub hits: i64,
}

impl Store {
    /// Connects to the database the URL names and applies the migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(opts)
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Ok(Store::Sqlite(pool))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Ok(Store::Postgres(pool))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    fn sql<'a>(&self, sql: &'a str) -> Cow<'a, str> {
        match self {
            Store::Sqlite(_) => Cow::Owned(sql.replace('$', "?")),
            Store::Postgres(_) => Cow::Borrowed(sql),
        }
    }

    /// Stores `hits` and adds them to the per-minute counts, in one
    /// transaction; returns the highest id given.
    pub async fn insert(&self, hits: &[NewHit]) -> Result<i64> {
        if hits.is_empty() {
            return self.last_id().await;
        }
        let mut minutes: BTreeMap<i64, i64> = BTreeMap::new();
        let mut pages: BTreeMap<(&str, i64), i64> = BTreeMap::new();
        for h in hits {
            *minutes.entry(minute_of(h.at)).or_default() += 1;
            *pages.entry((h.page.as_str(), minute_of(h.at))).or_default() += 1;
        }
        on_engine!(self, pool, Db => {
            let mut tx = pool.begin().await?;
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO hits (at, page, referrer, user_agent, user_name) ",
            );
            q.push_values(hits, |mut row, h| {
                row.push_bind(h.at)
                    .push_bind(h.page.clone())
                    .push_bind(h.referrer.clone())
                    .push_bind(h.user_agent.clone())
                    .push_bind(h.user.clone());
            });
            q.push(" RETURNING id");
            let ids: Vec<i64> = q.build_query_scalar().fetch_all(&mut *tx).await?;
            let mut q = QueryBuilder::<Db>::new("INSERT INTO hit_minutes (minute, hits) ");
            q.push_values(&minutes, |mut row, (m, n)| {
                row.push_bind(*m).push_bind(*n);
            });
            q.push(" ON CONFLICT (minute) DO UPDATE SET hits = hit_minutes.hits + excluded.hits");
            q.build().execute(&mut *tx).await?;
            let mut q = QueryBuilder::<Db>::new("INSERT INTO page_minutes (page, minute, hits) ");
            q.push_values(&pages, |mut row, ((p, m), n)| {
                row.push_bind(p.to_string()).push_bind(*m).push_bind(*n);
            });
            q.push(
                " ON CONFLICT (page, minute) DO UPDATE SET hits = page_minutes.hits + excluded.hits",
            );
            q.build().execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(ids.into_iter().max().unwrap_or(0))
        })
    }

    /// The highest hit id (0 with none).
    pub async fn last_id(&self) -> Result<i64> {
        let sql = "SELECT COALESCE(MAX(id), 0) FROM hits";
        on_engine!(self, pool, Db => Ok(sqlx::query_scalar::<Db, i64>(sql).fetch_one(pool).await?))
    }

    /// Hits per bucket: `(bucket index, count)` for buckets with hits.
    /// Buckets of whole minutes are summed from the per-minute counts;
    /// others count hits.
    pub async fn histogram(&self, b: Buckets, page: Option<&str>) -> Result<Vec<(i64, i64)>> {
        let by_minute = b.size % MINUTE == 0 && b.start % MINUTE == 0;
        let sql = match (by_minute, page.is_some()) {
            (true, false) => "SELECT (minute - $1) / $2 AS bucket, CAST(SUM(hits) AS BIGINT) AS hits \
                 FROM hit_minutes WHERE minute >= $1 AND minute < $3 GROUP BY 1 ORDER BY 1",
            (true, true) => "SELECT (minute - $1) / $2 AS bucket, CAST(SUM(hits) AS BIGINT) AS hits \
                 FROM page_minutes WHERE page = $4 AND minute >= $1 AND minute < $3 GROUP BY 1 ORDER BY 1",
            (false, false) => "SELECT (at - $1) / $2 AS bucket, COUNT(*) AS hits FROM hits \
                 WHERE at >= $1 AND at < $3 GROUP BY 1 ORDER BY 1",
            (false, true) => "SELECT (at - $1) / $2 AS bucket, COUNT(*) AS hits FROM hits \
                 WHERE page = $4 AND at >= $1 AND at < $3 GROUP BY 1 ORDER BY 1",
        };
        let sql = self.sql(sql);
        on_engine!(self, pool, Db => {
            let mut q = sqlx::query_as::<Db, (i64, i64)>(&sql)
                .bind(b.start)
                .bind(b.size)
                .bind(b.end());
            if let Some(p) = page {
                q = q.bind(p.to_owned());
            }
            Ok(q.fetch_all(pool).await?)
        })
    }

    /// The pages with the most hits in `range`, most first: the whole
    /// minutes inside the range from the per-minute counts, the part
    /// minutes at its ends from the hits.
    pub async fn top_pages(&self, range: Range, limit: i64) -> Result<Vec<PageHits>> {
        let (inner_from, inner_to) = (ceil_minute(range.from), minute_of(range.to));
        if inner_from >= inner_to {
            // Within a minute or two: the hits alone.
            let sql = self.sql(
                "SELECT page, COUNT(*) AS hits FROM hits WHERE at >= $1 AND at < $2 \
                 GROUP BY page ORDER BY hits DESC, page LIMIT $3",
            );
            return on_engine!(self, pool, Db => Ok(sqlx::query_as::<Db, PageHits>(&sql)
                .bind(range.from)
                .bind(range.to)
                .bind(limit)
                .fetch_all(pool)
                .await?));
        }
        let sql = self.sql(
            "SELECT page, CAST(SUM(n) AS BIGINT) AS hits FROM (\
                 SELECT page, hits AS n FROM page_minutes WHERE minute >= $1 AND minute < $2 \
                 UNION ALL \
                 SELECT page, 1 AS n FROM hits WHERE (at >= $3 AND at < $1) OR (at >= $2 AND at < $4)\
             ) AS t GROUP BY page ORDER BY hits DESC, page LIMIT $5",
        );
        on_engine!(self, pool, Db => Ok(sqlx::query_as::<Db, PageHits>(&sql)
            .bind(inner_from)
            .bind(inner_to)
            .bind(range.from)
            .bind(range.to)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// Hits with an id above `after`, oldest first, at most `limit`.
    pub async fn after(&self, after: i64, limit: i64) -> Result<Vec<Hit>> {
        let sql = self.sql(
            "SELECT id, at, page, referrer, user_agent, user_name FROM hits \
             WHERE id > $1 ORDER BY id LIMIT $2",
        );
        on_engine!(self, pool, Db => Ok(sqlx::query_as::<Db, Hit>(&sql)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// Refreshes the planner's statistics (after a bulk load; on Postgres
    /// also the visibility map, so bucket counts are index-only scans).
    pub async fn analyze(&self) -> Result<()> {
        match self {
            Store::Sqlite(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
            Store::Postgres(pool) => {
                sqlx::query("VACUUM ANALYZE hits").execute(pool).await?;
            }
        }
        Ok(())
    }
}
