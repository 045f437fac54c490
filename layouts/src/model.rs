//! The layout document: a docking tree in golden-layout's vocabulary (`row`,
//! `column`, `stack`, `widget`), plus panels floating over it or popped out
//! into their own windows, and the schema version.

use serde::{Deserialize, Serialize};

/// The document schema this crate reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole layout, as stored and exchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutDocument {
    pub schema: u32,
    #[serde(default)]
    pub title: String,
    pub root: Node,
    #[serde(default)]
    pub floating: Vec<DetachedPanel>,
    #[serde(default)]
    pub popouts: Vec<DetachedPanel>,
}

/// One node of the docking tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Node {
    Row(Container),
    Column(Container),
    Stack(Stack),
    Widget(Panel),
}

/// A row (children side by side) or a column (children stacked vertically).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Container {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    pub content: Vec<Node>,
}

/// Tabs: several panels, one visible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stack {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Index of the visible tab.
    #[serde(default)]
    pub active: usize,
    pub content: Vec<Node>,
}

/// A widget instance in a panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    /// Unique within the document.
    pub id: String,
    /// Registry id of the widget, `<publisher>.<name>`.
    pub widget: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// JSON the widget may persist.
    #[serde(default)]
    pub state: serde_json::Value,
    /// Colour channel the panel is linked on, if any.
    #[serde(default)]
    pub channel: Option<String>,
}

/// A panel outside the docking tree: floating over it, or in its own window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetachedPanel {
    pub panel: Panel,
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

impl LayoutDocument {
    /// Every panel: in the tree (depth first), then floating, then popped out.
    pub fn panels(&self) -> impl Iterator<Item = &Panel> {
        let mut out = Vec::new();
        collect(&self.root, &mut out);
        out.extend(self.floating.iter().map(|d| &d.panel));
        out.extend(self.popouts.iter().map(|d| &d.panel));
        out.into_iter()
    }
}

fn collect<'a>(node: &'a Node, out: &mut Vec<&'a Panel>) {
    match node {
        Node::Row(c) | Node::Column(c) => c.content.iter().for_each(|n| collect(n, out)),
        Node::Stack(s) => s.content.iter().for_each(|n| collect(n, out)),
        Node::Widget(p) => out.push(p),
    }
}
