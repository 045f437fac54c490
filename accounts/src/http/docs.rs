//! Descriptions of the answers many routes share, for their `#[utoipa::path]`s
//! (the layouts' routes use these too).

pub const BAD_JSON: &str = "The body is not the JSON expected";
pub const UNAUTHORIZED: &str = "No user token, or not a known one";
pub const ADMINS_ONLY: &str = "Admins only";
pub(super) const TOO_LARGE: &str = "The body is larger than 2 MiB";
