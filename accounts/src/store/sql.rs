//! The SQL both engines share, and the macro that implements
//! [`AccountStore`] for a store type over its sqlx database. Statements are
//! written with `$N` placeholders; [`Queries::new`] takes the engine's
//! rewrite (SQLite runs them as `?N`).
//!
//! [`AccountStore`]: super::AccountStore

/// Every statement, in the engine's placeholder syntax.
pub(super) struct Queries {
    pub create_user: String,
    pub user_named: String,
    pub users: String,
    pub add_token: String,
    pub touch_token: String,
    pub tokens_of: String,
    pub label_token: String,
    pub revoke_token: String,
    pub user_by_id: String,
    pub add_invitation: String,
    pub take_invitation: String,
    pub invitation_state: String,
    pub user_by_token: String,
    pub create_group: String,
    pub group_named: String,
    pub add_member: String,
    pub groups: String,
    pub groups_of: String,
}

impl Queries {
    pub fn new(dialect: impl Fn(&str) -> String) -> Queries {
        let d = |s: &str| dialect(s);
        Queries {
            create_user: d("INSERT INTO users (name, admin, created_at) VALUES ($1, $2, $3) RETURNING id"),
            user_named: d("SELECT id, name, admin FROM users WHERE name = $1"),
            users: d("SELECT id, name, admin FROM users ORDER BY name"),
            add_token: d("INSERT INTO user_tokens (hash, user_id, label, created_at, id) VALUES ($1, $2, $3, $4, $5)"),
            touch_token: d("UPDATE user_tokens SET last_used_at = $2 WHERE hash = $1"),
            tokens_of: d(
                "SELECT id, hash, label, created_at, last_used_at FROM user_tokens \
                 WHERE user_id = $1 ORDER BY created_at DESC, id",
            ),
            label_token: d("UPDATE user_tokens SET label = $3 WHERE user_id = $1 AND id = $2"),
            revoke_token: d("DELETE FROM user_tokens WHERE user_id = $1 AND id = $2 RETURNING hash"),
            user_by_id: d("SELECT id, name, admin FROM users WHERE id = $1"),
            add_invitation: d(
                "INSERT INTO user_invitations (code_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            ),
            // Used once, and only before it expires: one statement decides.
            take_invitation: d(
                "UPDATE user_invitations SET used_at = $2 \
                 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
            ),
            invitation_state: d("SELECT used_at, expires_at FROM user_invitations WHERE code_hash = $1"),
            user_by_token: d(
                "SELECT u.id, u.name, u.admin FROM user_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1",
            ),
            create_group: d("INSERT INTO groups (name, created_at) VALUES ($1, $2) RETURNING id"),
            group_named: d("SELECT id FROM groups WHERE name = $1"),
            add_member: d(
                "INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            ),
            groups: d(
                "SELECT g.name AS group_name, u.name AS user_name FROM groups g \
                 LEFT JOIN group_members m ON m.group_id = g.id LEFT JOIN users u ON u.id = m.user_id \
                 ORDER BY g.name",
            ),
            groups_of: d(
                "SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id \
                 WHERE m.user_id = $1 ORDER BY g.name",
            ),
        }
    }
}

/// Implements `AccountStore` for `$store` (fields `pool`, `q: Queries`,
/// `notify_url`).
macro_rules! sql_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl super::AccountStore for $store {
            async fn create_user(
                &self,
                name: &str,
                admin: bool,
                now: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<super::User> {
                let (id,): (i64,) = sqlx::query_as(&self.q.create_user)
                    .bind(name)
                    .bind(admin)
                    .bind(now)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| super::unique_or(e, || format!("user {name:?} already exists")))?;
                Ok(super::User {
                    id,
                    name: name.to_owned(),
                    admin,
                })
            }

            async fn user_named(&self, name: &str) -> crate::error::Result<Option<super::User>> {
                let row: Option<super::UserRow> = sqlx::query_as(&self.q.user_named)
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(super::User::from))
            }

            async fn users(&self) -> crate::error::Result<Vec<super::User>> {
                let rows: Vec<super::UserRow> =
                    sqlx::query_as(&self.q.users).fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(super::User::from).collect())
            }

            async fn add_token(
                &self,
                user_id: i64,
                hash: &str,
                label: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<()> {
                sqlx::query(&self.q.add_token)
                    .bind(hash)
                    .bind(user_id)
                    .bind(label)
                    .bind(now)
                    .bind(super::token_id(hash))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn touch_token(
                &self,
                hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<()> {
                sqlx::query(&self.q.touch_token)
                    .bind(hash)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn tokens_of(&self, user_id: i64) -> crate::error::Result<Vec<super::TokenRow>> {
                Ok(sqlx::query_as(&self.q.tokens_of)
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn label_token(
                &self,
                user_id: i64,
                id: &str,
                label: &str,
            ) -> crate::error::Result<bool> {
                let done = sqlx::query(&self.q.label_token)
                    .bind(user_id)
                    .bind(id)
                    .bind(label)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn revoke_token(
                &self,
                user_id: i64,
                id: &str,
            ) -> crate::error::Result<Option<String>> {
                let hash: Option<(String,)> = sqlx::query_as(&self.q.revoke_token)
                    .bind(user_id)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(hash.map(|h| h.0))
            }

            async fn add_invitation(
                &self,
                user_id: i64,
                code_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
                expires: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<()> {
                sqlx::query(&self.q.add_invitation)
                    .bind(code_hash)
                    .bind(user_id)
                    .bind(now)
                    .bind(expires)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn take_invitation(
                &self,
                code_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<super::Invitation> {
                let taken: Option<(i64,)> = sqlx::query_as(&self.q.take_invitation)
                    .bind(code_hash)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?;
                if let Some((user_id,)) = taken {
                    let row: Option<super::UserRow> = sqlx::query_as(&self.q.user_by_id)
                        .bind(user_id)
                        .fetch_optional(&self.pool)
                        .await?;
                    return Ok(match row {
                        Some(u) => super::Invitation::Accepted(super::User::from(u)),
                        None => super::Invitation::Unknown,
                    });
                }
                let state: Option<(
                    Option<chrono::DateTime<chrono::Utc>>,
                    chrono::DateTime<chrono::Utc>,
                )> = sqlx::query_as(&self.q.invitation_state)
                    .bind(code_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(match state {
                    Some((Some(at), _)) => super::Invitation::Used(at),
                    Some((None, at)) => super::Invitation::Expired(at),
                    None => super::Invitation::Unknown,
                })
            }

            async fn user_by_token(&self, hash: &str) -> crate::error::Result<Option<super::User>> {
                let row: Option<super::UserRow> = sqlx::query_as(&self.q.user_by_token)
                    .bind(hash)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(super::User::from))
            }

            async fn create_group(
                &self,
                name: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<i64> {
                let (id,): (i64,) = sqlx::query_as(&self.q.create_group)
                    .bind(name)
                    .bind(now)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| {
                        super::unique_or(e, || format!("group {name:?} already exists"))
                    })?;
                Ok(id)
            }

            async fn group_named(&self, name: &str) -> crate::error::Result<Option<i64>> {
                let row: Option<(i64,)> = sqlx::query_as(&self.q.group_named)
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|r| r.0))
            }

            async fn add_member(&self, group_id: i64, user_id: i64) -> crate::error::Result<bool> {
                let done = sqlx::query(&self.q.add_member)
                    .bind(group_id)
                    .bind(user_id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn groups(&self) -> crate::error::Result<Vec<crate::api::GroupInfo>> {
                let rows: Vec<(String, Option<String>)> =
                    sqlx::query_as(&self.q.groups).fetch_all(&self.pool).await?;
                let mut out: Vec<crate::api::GroupInfo> = Vec::new();
                for (group, user) in rows {
                    if out.last().map(|g| &g.name) != Some(&group) {
                        out.push(crate::api::GroupInfo {
                            name: group,
                            members: Vec::new(),
                        });
                    }
                    if let (Some(user), Some(g)) = (user, out.last_mut()) {
                        g.members.push(user);
                    }
                }
                out.iter_mut().for_each(|g| g.members.sort());
                Ok(out)
            }

            async fn groups_of(&self, user_id: i64) -> crate::error::Result<Vec<String>> {
                let rows: Vec<(String,)> = sqlx::query_as(&self.q.groups_of)
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(|r| r.0).collect())
            }

            fn notify_url(&self) -> Option<&str> {
                self.notify_url.as_deref()
            }
        }
    };
}

pub(super) use sql_store;
