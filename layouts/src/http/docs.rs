//! Descriptions of the answers many routes share, for their `#[utoipa::path]`s.

pub(super) use tessera_accounts::http::docs::{ADMINS_ONLY, BAD_JSON, UNAUTHORIZED};
pub(super) const VIEW_ONLY: &str = "You may only view this layout";
pub(super) const OWNER_ONLY: &str = "Only its owner (or an admin) may do this";
pub(super) const NOT_FOUND: &str = "No such layout, or not visible to you";
pub(super) const VERSION_NOT_FOUND: &str = "No such layout or version, or not visible to you";
pub(super) const STALE: &str = "`stale_version`: `base_version` is not the current version (`current_version`); nothing was written. Or `conflict`: a concurrent change; try again";
pub(super) const IN_THE_BIN: &str = "In the bin (owner and admins; others get 404)";
pub(super) const TOO_LARGE: &str = "The body is larger than 2 MiB";
pub(super) const BAD_DOCUMENT: &str =
    "A field or document rule broken; `field` names it (a JSON path for the document)";
pub(super) const BAD_QUERY: &str = "A query parameter is wrong; `field` names it";
