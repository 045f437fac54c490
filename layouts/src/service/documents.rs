//! Layouts as documents: create, import, read, list, save, rename, clone,
//! export, delete to the bin, restore from it, and purge the bin.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};

use super::access::{not_found, summary, Need};
use super::{
    actor, check_base_version, check_message, check_title, now, stored_document, stored_json,
    widget_list, LayoutsState, MAX_TITLE_CHARS, RESTORE_WINDOW_DAYS,
};
use crate::api::{
    CloneLayout, CreateLayout, ImportGoldenLayout, Layout, LayoutList, LayoutSummary, RenameLayout,
    SaveLayout, Saved,
};
use crate::error::{LayoutsError, Result};
use crate::model::{LayoutDocument, Node};
use crate::store::{AuditRecord, LayoutStore, ListQuery, NewLayout, NewVersion, Scope, User};

/// A layout as read for a client: the document stays the stored JSON text.
#[derive(Debug, Clone)]
pub struct LoadedLayout {
    pub summary: LayoutSummary,
    /// Compact JSON of the document.
    pub document: String,
    pub source_version: Option<i64>,
    pub source_has_newer_versions: bool,
}

impl LoadedLayout {
    /// The typed form (parses the document).
    pub fn into_layout(self) -> Result<Layout> {
        let document = stored_document(&self.summary.id, &self.document)?;
        Ok(Layout {
            summary: self.summary,
            document,
            source_version: self.source_version,
            source_has_newer_versions: self.source_has_newer_versions,
        })
    }
}

/// `GET /v1/layouts` parameters.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `all` (default), `mine`, `shared`, `organisation`, `deleted` (your bin;
    /// every bin for admins) or `everything` (admins).
    #[param(pattern = "^(all|mine|shared|organisation|deleted|everything)$")]
    pub scope: Option<String>,
    /// Case-insensitive part of the title.
    pub q: Option<String>,
    /// A widget id the layout uses.
    pub widget: Option<String>,
    /// 1 to 200; 50 by default.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

const DEFAULT_PAGE: i64 = 50;
const MAX_PAGE: i64 = 200;

/// `LIKE` pattern matching `s` literally (with `ESCAPE '\'`).
fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn encode_cursor(at: DateTime<Utc>, id: &str) -> String {
    let raw = format!(
        "{}|{id}",
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    );
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

fn decode_cursor(cursor: &str) -> Result<(DateTime<Utc>, String)> {
    let bad = || {
        LayoutsError::field(
            "cursor",
            "is not a cursor this server gave out; start again without it",
        )
    };
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let (at, id) = raw.split_once('|').ok_or_else(bad)?;
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|_| bad())?
        .with_timezone(&Utc);
    Ok((at, id.to_owned()))
}

/// Removes layouts that have been in the bin longer than the restore window
/// (with their history and shares), recording each in the audit log. Call it
/// periodically (hourly is plenty); returns the purged ids.
pub async fn purge_expired(store: &dyn LayoutStore, now: DateTime<Utc>) -> Result<Vec<String>> {
    let ids = store
        .purge_deleted(now - Duration::days(RESTORE_WINDOW_DAYS), now)
        .await?;
    if !ids.is_empty() {
        tracing::info!(
            count = ids.len(),
            "purged layouts deleted more than {RESTORE_WINDOW_DAYS} days ago"
        );
    }
    Ok(ids)
}

/// Gives every panel a new id (clones must not share panel ids with their source).
fn fresh_panel_ids(doc: &mut LayoutDocument) {
    fn walk(node: &mut Node) {
        match node {
            Node::Row(c) | Node::Column(c) => c.content.iter_mut().for_each(walk),
            Node::Stack(s) => s.content.iter_mut().for_each(walk),
            Node::Widget(p) => p.id = crate::ids::new_panel_id(),
        }
    }
    walk(&mut doc.root);
    for d in doc.floating.iter_mut().chain(doc.popouts.iter_mut()) {
        d.panel.id = crate::ids::new_panel_id();
    }
}

impl LayoutsState {
    /// Stores a new layout owned by `user` (private, version 1).
    pub async fn create(&self, user: &User, req: CreateLayout) -> Result<Layout> {
        let mut doc = crate::parse::read_document(&req.document)?;
        doc.validate()?;
        doc.title = match &req.title {
            Some(t) => check_title("title", t)?,
            None => check_title("$.title", &doc.title)?,
        };
        self.insert(user, doc, None, Some("created")).await
    }

    /// Converts a golden-layout config and stores it like [`Self::create`].
    pub async fn import_golden_layout(
        &self,
        user: &User,
        req: ImportGoldenLayout,
    ) -> Result<Layout> {
        let title = check_title("title", &req.title)?;
        let doc = crate::golden::import_golden_layout(&req.config, &title).map_err(|e| {
            LayoutsError::field(
                &format!("config{}", e.path.trim_start_matches('$')),
                format!("golden-layout config: {}", e.message),
            )
        })?;
        self.insert(user, doc, None, Some("imported from golden-layout"))
            .await
    }

    async fn insert(
        &self,
        user: &User,
        doc: LayoutDocument,
        cloned_from: Option<(&str, i64)>,
        message: Option<&str>,
    ) -> Result<Layout> {
        let id = crate::ids::new_layout_id();
        let json = stored_json(&doc)?;
        self.store()
            .insert_layout(&NewLayout {
                id: &id,
                owner_id: user.id,
                title: &doc.title,
                document: &json,
                widgets: &widget_list(&doc),
                cloned_from,
                message,
                now: now(),
            })
            .await?;
        tracing::info!(layout = %id, owner = %user.name, "layout created");
        self.get(user, &id).await?.into_layout()
    }

    /// The current version, for anyone who may view it.
    pub async fn get(&self, user: &User, id: &str) -> Result<LoadedLayout> {
        let found = self.store().layout_with_document(id, user.id).await?;
        let (row, document) = match found {
            Some(f) => (Some(f.row), f.document),
            None => (None, String::new()),
        };
        let row = self.authorize(user, id, row, Need::View, "read").await?;
        let (mut source_version, mut newer) = (None, false);
        if let (Some(src), Some(cloned)) = (&row.cloned_from_id, row.cloned_from_version) {
            if let Some(s) = self.store().layout(src, user.id).await? {
                if s.deleted_at.is_none() && super::access::effective(&s, user).is_some() {
                    source_version = Some(s.version);
                    newer = s.version > cloned;
                }
            }
        }
        Ok(LoadedLayout {
            summary: summary(&row, user),
            document,
            source_version,
            source_has_newer_versions: newer,
        })
    }

    /// A page of the layouts `user` may see, most recently saved first.
    pub async fn list(&self, user: &User, p: &ListParams) -> Result<LayoutList> {
        let scope = match p.scope.as_deref().unwrap_or("all") {
            "all" => Scope::All,
            "mine" => Scope::Mine,
            "shared" => Scope::Shared,
            "organisation" => Scope::Organisation,
            "deleted" if user.admin => Scope::DeletedAll,
            "deleted" => Scope::Deleted,
            "everything" if user.admin => Scope::Any,
            "everything" => {
                return Err(LayoutsError::Forbidden(
                    "scope=everything is for admins; use all, mine, shared or organisation".into(),
                ))
            }
            other => {
                return Err(LayoutsError::field(
                    "scope",
                    format!(
                    "{other:?} is not one of all, mine, shared, organisation, deleted, everything"
                ),
                ))
            }
        };
        let limit = p.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(LayoutsError::field(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let query = ListQuery {
            scope,
            title_like: p
                .q
                .as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(|q| format!("%{}%", like_escape(&q.to_lowercase()))),
            widgets_like: p
                .widget
                .as_deref()
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(|w| format!("%|{}|%", like_escape(w))),
            after: p.cursor.as_deref().map(decode_cursor).transpose()?,
            limit: limit + 1,
        };
        let mut rows = self.store().list(&query, user).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = more
            .then(|| rows.last().map(|r| encode_cursor(r.updated_at, &r.id)))
            .flatten();
        Ok(LayoutList {
            layouts: rows.iter().map(|r| summary(r, user)).collect(),
            next_cursor,
        })
    }

    /// Saves a new version if `base_version` is still current (409 otherwise, nothing written).
    pub async fn save(&self, user: &User, id: &str, req: SaveLayout) -> Result<Saved> {
        let doc = crate::parse::read_document(&req.document)?;
        self.save_document(user, id, req.base_version, doc, req.message.as_deref())
            .await
    }

    /// [`Self::save`] for a document already read (not yet validated).
    pub async fn save_document(
        &self,
        user: &User,
        id: &str,
        base_version: i64,
        mut doc: LayoutDocument,
        message: Option<&str>,
    ) -> Result<Saved> {
        check_base_version(base_version)?;
        let message = check_message(message)?;
        doc.validate()?;
        doc.title = check_title("$.title", &doc.title)?;
        self.write_version(user, id, base_version, &doc, message.as_deref(), "save")
            .await
    }

    /// Writes `doc` as the version after `base`, guarded in SQL.
    pub(super) async fn write_version(
        &self,
        user: &User,
        id: &str,
        base: i64,
        doc: &LayoutDocument,
        message: Option<&str>,
        op: &str,
    ) -> Result<Saved> {
        let json = stored_json(doc)?;
        let at = now();
        let saved = self
            .store()
            .save(
                &NewVersion {
                    id,
                    base_version: base,
                    title: &doc.title,
                    document: &json,
                    widgets: &widget_list(doc),
                    message,
                    now: at,
                },
                user,
            )
            .await?;
        match saved {
            Some(version) => {
                self.hub().poke(id);
                tracing::debug!(layout = id, version, "layout saved");
                Ok(Saved {
                    id: id.to_owned(),
                    version,
                    updated_at: at,
                })
            }
            None => Err(self.refused(user, id, Need::Edit, op, Some(base)).await),
        }
    }

    /// A new version with another title.
    pub async fn rename(&self, user: &User, id: &str, req: RenameLayout) -> Result<Saved> {
        check_base_version(req.base_version)?;
        let title = check_title("title", &req.title)?;
        let found = self.store().layout_with_document(id, user.id).await?;
        let (row, json) = match found {
            Some(f) => (Some(f.row), f.document),
            None => (None, String::new()),
        };
        let row = self.authorize(user, id, row, Need::Edit, "rename").await?;
        if row.version != req.base_version {
            return Err(LayoutsError::Stale {
                id: id.to_owned(),
                base: req.base_version,
                current: row.version,
            });
        }
        let mut doc = stored_document(id, &json)?;
        let message = format!("renamed from {:?} to {title:?}", doc.title);
        doc.title = title;
        self.write_version(user, id, req.base_version, &doc, Some(&message), "rename")
            .await
    }

    /// A private copy owned by `user`, with fresh panel ids, remembering its source.
    pub async fn clone_layout(&self, user: &User, id: &str, req: CloneLayout) -> Result<Layout> {
        let found = self.store().layout_with_document(id, user.id).await?;
        let (row, json) = match found {
            Some(f) => (Some(f.row), f.document),
            None => (None, String::new()),
        };
        let row = self.authorize(user, id, row, Need::View, "clone").await?;
        let mut doc = stored_document(id, &json)?;
        doc.title = match &req.title {
            Some(t) => check_title("title", t)?,
            None => format!("Copy of {}", row.title)
                .chars()
                .take(MAX_TITLE_CHARS)
                .collect(),
        };
        fresh_panel_ids(&mut doc);
        let message = format!("cloned from “{}” version {} ({id})", row.title, row.version);
        self.insert(user, doc, Some((id, row.version)), Some(&message))
            .await
    }

    /// The current version as a golden-layout 2.6 config.
    pub async fn export_golden_layout(&self, user: &User, id: &str) -> Result<serde_json::Value> {
        let loaded = self.get(user, id).await?;
        let doc = stored_document(id, &loaded.document)?;
        Ok(crate::golden::export_golden_layout(&doc))
    }

    /// Moves the layout to the bin; others stop seeing it at once.
    pub async fn delete(&self, user: &User, id: &str) -> Result<()> {
        let row = self.store().layout(id, user.id).await?;
        let row = self.authorize(user, id, row, Need::Own, "delete").await?;
        let at = now();
        let record = AuditRecord {
            layout_id: Some(id),
            actor: actor(user),
            action: "deleted",
            detail: serde_json::json!({
                "title": row.title,
                "version": row.version,
                "restorable_until": at + Duration::days(RESTORE_WINDOW_DAYS),
            }),
            at,
        };
        if !self.store().soft_delete(id, user, &record).await? {
            return Err(self.refused(user, id, Need::Own, "delete", None).await);
        }
        self.hub().poke(id);
        tracing::info!(layout = id, by = %user.name, "layout moved to the bin");
        Ok(())
    }

    /// Takes a layout out of the bin (owner or admin, within the restore window).
    pub async fn restore_deleted(&self, user: &User, id: &str) -> Result<LayoutSummary> {
        let Some(row) = self.store().layout(id, user.id).await? else {
            return Err(not_found(id));
        };
        let owns = row.access == 3 || user.admin;
        let Some(deleted_at) = row.deleted_at else {
            if !owns {
                // Live but not theirs: the usual answer (404 if invisible, 403 if not owner).
                self.authorize(user, id, Some(row), Need::Own, "restore")
                    .await?;
            }
            return Err(LayoutsError::Conflict(format!(
                "layout {id:?} is not in the bin"
            )));
        };
        if !owns {
            self.deny(user, id, "restore", "deleted").await;
            return Err(not_found(id));
        }
        let at = now();
        let since = at - Duration::days(RESTORE_WINDOW_DAYS);
        if deleted_at < since {
            return Err(LayoutsError::NotFound(format!(
                "layout {id:?} (deleted more than {RESTORE_WINDOW_DAYS} days ago)"
            )));
        }
        let record = AuditRecord {
            layout_id: Some(id),
            actor: super::actor(user),
            action: "restored",
            detail: serde_json::json!({"title": row.title, "deleted_at": deleted_at}),
            at,
        };
        if !self.store().restore(id, user, since, &record).await? {
            return Err(self.refused(user, id, Need::Own, "restore", None).await);
        }
        self.hub().poke(id);
        let row = self
            .store()
            .layout(id, user.id)
            .await?
            .ok_or_else(|| not_found(id))?;
        Ok(summary(&row, user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        let at = super::super::now();
        let c = encode_cursor(at, "lay_x");
        assert_eq!(decode_cursor(&c).unwrap(), (at, "lay_x".to_owned()));
        assert!(
            matches!(decode_cursor("nonsense!"), Err(LayoutsError::Invalid(e)) if e.path == "cursor")
        );
    }

    #[test]
    fn like_patterns_match_literally() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
