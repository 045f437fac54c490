//! golden-layout configs in and out.
//!
//! Import reads what golden-layout 2.x's `saveLayout()` returns (a
//! `ResolvedLayoutConfig`: `root`, `openPopouts`, sizes as `size` + `sizeUnit`),
//! the `LayoutConfig` shape a page passes to `loadLayout()` (`size: "50%"` or
//! `"1fr"`), and the older shape with a `content` array and `width`/`height`
//! percentages (golden-layout 1.x and early 2.x). Components become widget
//! panels (`componentType` or `componentName` is the widget id,
//! `componentState` its state); stacks keep `activeItemIndex`.
//!
//! Export writes a golden-layout 2.6 `LayoutConfig`. golden-layout has no
//! colour channels and no floating panels: channels travel in a
//! `tesseraChannel` property golden-layout ignores, and floating panels are
//! exported as pop-outs. Importing an export gives the same document back.
//!
//! ```
//! let gl = serde_json::json!({"root": {"type": "stack", "content": [
//!     {"type": "component", "componentType": "acme.chart", "title": "Chart"}]}});
//! let doc = tessera_layouts::import_golden_layout(&gl, "Mine").unwrap();
//! let again = tessera_layouts::import_golden_layout(&tessera_layouts::export_golden_layout(&doc), "Mine").unwrap();
//! assert_eq!(doc, again);
//! ```

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::model::{Container, DetachedPanel, LayoutDocument, Node, Panel, Stack, SCHEMA_VERSION};
use crate::validate::ValidationError;

fn err(path: &str, message: impl Into<String>) -> ValidationError {
    ValidationError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Window geometry for a pop-out whose config does not say.
const DEFAULT_WINDOW: (i32, i32, u32, u32) = (0, 0, 640, 480);

/// Converts a golden-layout config into a (validated) layout document titled `title`.
/// Errors name the JSON path in the golden-layout config.
pub fn import_golden_layout(
    config: &Value,
    title: &str,
) -> Result<LayoutDocument, ValidationError> {
    let top = config
        .as_object()
        .ok_or_else(|| err("$", "a golden-layout config is a JSON object"))?;
    let mut ids = Ids::collect(config);
    let root = match (top.get("root"), top.get("content")) {
        (Some(root), _) if !root.is_null() => import_item(&mut ids, "$.root", root)?,
        (_, Some(Value::Array(content))) => import_legacy_root(&mut ids, content)?,
        _ => None,
    };
    let root = root.ok_or_else(|| {
        err(
            "$.root",
            "the config has no panels (no `root` item, or only empty containers)",
        )
    })?;
    let mut popouts = Vec::new();
    if let Some(list) = top.get("openPopouts") {
        let list = list
            .as_array()
            .ok_or_else(|| err("$.openPopouts", "must be an array"))?;
        for (i, p) in list.iter().enumerate() {
            import_popout(&mut ids, &format!("$.openPopouts[{i}]"), p, &mut popouts)?;
        }
    }
    let doc = LayoutDocument {
        schema: SCHEMA_VERSION,
        title: title.to_owned(),
        root,
        floating: Vec::new(),
        popouts,
    };
    doc.validate()?;
    Ok(doc)
}

/// Converts a layout document into a golden-layout 2.6 `LayoutConfig`.
pub fn export_golden_layout(doc: &LayoutDocument) -> Value {
    let popouts: Vec<Value> = doc
        .popouts
        .iter()
        .chain(&doc.floating)
        .map(|d| {
            json!({
                "root": {"type": "stack", "content": [export_panel(&d.panel)]},
                "window": {"left": d.x, "top": d.y, "width": d.width, "height": d.height},
            })
        })
        .collect();
    json!({ "root": export_node(&doc.root), "openPopouts": popouts })
}

fn export_node(node: &Node) -> Value {
    let (mut item, size) = match node {
        Node::Row(c) | Node::Column(c) => {
            let ty = if matches!(node, Node::Row(_)) {
                "row"
            } else {
                "column"
            };
            (
                json!({"type": ty, "content": c.content.iter().map(export_node).collect::<Vec<_>>()}),
                &c.size,
            )
        }
        Node::Stack(s) => (
            json!({"type": "stack", "activeItemIndex": s.active,
                   "content": s.content.iter().map(export_node).collect::<Vec<_>>()}),
            &s.size,
        ),
        Node::Widget(p) => return export_panel(p),
    };
    if let Some(size) = size {
        item["size"] = json!(size);
    }
    item
}

fn export_panel(p: &Panel) -> Value {
    let mut item = json!({
        "type": "component",
        "componentType": p.widget,
        "title": p.title,
        "id": p.id,
    });
    if !p.state.is_null() {
        item["componentState"] = p.state.clone();
    }
    if let Some(size) = &p.size {
        item["size"] = json!(size);
    }
    if let Some(channel) = &p.channel {
        item["tesseraChannel"] = json!(channel);
    }
    item
}

/// Which golden-layout size field applies to a child: a row's children have
/// widths, a column's heights.
#[derive(Clone, Copy, PartialEq)]
enum Orientation {
    Row,
    Column,
}

/// Panel ids: golden-layout's own when usable (non-empty, unique), else `p1`, `p2`…
struct Ids {
    explicit: HashSet<String>,
    used: HashSet<String>,
    next: usize,
}

impl Ids {
    /// Notes every non-empty string `id` in the config, so generated ids avoid them.
    fn collect(config: &Value) -> Ids {
        fn walk(v: &Value, out: &mut HashSet<String>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(id)) = m.get("id") {
                        out.insert(id.clone());
                    }
                    m.values().for_each(|c| walk(c, out));
                }
                Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
                _ => {}
            }
        }
        let mut explicit = HashSet::new();
        walk(config, &mut explicit);
        Ids {
            explicit,
            used: HashSet::new(),
            next: 1,
        }
    }

    fn take(&mut self, wanted: Option<&str>) -> String {
        if let Some(id) = wanted.filter(|id| !id.is_empty()) {
            if self.used.insert(id.to_owned()) {
                return id.to_owned();
            }
        }
        loop {
            let id = format!("p{}", self.next);
            self.next += 1;
            if !self.explicit.contains(&id) && self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// The 1.x root: `content` holds one item (several are laid out as a row).
fn import_legacy_root(ids: &mut Ids, content: &[Value]) -> Result<Option<Node>, ValidationError> {
    let mut nodes = Vec::new();
    for (i, item) in content.iter().enumerate() {
        if let Some(n) = import_item(ids, &format!("$.content[{i}]"), item)? {
            nodes.push(n);
        }
    }
    Ok(match nodes.len() {
        0 => None,
        1 => nodes.pop(),
        _ => Some(Node::Row(Container {
            size: None,
            content: nodes,
        })),
    })
}

fn item_type<'a>(path: &str, m: &'a Map<String, Value>) -> Result<&'a str, ValidationError> {
    m.get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| err(&format!("{path}.type"), "is missing or not a string"))
}

/// One golden-layout item; `None` for an empty container (golden-layout drops
/// those too). Its size is set by its parent, which sees all the siblings.
fn import_item(ids: &mut Ids, path: &str, item: &Value) -> Result<Option<Node>, ValidationError> {
    let m = item
        .as_object()
        .ok_or_else(|| err(path, "a golden-layout item is a JSON object"))?;
    let ty = item_type(path, m)?;
    match ty {
        "row" | "column" => {
            let orientation = if ty == "row" { Orientation::Row } else { Orientation::Column };
            let mut children = Vec::new();
            let mut sizes = Vec::new();
            for (i, child) in content(path, m)?.iter().enumerate() {
                let cpath = format!("{path}.content[{i}]");
                if let Some(node) = import_item(ids, &cpath, child)? {
                    let child_map = child.as_object().expect("checked by import_item");
                    sizes.push(percent_size(&cpath, child_map, orientation)?);
                    children.push(node);
                }
            }
            if children.is_empty() {
                return Ok(None);
            }
            apply_sizes(&mut children, &sizes);
            let c = Container {
                size: None,
                content: children,
            };
            Ok(Some(if ty == "row" { Node::Row(c) } else { Node::Column(c) }))
        }
        "stack" => {
            let mut panels = Vec::new();
            for (i, child) in content(path, m)?.iter().enumerate() {
                let cpath = format!("{path}.content[{i}]");
                let cm = child
                    .as_object()
                    .ok_or_else(|| err(&cpath, "a golden-layout item is a JSON object"))?;
                match item_type(&cpath, cm)? {
                    "component" | "react-component" => panels.push(Node::Widget(import_component(ids, &cpath, cm)?)),
                    other => {
                        return Err(err(
                            &format!("{cpath}.type"),
                            format!("a stack holds components, not {other:?}"),
                        ))
                    }
                }
            }
            if panels.is_empty() {
                return Ok(None);
            }
            let active = m
                .get("activeItemIndex")
                .and_then(Value::as_u64)
                .map(|a| a as usize)
                .filter(|a| *a < panels.len())
                .unwrap_or(0);
            Ok(Some(Node::Stack(Stack {
                size: None,
                active,
                content: panels,
            })))
        }
        "component" | "react-component" => Ok(Some(Node::Widget(import_component(ids, path, m)?))),
        other => Err(err(
            &format!("{path}.type"),
            format!("unknown golden-layout item type {other:?}; expected row, column, stack or component"),
        )),
    }
}

fn content<'a>(path: &str, m: &'a Map<String, Value>) -> Result<&'a [Value], ValidationError> {
    match m.get("content") {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(err(&format!("{path}.content"), "must be an array")),
    }
}

fn import_component(
    ids: &mut Ids,
    path: &str,
    m: &Map<String, Value>,
) -> Result<Panel, ValidationError> {
    let widget = ["componentType", "componentName", "component"]
        .iter()
        .find_map(|k| m.get(*k).and_then(Value::as_str))
        .filter(|w| !w.is_empty())
        .ok_or_else(|| {
            err(
                &format!("{path}.componentType"),
                "a component needs its type (the widget id) as a non-empty string",
            )
        })?;
    let title = match m.get("title") {
        Some(Value::String(t)) if !t.is_empty() => t.clone(),
        _ => widget.to_owned(),
    };
    // golden-layout 1.x allowed an array of ids; the first one names the panel.
    let wanted = match m.get("id") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Array(a)) => a.first().and_then(Value::as_str),
        _ => None,
    };
    Ok(Panel {
        id: ids.take(wanted),
        widget: widget.to_owned(),
        title,
        size: None,
        state: m.get("componentState").cloned().unwrap_or(Value::Null),
        channel: m
            .get("tesseraChannel")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

/// A child's share of its parent in percent, or `Fr` for fractional units
/// (shared out after the percentages), or nothing.
#[derive(Clone, Copy, Debug)]
enum Share {
    Percent(f64),
    Fr(f64),
}

fn percent_size(
    path: &str,
    m: &Map<String, Value>,
    parent: Orientation,
) -> Result<Option<Share>, ValidationError> {
    let bad = |field: &str, v: &Value| {
        err(
            &format!("{path}.{field}"),
            format!("{v} is not a size golden-layout writes (\"50%\", \"1fr\", or a number with sizeUnit)"),
        )
    };
    match m.get("size") {
        // LayoutConfig 2.6: "50%", "1fr" (px and em have no meaning for a share: ignored).
        Some(v @ Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            let split = s
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(s.len());
            let (num, unit) = s.split_at(split);
            let n: f64 = num.parse().map_err(|_| bad("size", v))?;
            return Ok(share(n, unit.trim()));
        }
        // ResolvedLayoutConfig 2.6: size: 50, sizeUnit: "%".
        Some(v @ Value::Number(_)) => {
            let n = v.as_f64().ok_or_else(|| bad("size", v))?;
            let unit = m.get("sizeUnit").and_then(Value::as_str).unwrap_or("%");
            return Ok(share(n, unit));
        }
        _ => {}
    }
    // 1.x and early 2.x: width (in a row) or height (in a column), in percent.
    let field = if parent == Orientation::Row {
        "width"
    } else {
        "height"
    };
    match m.get(field) {
        Some(v @ Value::Number(_)) => Ok(v.as_f64().and_then(|n| share(n, "%"))),
        Some(Value::Null) | None => Ok(None),
        Some(v) => Err(bad(field, v)),
    }
}

fn share(n: f64, unit: &str) -> Option<Share> {
    if !(n.is_finite() && n > 0.0) {
        return None;
    }
    match unit {
        "%" | "" => Some(Share::Percent(n)),
        "fr" => Some(Share::Fr(n)),
        _ => None,
    }
}

/// Turns golden-layout shares into percentages that add up: fractions take
/// what the percentages leave, totals off by more than half a percent are
/// scaled to 100, and if the shares cannot be honoured the children split evenly.
fn apply_sizes(children: &mut [Node], shares: &[Option<Share>]) {
    let pct: f64 = shares
        .iter()
        .flatten()
        .filter_map(|s| match s {
            Share::Percent(p) => Some(*p),
            Share::Fr(_) => None,
        })
        .sum();
    let fr: f64 = shares
        .iter()
        .flatten()
        .filter_map(|s| match s {
            Share::Fr(f) => Some(*f),
            Share::Percent(_) => None,
        })
        .sum();
    let left = (100.0 - pct).max(0.0);
    let mut sizes: Vec<Option<f64>> = shares
        .iter()
        .map(|s| match s {
            Some(Share::Percent(p)) => Some(*p),
            Some(Share::Fr(f)) if left > 0.0 => Some(left * f / fr),
            _ => None,
        })
        .collect();
    let total: f64 = sizes.iter().flatten().sum();
    let all_sized = sizes.iter().all(Option::is_some);
    if all_sized && (total - 100.0).abs() > 0.5 && total > 0.0 {
        sizes.iter_mut().flatten().for_each(|s| *s *= 100.0 / total);
    } else if !all_sized && total >= 100.0 {
        sizes.iter_mut().for_each(|s| *s = None);
    }
    for (child, size) in children.iter_mut().zip(sizes) {
        let text = size.map(|s| format!("{}%", (s * 100.0).round() / 100.0));
        match child {
            Node::Row(c) | Node::Column(c) => c.size = text,
            Node::Stack(s) => s.size = text,
            Node::Widget(p) => p.size = text,
        }
    }
}

fn import_popout(
    ids: &mut Ids,
    path: &str,
    popout: &Value,
    out: &mut Vec<DetachedPanel>,
) -> Result<(), ValidationError> {
    let m = popout
        .as_object()
        .ok_or_else(|| err(path, "a pop-out is a JSON object"))?;
    // 2.x: `window` {left, top, width, height}; 1.x: `dimensions` with the same fields.
    let geometry = m
        .get("window")
        .or_else(|| m.get("dimensions"))
        .and_then(Value::as_object);
    let num = |k: &str| geometry.and_then(|g| g.get(k)).and_then(Value::as_f64);
    let (dx, dy, dw, dh) = DEFAULT_WINDOW;
    let x = num("left").map_or(dx, |v| v.round() as i32);
    let y = num("top").map_or(dy, |v| v.round() as i32);
    let width = num("width")
        .filter(|v| *v > 0.0)
        .map_or(dw, |v| v.round() as u32);
    let height = num("height")
        .filter(|v| *v > 0.0)
        .map_or(dh, |v| v.round() as u32);
    let root = match (m.get("root"), m.get("content")) {
        (Some(root), _) if !root.is_null() => import_item(ids, &format!("{path}.root"), root)?,
        (_, Some(Value::Array(content))) => {
            let mut nodes = Vec::new();
            for (i, item) in content.iter().enumerate() {
                if let Some(n) = import_item(ids, &format!("{path}.content[{i}]"), item)? {
                    nodes.push(n);
                }
            }
            (!nodes.is_empty()).then_some(Node::Row(Container {
                size: None,
                content: nodes,
            }))
        }
        _ => None,
    };
    let Some(root) = root else { return Ok(()) };
    // A pop-out window holds panels; each becomes one popped-out panel with the window's geometry.
    let doc = LayoutDocument {
        schema: SCHEMA_VERSION,
        title: String::new(),
        root,
        floating: Vec::new(),
        popouts: Vec::new(),
    };
    for panel in doc.panels() {
        let mut panel = panel.clone();
        panel.size = None;
        out.push(DetachedPanel {
            panel,
            x,
            y,
            width,
            height,
        });
    }
    Ok(())
}
