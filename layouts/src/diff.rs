//! What changed between two versions of a layout, panel by panel (panels are
//! matched by id): added, removed, moved (its parent or its position among
//! its siblings changed), retitled, relinked (colour channel) and restated
//! (the widget's persisted state).
//!
//! ```
//! let old = tessera_layouts::demo_layout();
//! let mut new = old.clone();
//! new.title = "Renamed".into();
//! let d = tessera_layouts::diff(&old, &new);
//! assert_eq!(d.title.unwrap().to, "Renamed");
//! assert!(d.added.is_empty() && d.moved.is_empty());
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{LayoutDocument, Node, Panel};

/// Where a panel sits: its parent's JSON path (`$.root.content[1]`, or
/// `$.floating` / `$.popouts` for detached panels) and its index there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Place {
    pub parent: String,
    pub index: usize,
}

/// A panel as the diff names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PanelRef {
    pub id: String,
    pub widget: String,
    pub title: String,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Moved {
    pub id: String,
    pub from: Place,
    pub to: Place,
}

/// A field of one panel that changed from one value to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Changed<T> {
    pub id: String,
    pub from: T,
    pub to: T,
}

/// The difference between two documents, each list in the order of the newer
/// document (removed: of the older one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LayoutDiff {
    pub added: Vec<PanelRef>,
    pub removed: Vec<PanelRef>,
    pub moved: Vec<Moved>,
    pub retitled: Vec<Changed<String>>,
    pub relinked: Vec<Changed<Option<String>>>,
    /// Ids of panels whose widget state changed.
    pub restated: Vec<String>,
    /// The document title, when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Changed<String>>,
}

impl LayoutDiff {
    /// True when no panel changed (sizes and tab order of unchanged panels aside).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.moved.is_empty()
            && self.retitled.is_empty()
            && self.relinked.is_empty()
            && self.restated.is_empty()
            && self.title.is_none()
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &LayoutDocument, new: &LayoutDocument) -> LayoutDiff {
    let before = placed(old);
    let after = placed(new);
    let by_id: BTreeMap<&str, &(Place, &Panel)> =
        before.iter().map(|p| (p.1.id.as_str(), p)).collect();
    let now: BTreeMap<&str, ()> = after.iter().map(|p| (p.1.id.as_str(), ())).collect();
    let mut d = LayoutDiff::default();
    for (place, panel) in &after {
        let Some((old_place, old_panel)) = by_id.get(panel.id.as_str()) else {
            d.added.push(panel_ref(place, panel));
            continue;
        };
        if old_place != place {
            d.moved.push(Moved {
                id: panel.id.clone(),
                from: old_place.clone(),
                to: place.clone(),
            });
        }
        if old_panel.title != panel.title {
            d.retitled.push(Changed {
                id: panel.id.clone(),
                from: old_panel.title.clone(),
                to: panel.title.clone(),
            });
        }
        if old_panel.channel != panel.channel {
            d.relinked.push(Changed {
                id: panel.id.clone(),
                from: old_panel.channel.clone(),
                to: panel.channel.clone(),
            });
        }
        if old_panel.state != panel.state {
            d.restated.push(panel.id.clone());
        }
    }
    for (place, panel) in &before {
        if !now.contains_key(panel.id.as_str()) {
            d.removed.push(panel_ref(place, panel));
        }
    }
    if old.title != new.title {
        d.title = Some(Changed {
            id: String::new(),
            from: old.title.clone(),
            to: new.title.clone(),
        });
    }
    d
}

fn panel_ref(place: &Place, p: &Panel) -> PanelRef {
    PanelRef {
        id: p.id.clone(),
        widget: p.widget.clone(),
        title: p.title.clone(),
        place: place.clone(),
    }
}

fn placed(doc: &LayoutDocument) -> Vec<(Place, &Panel)> {
    let mut out = Vec::new();
    match &doc.root {
        Node::Widget(p) => out.push((
            Place {
                parent: "$".into(),
                index: 0,
            },
            p,
        )),
        node => walk("$.root", node, &mut out),
    }
    for (key, list) in [("$.floating", &doc.floating), ("$.popouts", &doc.popouts)] {
        for (index, d) in list.iter().enumerate() {
            out.push((
                Place {
                    parent: key.into(),
                    index,
                },
                &d.panel,
            ));
        }
    }
    out
}

fn walk<'a>(path: &str, node: &'a Node, out: &mut Vec<(Place, &'a Panel)>) {
    let content = match node {
        Node::Row(c) | Node::Column(c) => &c.content,
        Node::Stack(s) => &s.content,
        Node::Widget(_) => return,
    };
    for (index, child) in content.iter().enumerate() {
        match child {
            Node::Widget(p) => out.push((
                Place {
                    parent: path.to_owned(),
                    index,
                },
                p,
            )),
            other => walk(&format!("{path}.content[{index}]"), other, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: serde_json::Value) -> LayoutDocument {
        serde_json::from_value(v).unwrap()
    }

    fn w(id: &str, title: &str) -> serde_json::Value {
        json!({"type": "widget", "id": id, "widget": "acme.x", "title": title})
    }

    #[test]
    fn names_added_removed_moved_and_retitled_panels() {
        let old = doc(json!({"schema": 1, "root": {"type": "row", "content": [
            {"type": "stack", "content": [w("a", "A"), w("b", "B")]},
            {"type": "stack", "content": [w("c", "C")]}]}}));
        let new = doc(json!({"schema": 1, "root": {"type": "row", "content": [
            {"type": "stack", "content": [w("a", "A2")]},
            {"type": "stack", "content": [w("c", "C"), w("b", "B"), w("d", "D")]}]}}));
        let d = diff(&old, &new);
        assert_eq!(
            d.added.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
            ["d"]
        );
        assert!(d.removed.is_empty(), "b moved, it was not removed");
        assert_eq!(d.moved.len(), 1);
        assert_eq!(d.moved[0].id, "b");
        assert_eq!(d.moved[0].from.parent, "$.root.content[0]");
        assert_eq!(
            d.moved[0].to,
            Place {
                parent: "$.root.content[1]".into(),
                index: 1
            }
        );
        assert_eq!(
            d.retitled,
            [Changed {
                id: "a".into(),
                from: "A".into(),
                to: "A2".into()
            }]
        );

        let back = diff(&new, &old);
        assert_eq!(
            back.removed
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            ["d"]
        );
        assert!(
            diff(&old, &old).is_empty(),
            "a document does not differ from itself"
        );
    }
}
