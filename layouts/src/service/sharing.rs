//! Sharing (users and groups with view or edit, or the whole organisation
//! with view) and the audit log.

use std::collections::HashSet;

use super::access::Need;
use super::{actor, now, LayoutsState};
use crate::api::{AuditLog, Grant, ShareAccess, Sharing};
use crate::error::{LayoutsError, Result};
use crate::store::{AuditRecord, ShareIds, ShareRow, User};

/// Longest page of audit records.
pub const MAX_AUDIT_PAGE: i64 = 500;

fn to_sharing(organisation: bool, rows: Vec<ShareRow>) -> Sharing {
    let access = |a: &str| {
        if a == "edit" {
            ShareAccess::Edit
        } else {
            ShareAccess::View
        }
    };
    let mut s = Sharing {
        organisation,
        users: Vec::new(),
        groups: Vec::new(),
    };
    for r in rows {
        match (r.user_name, r.group_name) {
            (Some(name), _) => s.users.push(Grant {
                name,
                access: access(&r.access),
            }),
            (None, Some(name)) => s.groups.push(Grant {
                name,
                access: access(&r.access),
            }),
            (None, None) => {}
        }
    }
    s.users.sort_by(|a, b| a.name.cmp(&b.name));
    s.groups.sort_by(|a, b| a.name.cmp(&b.name));
    s
}

impl LayoutsState {
    /// Who the layout is shared with (anyone who may view it may ask).
    pub async fn sharing(&self, user: &User, id: &str) -> Result<Sharing> {
        let row = self.store().layout(id, user.id).await?;
        let row = self
            .authorize(user, id, row, Need::View, "read sharing")
            .await?;
        Ok(to_sharing(row.organisation, self.store().shares(id).await?))
    }

    /// Replaces the sharing (owner or admin), recording before and after in the audit log.
    pub async fn set_sharing(&self, user: &User, id: &str, wanted: Sharing) -> Result<Sharing> {
        let row = self.store().layout(id, user.id).await?;
        let row = self
            .authorize(user, id, row, Need::Own, "change sharing")
            .await?;
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        for (i, g) in wanted.users.iter().enumerate() {
            let field = format!("users[{i}].name");
            let u = self
                .accounts()
                .store()
                .user_named(&g.name)
                .await?
                .ok_or_else(|| {
                    LayoutsError::field(&field, format!("there is no user named {:?}", g.name))
                })?;
            if u.id == row.owner_id {
                return Err(LayoutsError::field(
                    &field,
                    format!("{:?} owns the layout and has every right already", g.name),
                ));
            }
            if !seen.insert(("user", u.id)) {
                return Err(LayoutsError::field(
                    &field,
                    format!("{:?} is listed twice", g.name),
                ));
            }
            ids.push(ShareIds {
                user_id: Some(u.id),
                group_id: None,
                access: g.access,
            });
        }
        for (i, g) in wanted.groups.iter().enumerate() {
            let field = format!("groups[{i}].name");
            let gid = self
                .accounts()
                .store()
                .group_named(&g.name)
                .await?
                .ok_or_else(|| {
                    LayoutsError::field(&field, format!("there is no group named {:?}", g.name))
                })?;
            if !seen.insert(("group", gid)) {
                return Err(LayoutsError::field(
                    &field,
                    format!("{:?} is listed twice", g.name),
                ));
            }
            ids.push(ShareIds {
                user_id: None,
                group_id: Some(gid),
                access: g.access,
            });
        }
        let before = to_sharing(row.organisation, self.store().shares(id).await?);
        let mut after = wanted.clone();
        after.users.sort_by(|a, b| a.name.cmp(&b.name));
        after.groups.sort_by(|a, b| a.name.cmp(&b.name));
        let record = AuditRecord {
            layout_id: Some(id),
            actor: actor(user),
            action: "shared",
            detail: serde_json::json!({"before": before, "after": after}),
            at: now(),
        };
        if !self
            .store()
            .set_sharing(id, user, wanted.organisation, &ids, &record)
            .await?
        {
            return Err(self
                .refused(user, id, Need::Own, "change sharing", None)
                .await);
        }
        // Viewers who lost access see their watch stream end.
        self.hub().poke(id);
        tracing::info!(layout = id, by = %user.name, organisation = after.organisation,
            users = after.users.len(), groups = after.groups.len(), "sharing changed");
        Ok(after)
    }

    /// The layout's audit records (owner or admin), newest first.
    pub async fn layout_audit(
        &self,
        user: &User,
        id: &str,
        before: Option<i64>,
        limit: Option<i64>,
    ) -> Result<AuditLog> {
        let row = self.store().layout(id, user.id).await?;
        match self
            .authorize(user, id, row, Need::Own, "read the audit log")
            .await
        {
            // The bin is the owner's: its history stays readable.
            Ok(_) | Err(LayoutsError::Deleted { .. }) => {}
            Err(e) => return Err(e),
        }
        self.audit_page(Some(id), before, limit).await
    }

    /// Every audit record (admins), newest first.
    pub async fn audit(
        &self,
        user: &User,
        before: Option<i64>,
        limit: Option<i64>,
    ) -> Result<AuditLog> {
        if !user.admin {
            return Err(LayoutsError::Forbidden(
                "the audit log of all layouts is for admins; owners read their layout's at /v1/layouts/{id}/audit".into(),
            ));
        }
        self.audit_page(None, before, limit).await
    }

    async fn audit_page(
        &self,
        id: Option<&str>,
        before: Option<i64>,
        limit: Option<i64>,
    ) -> Result<AuditLog> {
        let limit = limit.unwrap_or(100);
        if !(1..=MAX_AUDIT_PAGE).contains(&limit) {
            return Err(LayoutsError::field(
                "limit",
                format!("must be from 1 to {MAX_AUDIT_PAGE}"),
            ));
        }
        Ok(AuditLog {
            events: self
                .store()
                .audit(id, before.unwrap_or(i64::MAX), limit)
                .await?,
        })
    }
}
