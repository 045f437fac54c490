//! The user channels every panel can join: FDC3's six colour channels.

use serde::Serialize;

/// FDC3 `DisplayMetadata` of a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisplayMetadata {
    pub name: &'static str,
    pub color: &'static str,
    pub glyph: &'static str,
}

/// FDC3 `Channel` as the SDK describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelInfo {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_metadata: Option<DisplayMetadata>,
}

/// The six default colour channels, in the order the UI shows them.
pub const USER_CHANNELS: [(&str, DisplayMetadata); 6] = [
    (
        "red",
        DisplayMetadata {
            name: "Red",
            color: "#ef4444",
            glyph: "1",
        },
    ),
    (
        "orange",
        DisplayMetadata {
            name: "Orange",
            color: "#f97316",
            glyph: "2",
        },
    ),
    (
        "yellow",
        DisplayMetadata {
            name: "Yellow",
            color: "#eab308",
            glyph: "3",
        },
    ),
    (
        "green",
        DisplayMetadata {
            name: "Green",
            color: "#22c55e",
            glyph: "4",
        },
    ),
    (
        "blue",
        DisplayMetadata {
            name: "Blue",
            color: "#3b82f6",
            glyph: "5",
        },
    ),
    (
        "purple",
        DisplayMetadata {
            name: "Purple",
            color: "#a855f7",
            glyph: "6",
        },
    ),
];

pub fn is_user_channel(id: &str) -> bool {
    USER_CHANNELS.iter().any(|(c, _)| *c == id)
}

pub fn user_channel(id: &str) -> Option<ChannelInfo> {
    USER_CHANNELS
        .iter()
        .find(|(c, _)| *c == id)
        .map(|(c, m)| ChannelInfo {
            id: (*c).to_owned(),
            kind: "user",
            display_metadata: Some(m.clone()),
        })
}

pub fn user_channels() -> Vec<ChannelInfo> {
    USER_CHANNELS
        .iter()
        .filter_map(|(c, _)| user_channel(c))
        .collect()
}

pub fn app_channel(id: &str) -> ChannelInfo {
    ChannelInfo {
        id: id.to_owned(),
        kind: "app",
        display_metadata: None,
    }
}
