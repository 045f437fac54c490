//! Deciding, from a layout row as the caller sees it, whether an operation
//! may go ahead, and what to answer (and audit) when it may not.

use chrono::Duration;

use super::{actor, now, LayoutsState, RESTORE_WINDOW_DAYS};
use crate::api::{Access, ClonedFrom, LayoutSummary, Visibility};
use crate::error::{LayoutsError, Result};
use crate::store::{AuditRecord, LayoutRow, User};

/// What an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Need {
    View = 1,
    Edit = 2,
    Own = 3,
}

/// The caller's rights on a row: `None` when they may not see it.
pub(super) fn effective(row: &LayoutRow, user: &User) -> Option<Access> {
    match row.access {
        3 => Some(Access::Owner),
        _ if user.admin => Some(Access::Admin),
        2 => Some(Access::Edit),
        1 => Some(Access::View),
        _ => None,
    }
}

fn rank(a: Access) -> i32 {
    match a {
        Access::View => 1,
        Access::Edit => 2,
        Access::Owner | Access::Admin => 3,
    }
}

pub(super) fn summary(row: &LayoutRow, user: &User) -> LayoutSummary {
    LayoutSummary {
        id: row.id.clone(),
        title: row.title.clone(),
        owner: row.owner.clone(),
        version: row.version,
        visibility: if row.organisation {
            Visibility::Organisation
        } else if row.shared {
            Visibility::Shared
        } else {
            Visibility::Private
        },
        access: effective(row, user).unwrap_or(Access::View),
        widgets: row
            .widgets
            .split('|')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect(),
        cloned_from: match (&row.cloned_from_id, row.cloned_from_version) {
            (Some(layout), Some(version)) => Some(ClonedFrom {
                layout: layout.clone(),
                version,
            }),
            _ => None,
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
        deleted_at: row.deleted_at,
    }
}

fn what_needs(need: Need) -> &'static str {
    match need {
        Need::View => "view",
        Need::Edit => "edit (the owner can share it with you for editing, or you can clone it)",
        Need::Own => "own (only the owner or an admin may do this)",
    }
}

impl LayoutsState {
    /// Lets `op` go ahead on `row` (a live layout) if `user` has `need`;
    /// otherwise answers not found / deleted / forbidden, auditing refusals
    /// of layouts that exist.
    pub(super) async fn authorize(
        &self,
        user: &User,
        id: &str,
        row: Option<LayoutRow>,
        need: Need,
        op: &str,
    ) -> Result<LayoutRow> {
        let Some(row) = row else {
            return Err(not_found(id));
        };
        let rights = effective(&row, user);
        if let Some(at) = row.deleted_at {
            if rights.is_some_and(|r| rank(r) >= Need::Own as i32) {
                return Err(LayoutsError::Deleted {
                    id: id.to_owned(),
                    at,
                    until: at + Duration::days(RESTORE_WINDOW_DAYS),
                });
            }
            // In someone else's bin: invisible.
            self.deny(user, id, op, "deleted").await;
            return Err(not_found(id));
        }
        match rights {
            None => {
                self.deny(user, id, op, "no_access").await;
                Err(not_found(id))
            }
            Some(r) if rank(r) < need as i32 => {
                let reason = if need == Need::Own {
                    "not_owner"
                } else {
                    "read_only"
                };
                self.deny(user, id, op, reason).await;
                Err(LayoutsError::Forbidden(format!(
                    "you may {} layout {id:?}; to {op} it you must {}",
                    match r {
                        Access::View => "only view",
                        _ => "edit but not own",
                    },
                    what_needs(need)
                )))
            }
            Some(_) => Ok(row),
        }
    }

    /// After a guarded write refused: works out why from the layout as it is now.
    pub(super) async fn refused(
        &self,
        user: &User,
        id: &str,
        need: Need,
        op: &str,
        base: Option<i64>,
    ) -> LayoutsError {
        let row = match self.store().layout(id, user.id).await {
            Ok(row) => row,
            Err(e) => return e,
        };
        match self.authorize(user, id, row, need, op).await {
            Err(e) => e,
            Ok(row) => match base {
                Some(base) if row.version != base => LayoutsError::Stale {
                    id: id.to_owned(),
                    base,
                    current: row.version,
                },
                _ => LayoutsError::Conflict(format!(
                    "layout {id:?} changed while this request ran; try again"
                )),
            },
        }
    }

    /// Records a refusal; a failure to record is logged, not reported to the caller.
    pub(super) async fn deny(&self, user: &User, id: &str, op: &str, reason: &str) {
        let record = AuditRecord {
            layout_id: Some(id),
            actor: actor(user),
            action: "denied",
            detail: serde_json::json!({"operation": op, "reason": reason}),
            at: now(),
        };
        if let Err(e) = self.store().record_audit(&record).await {
            tracing::warn!(error = %e, layout = id, "could not write the audit record of a refusal");
        }
    }
}

pub(super) fn not_found(id: &str) -> LayoutsError {
    LayoutsError::NotFound(format!("layout {id:?}"))
}
