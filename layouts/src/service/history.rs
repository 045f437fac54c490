//! History: every version kept with author, time and message; read any of
//! them, compare two, and restore one (which writes a new version).

use super::access::Need;
use super::{check_base_version, check_message, stored_document, LayoutsState};
use crate::api::{LayoutVersion, RestoreVersion, Saved, VersionDiff, VersionList};
use crate::error::{LayoutsError, Result};
use crate::store::User;

/// Longest page of versions.
pub const MAX_VERSIONS_PAGE: i64 = 500;

impl LayoutsState {
    async fn viewable(&self, user: &User, id: &str, op: &str) -> Result<crate::store::LayoutRow> {
        let row = self.store().layout(id, user.id).await?;
        self.authorize(user, id, row, Need::View, op).await
    }

    /// Versions below `before` (all when `None`), newest first, at most `limit`.
    pub async fn versions(
        &self,
        user: &User,
        id: &str,
        before: Option<i64>,
        limit: Option<i64>,
    ) -> Result<VersionList> {
        self.viewable(user, id, "read history").await?;
        let limit = limit.unwrap_or(100);
        if !(1..=MAX_VERSIONS_PAGE).contains(&limit) {
            return Err(LayoutsError::field(
                "limit",
                format!("must be from 1 to {MAX_VERSIONS_PAGE}"),
            ));
        }
        Ok(VersionList {
            versions: self
                .store()
                .versions(id, before.unwrap_or(i64::MAX), limit)
                .await?,
        })
    }

    /// One version with its document.
    pub async fn version(&self, user: &User, id: &str, version: i64) -> Result<LayoutVersion> {
        self.viewable(user, id, "read history").await?;
        self.stored_version(id, version).await
    }

    async fn stored_version(&self, id: &str, version: i64) -> Result<LayoutVersion> {
        let (info, json) =
            self.store().version(id, version).await?.ok_or_else(|| {
                LayoutsError::NotFound(format!("version {version} of layout {id:?}"))
            })?;
        Ok(LayoutVersion {
            info,
            layout: id.to_owned(),
            document: stored_document(id, &json)?,
        })
    }

    /// What changed from version `from` to version `to`.
    pub async fn diff(&self, user: &User, id: &str, from: i64, to: i64) -> Result<VersionDiff> {
        self.viewable(user, id, "read history").await?;
        let old = self.stored_version(id, from).await?;
        let new = self.stored_version(id, to).await?;
        Ok(VersionDiff {
            layout: id.to_owned(),
            from,
            to,
            diff: crate::diff::diff(&old.document, &new.document),
        })
    }

    /// Writes version `version`'s document as a new version (if `base_version` is current).
    pub async fn restore_version(
        &self,
        user: &User,
        id: &str,
        version: i64,
        req: RestoreVersion,
    ) -> Result<Saved> {
        check_base_version(req.base_version)?;
        let message = check_message(req.message.as_deref())?;
        let row = self.store().layout(id, user.id).await?;
        self.authorize(user, id, row, Need::Edit, "restore a version")
            .await?;
        let old = self.stored_version(id, version).await?;
        let message = message.unwrap_or_else(|| format!("restored version {version}"));
        self.write_version(
            user,
            id,
            req.base_version,
            &old.document,
            Some(&message),
            "restore a version",
        )
        .await
    }
}
