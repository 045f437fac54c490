//! Rules every stored layout document keeps; each violation names its JSON path.

use std::collections::HashSet;

use crate::model::{LayoutDocument, Node, Panel, SCHEMA_VERSION};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ValidationError {
    /// JSON path of the offending value, e.g. `$.root.content[1].size`.
    pub path: String,
    pub message: String,
}

/// How big a document may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Levels of nesting in the docking tree (the root is level 1).
    pub max_depth: usize,
    /// Panels in the tree, floating and popped out, together.
    pub max_panels: usize,
    /// Bytes of the document as compact JSON (checked by [`crate::parse_document`]).
    pub max_bytes: usize,
}

/// The largest stored document: 1 MiB of compact JSON.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 32,
            max_panels: 500,
            max_bytes: MAX_DOCUMENT_BYTES,
        }
    }
}

fn err(path: &str, message: impl Into<String>) -> ValidationError {
    ValidationError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// "30%" → 30.0
fn parse_percent(path: &str, size: &str) -> Result<f64, ValidationError> {
    let bad = || {
        err(
            path,
            format!("{size:?} is not a percentage such as \"30%\""),
        )
    };
    let n: f64 = size
        .strip_suffix('%')
        .ok_or_else(bad)?
        .trim()
        .parse()
        .map_err(|_| bad())?;
    if !(n > 0.0 && n <= 100.0) {
        return Err(err(
            path,
            format!("{size:?} must be more than 0% and at most 100%"),
        ));
    }
    Ok(n)
}

struct Walk<'a> {
    limits: Limits,
    ids: HashSet<&'a str>,
    panels: usize,
}

impl<'a> Walk<'a> {
    fn panel(&mut self, path: &str, p: &'a Panel) -> Result<(), ValidationError> {
        if p.id.is_empty() {
            return Err(err(&format!("{path}.id"), "is empty"));
        }
        if !self.ids.insert(&p.id) {
            return Err(err(
                &format!("{path}.id"),
                format!("panel id {:?} is used twice", p.id),
            ));
        }
        if p.widget.is_empty() {
            return Err(err(&format!("{path}.widget"), "is empty"));
        }
        self.panels += 1;
        if self.panels > self.limits.max_panels {
            return Err(err(
                path,
                format!("more than {} panels", self.limits.max_panels),
            ));
        }
        Ok(())
    }

    fn children(
        &mut self,
        path: &str,
        content: &'a [Node],
        depth: usize,
    ) -> Result<(), ValidationError> {
        let mut total = 0.0;
        let mut sized = 0;
        for (i, child) in content.iter().enumerate() {
            let cpath = format!("{path}.content[{i}]");
            if let Some(size) = size_of(child) {
                total += parse_percent(&format!("{cpath}.size"), size)?;
                sized += 1;
            }
            self.node(&cpath, child, depth + 1)?;
        }
        if sized == content.len() && sized > 0 && (total - 100.0).abs() > 0.5 {
            return Err(err(
                &format!("{path}.content"),
                format!("sizes add up to {total}%, not 100%"),
            ));
        }
        if sized < content.len() && total >= 100.0 {
            return Err(err(
                &format!("{path}.content"),
                format!("sized children take {total}%, leaving nothing for the rest"),
            ));
        }
        Ok(())
    }

    fn node(&mut self, path: &str, node: &'a Node, depth: usize) -> Result<(), ValidationError> {
        if depth > self.limits.max_depth {
            return Err(err(
                path,
                format!("nested deeper than {} levels", self.limits.max_depth),
            ));
        }
        match node {
            Node::Row(c) | Node::Column(c) => {
                if c.content.is_empty() {
                    return Err(err(
                        &format!("{path}.content"),
                        "a row or column needs at least one child",
                    ));
                }
                self.children(path, &c.content, depth)
            }
            Node::Stack(s) => {
                if s.content.is_empty() {
                    return Err(err(
                        &format!("{path}.content"),
                        "a stack needs at least one panel",
                    ));
                }
                if s.active >= s.content.len() {
                    return Err(err(
                        &format!("{path}.active"),
                        format!("tab {} does not exist ({} tabs)", s.active, s.content.len()),
                    ));
                }
                for (i, child) in s.content.iter().enumerate() {
                    let cpath = format!("{path}.content[{i}]");
                    match child {
                        Node::Widget(p) => self.panel(&cpath, p)?,
                        _ => {
                            return Err(err(
                                &format!("{cpath}.type"),
                                "a stack holds only widget panels",
                            ))
                        }
                    }
                }
                Ok(())
            }
            Node::Widget(p) => self.panel(path, p),
        }
    }
}

fn size_of(node: &Node) -> Option<&str> {
    match node {
        Node::Row(c) | Node::Column(c) => c.size.as_deref(),
        Node::Stack(s) => s.size.as_deref(),
        Node::Widget(p) => p.size.as_deref(),
    }
}

impl LayoutDocument {
    /// Checks the rules with the default [`Limits`] (the size rule is
    /// [`crate::parse_document`]'s, which sees the JSON).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.validate_with(Limits::default())
    }

    /// Checks the rules with the given limits; the first violation wins.
    pub fn validate_with(&self, limits: Limits) -> Result<(), ValidationError> {
        if self.schema != SCHEMA_VERSION {
            return Err(err(
                "$.schema",
                format!(
                    "schema {} is not supported (this build reads {SCHEMA_VERSION})",
                    self.schema
                ),
            ));
        }
        let mut walk = Walk {
            limits,
            ids: HashSet::new(),
            panels: 0,
        };
        walk.node("$.root", &self.root, 1)?;
        for (i, d) in self.floating.iter().enumerate() {
            walk.panel(&format!("$.floating[{i}].panel"), &d.panel)?;
        }
        for (i, d) in self.popouts.iter().enumerate() {
            walk.panel(&format!("$.popouts[{i}].panel"), &d.panel)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_layout;

    fn doc(json: serde_json::Value) -> LayoutDocument {
        serde_json::from_value(json).unwrap()
    }

    fn widget(id: &str) -> serde_json::Value {
        serde_json::json!({"type": "widget", "id": id, "widget": "acme.x", "title": id})
    }

    #[test]
    fn the_demo_layout_is_valid() {
        let demo = demo_layout();
        demo.validate().unwrap();
        assert_eq!(demo.panels().count(), 6);
    }

    #[test]
    fn duplicate_panel_ids_name_the_second() {
        let d = doc(
            serde_json::json!({"schema": 1, "root": {"type": "row", "content": [widget("a"), widget("a")]}}),
        );
        let e = d.validate().unwrap_err();
        assert_eq!(e.path, "$.root.content[1].id");
    }

    #[test]
    fn sizes_must_add_up() {
        let mut a = widget("a");
        a["size"] = "30%".into();
        let mut b = widget("b");
        b["size"] = "30%".into();
        let d =
            doc(serde_json::json!({"schema": 1, "root": {"type": "column", "content": [a, b]}}));
        let e = d.validate().unwrap_err();
        assert_eq!(e.path, "$.root.content");
        assert!(e.message.contains("60"), "{e}");
    }

    #[test]
    fn depth_and_panel_limits() {
        let mut node = widget("leaf");
        for _ in 0..40 {
            node = serde_json::json!({"type": "row", "content": [node]});
        }
        let d = doc(serde_json::json!({"schema": 1, "root": node}));
        assert!(d.validate().unwrap_err().message.contains("deeper than 32"));

        let many: Vec<_> = (0..501).map(|i| widget(&format!("p{i}"))).collect();
        let d = doc(serde_json::json!({"schema": 1, "root": {"type": "row", "content": many}}));
        assert!(d.validate().unwrap_err().message.contains("more than 500"));
    }

    #[test]
    fn unknown_node_types_are_refused_when_parsing() {
        let r: Result<LayoutDocument, _> = serde_json::from_value(
            serde_json::json!({"schema": 1, "root": {"type": "grid", "content": []}}),
        );
        assert!(r.unwrap_err().to_string().contains("grid"));
    }
}
