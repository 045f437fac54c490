//! The layout document: a docking tree in golden-layout's vocabulary (`row`,
//! `column`, `stack`, `widget`), plus panels floating over it or popped out
//! into their own windows, and the schema version.

use serde::{Deserialize, Serialize};

/// The document schema this crate reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole layout, as stored and exchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LayoutDocument {
    /// The document schema: 1.
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 1))]
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
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Container {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// At least one child.
    #[cfg_attr(feature = "server", schema(min_items = 1))]
    pub content: Vec<Node>,
}

/// Tabs: several panels, one visible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Stack {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Index of the visible tab.
    #[serde(default)]
    pub active: usize,
    /// At least one panel.
    #[cfg_attr(feature = "server", schema(min_items = 1))]
    pub content: Vec<Node>,
}

/// A widget instance in a panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Panel {
    /// Unique within the document.
    #[cfg_attr(feature = "server", schema(min_length = 1))]
    pub id: String,
    /// Registry id of the widget, `<publisher>.<name>`.
    #[cfg_attr(feature = "server", schema(min_length = 1))]
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
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
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

/// `Node`'s OpenAPI schema, written by hand: utoipa would describe each
/// variant as `allOf` the struct (which, with `deny_unknown_fields`, allows
/// no other property) and the `type` tag, which no document could satisfy.
/// Here each variant is the struct's own schema with `type` added.
#[cfg(feature = "server")]
mod schema {
    use std::borrow::Cow;

    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
    use utoipa::openapi::RefOr;
    use utoipa::{PartialSchema, ToSchema};

    use super::{Container, Node, Panel, Stack};

    /// `T`'s object schema with the tag `"type": tag`, as serde writes the variant.
    fn tagged<T: PartialSchema>(tag: &str) -> Schema {
        let RefOr::T(Schema::Object(mut object)) = T::schema() else {
            unreachable!("the variants' structs have object schemas")
        };
        object.properties.insert(
            "type".to_owned(),
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([tag]))
                .into(),
        );
        object.required.insert(0, "type".to_owned());
        Schema::Object(object)
    }

    impl PartialSchema for Node {
        fn schema() -> RefOr<Schema> {
            OneOfBuilder::new()
                .description(Some(
                    "One node of the docking tree, by `type`: `row` (children side by side), `column` (children stacked vertically), `stack` (tabs) or `widget` (a panel).",
                ))
                .item(tagged::<Container>("row"))
                .item(tagged::<Container>("column"))
                .item(tagged::<Stack>("stack"))
                .item(tagged::<Panel>("widget"))
                .into()
        }
    }

    impl ToSchema for Node {
        fn name() -> Cow<'static, str> {
            "Node".into()
        }

        // The variants are inline; they name only `Node` itself (their children).
        fn schemas(_: &mut Vec<(String, RefOr<Schema>)>) {}
    }
}
