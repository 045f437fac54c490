//! Reading a layout document from untrusted JSON, so that every problem,
//! unknown node types and wrong field types included, comes back as a
//! [`ValidationError`] naming its JSON path.
//!
//! serde alone cannot do this for the docking tree: `Node` is an internally
//! tagged enum, and serde buffers such values before deserialising them, which
//! loses the position of an error inside them. So the tree is walked by hand
//! here, mirroring `model.rs` field by field (a unit test checks both readers
//! agree), then [`LayoutDocument::validate_with`] applies the rules.
//!
//! ```
//! let json = serde_json::json!({"schema": 1, "title": "T",
//!     "root": {"type": "row", "content": [{"type": "grid", "content": []}]}});
//! let err = tessera_layouts::parse_document(&json).unwrap_err();
//! assert_eq!(err.path, "$.root.content[0].type");
//! ```

use serde_json::{Map, Value};

use crate::model::{Container, DetachedPanel, LayoutDocument, Node, Panel, Stack};
use crate::validate::{Limits, ValidationError};

fn err(path: &str, message: impl Into<String>) -> ValidationError {
    ValidationError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Reads and validates a document with the default [`Limits`], size included.
pub fn parse_document(value: &Value) -> Result<LayoutDocument, ValidationError> {
    parse_document_with(value, Limits::default())
}

/// Reads and validates a document; the stored (compact) form must fit `limits.max_bytes`.
pub fn parse_document_with(
    value: &Value,
    limits: Limits,
) -> Result<LayoutDocument, ValidationError> {
    let doc = read_document(value)?;
    doc.validate_with(limits)?;
    check_size(&doc, limits)?;
    Ok(doc)
}

/// The size rule alone: the compact JSON of the document fits `limits.max_bytes`.
pub fn check_size(doc: &LayoutDocument, limits: Limits) -> Result<(), ValidationError> {
    to_checked_json(doc, limits).map(|_| ())
}

/// The compact JSON of the document, if it fits `limits.max_bytes` (what is stored).
pub fn to_checked_json(doc: &LayoutDocument, limits: Limits) -> Result<String, ValidationError> {
    let json = serde_json::to_string(doc).expect("a layout document serialises");
    if json.len() > limits.max_bytes {
        return Err(err(
            "$",
            format!(
                "the document is {} bytes as compact JSON; the limit is {} bytes",
                json.len(),
                limits.max_bytes
            ),
        ));
    }
    Ok(json)
}

/// JSON text → document, without the rules of `validate`. Well-formed
/// documents take serde's direct path; anything serde refuses is read again
/// by hand to name the path of the problem.
pub fn read_document_str(json: &str) -> Result<LayoutDocument, ValidationError> {
    match serde_json::from_str::<LayoutDocument>(json) {
        Ok(doc) => Ok(doc),
        // The hand reader is the judge; should it accept what serde did not
        // (e.g. `"active": null`), its reading stands.
        Err(_) => {
            let value: Value =
                serde_json::from_str(json).map_err(|e| err("$", format!("is not JSON: {e}")))?;
            read_document(&value)
        }
    }
}

struct Fields<'a> {
    path: &'a str,
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    fn of(path: &'a str, value: &'a Value, what: &str) -> Result<Self, ValidationError> {
        match value {
            Value::Object(map) => Ok(Fields { path, map }),
            other => Err(err(
                path,
                format!("{what} must be a JSON object, not {}", kind(other)),
            )),
        }
    }

    /// Refuses keys other than `allowed`.
    fn only(&self, allowed: &[&str]) -> Result<(), ValidationError> {
        for key in self.map.keys() {
            if !allowed.contains(&key.as_str()) {
                return Err(err(
                    &self.at(key),
                    format!(
                        "unknown field {key:?}; expected one of {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    fn required(&self, key: &str) -> Result<&'a Value, ValidationError> {
        self.get(key)
            .ok_or_else(|| err(&self.at(key), "is missing"))
    }

    fn string(&self, key: &str) -> Result<String, ValidationError> {
        match self.required(key)? {
            Value::String(s) => Ok(s.clone()),
            other => Err(err(
                &self.at(key),
                format!("must be a string, not {}", kind(other)),
            )),
        }
    }

    /// Absent or null is `None`.
    fn opt_string(&self, key: &str) -> Result<Option<String>, ValidationError> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(err(
                &self.at(key),
                format!("must be a string or null, not {}", kind(other)),
            )),
        }
    }

    fn integer<T: TryFrom<i64> + TryFrom<u64>>(
        &self,
        key: &str,
        range: &str,
    ) -> Result<T, ValidationError> {
        let v = self.required(key)?;
        let bad = || {
            err(
                &self.at(key),
                format!("must be an integer {range}, not {v}"),
            )
        };
        if let Some(n) = v.as_u64() {
            T::try_from(n).map_err(|_| bad())
        } else if let Some(n) = v.as_i64() {
            T::try_from(n).map_err(|_| bad())
        } else {
            Err(bad())
        }
    }

    fn array(&self, key: &str) -> Result<&'a [Value], ValidationError> {
        match self.required(key)? {
            Value::Array(items) => Ok(items),
            other => Err(err(
                &self.at(key),
                format!("must be an array, not {}", kind(other)),
            )),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// JSON → document, without the rules of `validate` (structure and types only).
pub fn read_document(value: &Value) -> Result<LayoutDocument, ValidationError> {
    let f = Fields::of("$", value, "a layout document")?;
    f.only(&["schema", "title", "root", "floating", "popouts"])?;
    let schema = f.integer::<u32>("schema", "from 0 to 4294967295")?;
    let title = f.opt_string("title")?.unwrap_or_default();
    let root = read_node(&f.at("root"), f.required("root")?, 1)?;
    let floating = read_detached_list(&f, "floating")?;
    let popouts = read_detached_list(&f, "popouts")?;
    Ok(LayoutDocument {
        schema,
        title,
        root,
        floating,
        popouts,
    })
}

fn read_detached_list(f: &Fields<'_>, key: &str) -> Result<Vec<DetachedPanel>, ValidationError> {
    if matches!(f.get(key), None | Some(Value::Null)) {
        return Ok(Vec::new());
    }
    f.array(key)?
        .iter()
        .enumerate()
        .map(|(i, v)| read_detached(&format!("{}[{i}]", f.at(key)), v))
        .collect()
}

fn read_detached(path: &str, value: &Value) -> Result<DetachedPanel, ValidationError> {
    let f = Fields::of(path, value, "a floating or popped-out panel")?;
    f.only(&["panel", "x", "y", "width", "height"])?;
    let panel_path = f.at("panel");
    let pf = Fields::of(&panel_path, f.required("panel")?, "a panel")?;
    Ok(DetachedPanel {
        panel: read_panel(&pf, false)?,
        x: f.integer("x", "from -2147483648 to 2147483647")?,
        y: f.integer("y", "from -2147483648 to 2147483647")?,
        width: f.integer("width", "from 0 to 4294967295")?,
        height: f.integer("height", "from 0 to 4294967295")?,
    })
}

/// `depth` stops runaway recursion; `validate` reports the real depth rule.
fn read_node(path: &str, value: &Value, depth: usize) -> Result<Node, ValidationError> {
    let f = Fields::of(path, value, "a layout node")?;
    let ty = match f.required("type")? {
        Value::String(s) => s.as_str(),
        other => {
            return Err(err(
                &f.at("type"),
                format!("must be a string, not {}", kind(other)),
            ))
        }
    };
    match ty {
        "row" | "column" => {
            f.only(&["type", "size", "content"])?;
            let c = Container {
                size: f.opt_string("size")?,
                content: read_children(&f, depth)?,
            };
            Ok(if ty == "row" {
                Node::Row(c)
            } else {
                Node::Column(c)
            })
        }
        "stack" => {
            f.only(&["type", "size", "active", "content"])?;
            let active = if matches!(f.get("active"), None | Some(Value::Null)) {
                0
            } else {
                f.integer("active", "of 0 or more")?
            };
            Ok(Node::Stack(Stack {
                size: f.opt_string("size")?,
                active,
                content: read_children(&f, depth)?,
            }))
        }
        "widget" => Ok(Node::Widget(read_panel(&f, true)?)),
        other => Err(err(
            &f.at("type"),
            format!("unknown node type {other:?}; expected row, column, stack or widget"),
        )),
    }
}

fn read_children(f: &Fields<'_>, depth: usize) -> Result<Vec<Node>, ValidationError> {
    let items = f.array("content")?;
    if depth > 64 {
        return Err(err(f.path, "nested far too deeply"));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, v)| read_node(&format!("{}[{i}]", f.at("content")), v, depth + 1))
        .collect()
}

fn read_panel(f: &Fields<'_>, in_tree: bool) -> Result<Panel, ValidationError> {
    if in_tree {
        f.only(&["type", "id", "widget", "title", "size", "state", "channel"])?;
    } else {
        f.only(&["id", "widget", "title", "size", "state", "channel"])?;
    }
    Ok(Panel {
        id: f.string("id")?,
        widget: f.string("widget")?,
        title: f.string("title")?,
        size: f.opt_string("size")?,
        state: f.get("state").cloned().unwrap_or(Value::Null),
        channel: f.opt_string("channel")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn widget(id: &str) -> Value {
        json!({"type": "widget", "id": id, "widget": "acme.x", "title": id})
    }

    #[test]
    fn agrees_with_serde_on_valid_documents() {
        let demo: Value = serde_json::from_str(include_str!("../demo/demo-layout.json")).unwrap();
        let by_hand = read_document(&demo).unwrap();
        let by_serde: LayoutDocument = serde_json::from_value(demo).unwrap();
        assert_eq!(by_hand, by_serde, "the hand reader mirrors the serde model");

        let detached = json!({"schema": 1, "root": widget("a"),
            "floating": [{"panel": {"id": "f", "widget": "w.x", "title": "F", "channel": "red"}, "x": -5, "y": 3, "width": 10, "height": 20}],
            "popouts": [{"panel": {"id": "p", "widget": "w.x", "title": "P", "state": {"k": 1}}, "x": 0, "y": 0, "width": 1, "height": 1}]});
        let by_serde: LayoutDocument = serde_json::from_value(detached.clone()).unwrap();
        assert_eq!(read_document(&detached).unwrap(), by_serde);
    }

    #[test]
    fn errors_name_the_path() {
        let cases = [
            (json!([1]), "$"),
            (
                json!({"schema": 1, "root": widget("a"), "extra": 1}),
                "$.extra",
            ),
            (json!({"schema": "1", "root": widget("a")}), "$.schema"),
            (json!({"schema": 1}), "$.root"),
            (
                json!({"schema": 1, "root": {"type": "row", "content": [widget("a"), {"type": "grid"}]}}),
                "$.root.content[1].type",
            ),
            (
                json!({"schema": 1, "root": {"type": "row", "content": [{"type": "widget", "id": "a", "widget": "x.y", "title": 3}]}}),
                "$.root.content[0].title",
            ),
            (
                json!({"schema": 1, "root": {"type": "stack", "active": -1, "content": [widget("a")]}}),
                "$.root.active",
            ),
            (
                json!({"schema": 1, "root": widget("a"), "floating": [{"panel": {"id": "f", "widget": "w.x", "title": "F"}, "x": 0, "y": 0, "width": -1, "height": 1}]}),
                "$.floating[0].width",
            ),
        ];
        for (doc, path) in cases {
            let e = read_document(&doc).unwrap_err();
            assert_eq!(e.path, path, "{doc} → {e}");
        }
    }

    #[test]
    fn the_size_limit_counts_compact_json() {
        let big = "x".repeat(2000);
        let panels: Vec<Value> = (0..10)
            .map(|i| json!({"type": "widget", "id": format!("p{i}"), "widget": "a.b", "title": "t", "state": {"blob": big}}))
            .collect();
        let doc = json!({"schema": 1, "root": {"type": "row", "content": panels}});
        let small = Limits {
            max_bytes: 10_000,
            ..Limits::default()
        };
        let e = parse_document_with(&doc, small).unwrap_err();
        assert_eq!(e.path, "$");
        assert!(e.message.contains("10000"), "{e}");
        parse_document(&doc).unwrap();
    }
}
