//! A hit: one load of the pixel.

use serde::Serialize;

/// The longest page name kept (`page=`).
pub const MAX_PAGE: usize = 512;
/// The longest referrer kept.
pub const MAX_REFERRER: usize = 2048;
/// The longest user agent kept (a longer one is cut, not refused: it is
/// the browser's, not the page author's).
pub const MAX_USER_AGENT: usize = 512;
/// The longest user name kept.
pub const MAX_USER: usize = 200;

/// A hit on its way to storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHit {
    /// Unix time in milliseconds.
    pub at: i64,
    pub page: String,
    pub referrer: Option<String>,
    pub user_agent: Option<String>,
    pub user: Option<String>,
}

/// A stored hit, as the live feed sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Hit {
    pub id: i64,
    pub at: i64,
    pub page: String,
    pub referrer: Option<String>,
    pub user_agent: Option<String>,
    #[sqlx(rename = "user_name")]
    pub user: Option<String>,
}

/// Why a value cannot be stored as given.
pub fn problem(value: &str, max: usize) -> Option<String> {
    if value.chars().count() > max {
        return Some(format!("longer than {max} characters"));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Some(format!("holds the control character U+{:04X}", c as u32));
    }
    None
}

/// A header's value cut to `max` characters, or none when it holds control
/// characters (which no header a browser sends does).
pub fn header_text(value: &str, max: usize) -> Option<String> {
    if value.is_empty() || value.chars().any(char::is_control) {
        return None;
    }
    Some(value.chars().take(max).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_length_are_problems() {
        assert_eq!(problem("home", 10), None);
        assert_eq!(
            problem("a\u{0}b", 10).as_deref(),
            Some("holds the control character U+0000")
        );
        assert_eq!(
            problem("abcdef", 5).as_deref(),
            Some("longer than 5 characters")
        );
        // Characters, not bytes.
        assert_eq!(problem("ééééé", 5), None);
    }

    #[test]
    fn headers_are_cut_not_refused() {
        assert_eq!(header_text("Mozilla/5.0", 4).as_deref(), Some("Mozi"));
        assert_eq!(header_text("", 4), None);
        assert_eq!(header_text("a\tb", 4), None);
    }
}
