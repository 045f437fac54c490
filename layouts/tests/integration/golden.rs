//! golden-layout import and export, with configs shaped like golden-layout
//! 2.6's `saveLayout()` output, its `LayoutConfig`, and the older `content` form.

use serde_json::{json, Value};
use tessera_layouts::{export_golden_layout, import_golden_layout, LayoutDocument, Node};

use crate::support::{on_both_engines, App, TestStore};

on_both_engines!(import_and_export_over_http_round_trip);

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .unwrap()
}

const FIXTURES: [&str; 3] = [
    "golden-layout-2.6-saved.json",
    "golden-layout-2.6-config.json",
    "golden-layout-legacy-content.json",
];

fn sizes(node: &Node) -> Vec<Option<String>> {
    let content = match node {
        Node::Row(c) | Node::Column(c) => &c.content,
        _ => return vec![],
    };
    content
        .iter()
        .map(|n| match n {
            Node::Row(c) | Node::Column(c) => c.size.clone(),
            Node::Stack(s) => s.size.clone(),
            Node::Widget(p) => p.size.clone(),
        })
        .collect()
}

fn child(node: &Node, i: usize) -> &Node {
    match node {
        Node::Row(c) | Node::Column(c) => &c.content[i],
        Node::Stack(s) => &s.content[i],
        Node::Widget(_) => panic!("a widget has no children"),
    }
}

#[test]
fn every_fixture_round_trips_import_export_import() {
    for name in FIXTURES {
        let first = import_golden_layout(&fixture(name), "Imported")
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        first.validate().unwrap();
        let exported = export_golden_layout(&first);
        let second = import_golden_layout(&exported, "Imported").unwrap();
        assert_eq!(
            second, first,
            "{name}: import → export → import gives the same document"
        );
        assert_eq!(
            export_golden_layout(&second),
            exported,
            "{name}: and the same export"
        );
    }
}

#[test]
fn a_saved_2_6_layout_keeps_structure_sizes_tabs_state_and_popouts() {
    let doc = import_golden_layout(&fixture("golden-layout-2.6-saved.json"), "Trading").unwrap();
    assert_eq!(doc.title, "Trading");
    assert!(matches!(doc.root, Node::Row(_)), "the root row stays a row");
    assert_eq!(
        sizes(&doc.root),
        [Some("62.5%".into()), Some("37.5%".into())],
        "size + sizeUnit % become percentages"
    );
    match child(&doc.root, 0) {
        Node::Stack(s) => {
            assert_eq!(s.active, 1, "activeItemIndex is kept");
            assert_eq!(s.content.len(), 2);
        }
        other => panic!("expected a stack, got {other:?}"),
    }
    assert_eq!(
        sizes(child(&doc.root, 1)),
        [Some("40%".into()), Some("60%".into())]
    );
    let panels: Vec<_> = doc.panels().collect();
    assert_eq!(
        panels.iter().map(|p| p.widget.as_str()).collect::<Vec<_>>(),
        [
            "acme.price-chart",
            "acme.order-book",
            "acme.news",
            "acme.blotter",
            "tessera.clock",
            "acme.watchlist"
        ],
        "componentType is the widget id"
    );
    assert_eq!(panels[0].title, "AAPL price");
    assert_eq!(
        panels[0].state["instrument"]["id"]["ticker"], "AAPL",
        "componentState is the widget state"
    );
    assert_eq!(panels[4].state, Value::Null, "no componentState, no state");
    let ids: Vec<&str> = panels.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["p1", "p2", "p3", "p4", "p5", "p6"],
        "golden-layout's empty ids are replaced by unique ones"
    );
    assert_eq!(doc.popouts.len(), 1, "the open pop-out is kept");
    let pop = &doc.popouts[0];
    assert_eq!(
        (pop.x, pop.y, pop.width, pop.height),
        (1320, 140, 480, 360),
        "with its window geometry"
    );
}

#[test]
fn fr_units_explicit_ids_and_bare_components_in_rows() {
    let doc = import_golden_layout(&fixture("golden-layout-2.6-config.json"), "Research").unwrap();
    assert_eq!(sizes(&doc.root), [Some("70%".into()), Some("30%".into())]);
    let top = child(&doc.root, 0);
    assert_eq!(
        sizes(top),
        [Some("66.67%".into()), Some("33.33%".into())],
        "2fr and 1fr share what is left"
    );
    assert!(
        matches!(child(top, 0), Node::Widget(p) if p.id == "heatmap"),
        "a component directly in a row stays a panel there"
    );
    assert!(matches!(child(child(&doc.root, 1), 1), Node::Stack(s) if s.active == 1));
    let ids: Vec<&str> = doc.panels().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "heatmap",
            "chart",
            "fundamentals",
            "news",
            "orders",
            "fills"
        ],
        "explicit ids are kept"
    );
}

#[test]
fn the_older_content_form_with_width_and_height() {
    let doc = import_golden_layout(&fixture("golden-layout-legacy-content.json"), "Old").unwrap();
    assert_eq!(
        sizes(&doc.root),
        [Some("66.67%".into()), Some("33.33%".into())],
        "widths in a row"
    );
    assert_eq!(
        sizes(child(&doc.root, 0)),
        [Some("50%".into()), Some("50%".into())],
        "heights in a column"
    );
    let ids: Vec<&str> = doc.panels().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["p1", "goog-chart", "p2"]);
    assert_eq!(
        doc.panels().next().unwrap().widget,
        "acme.price-chart",
        "componentName is the widget id"
    );
}

#[test]
fn bad_configs_name_the_path() {
    let cases = [
        (
            json!({"root": {"type": "row", "content": [{"type": "grid"}]}}),
            "$.root.content[0].type",
        ),
        (
            json!({"root": {"type": "stack", "content": [{"type": "component"}]}}),
            "$.root.content[0].componentType",
        ),
        (
            json!({"root": {"type": "stack", "content": [{"type": "row", "content": []}]}}),
            "$.root.content[0].type",
        ),
        (json!({"root": {"type": "row", "content": []}}), "$.root"),
        (json!([]), "$"),
    ];
    for (config, path) in cases {
        let e = import_golden_layout(&config, "T").unwrap_err();
        assert_eq!(e.path, path, "{config}: {e}");
    }
}

#[test]
fn channels_survive_export_and_floating_panels_become_popouts() {
    let mut doc: LayoutDocument = tessera_layouts::demo_layout();
    doc.floating.push(tessera_layouts::DetachedPanel {
        panel: tessera_layouts::Panel {
            id: "float".into(),
            widget: "acme.notes".into(),
            title: "Notes".into(),
            size: None,
            state: json!({"text": "hi"}),
            channel: Some("blue".into()),
        },
        x: 5,
        y: 6,
        width: 300,
        height: 200,
    });
    let back = import_golden_layout(&export_golden_layout(&doc), &doc.title).unwrap();
    let channels: Vec<Option<&str>> = back.panels().map(|p| p.channel.as_deref()).collect();
    assert_eq!(
        channels,
        [
            Some("red"),
            None,
            None,
            Some("red"),
            Some("red"),
            None,
            Some("blue")
        ],
        "colour channels travel in tesseraChannel"
    );
    assert!(
        back.floating.is_empty(),
        "golden-layout has no floating panels…"
    );
    assert_eq!(
        back.popouts[0].panel.id, "float",
        "…so they are exported as pop-outs"
    );
    assert_eq!(back.root, doc.root, "the docked tree is unchanged");
}

async fn import_and_export_over_http_round_trip(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    for name in FIXTURES {
        let config = fixture(name);
        let created = app
            .call(
                "POST",
                "/v1/layouts/import/golden-layout",
                Some(&owner),
                Some(json!({"title": "Imported", "config": config})),
            )
            .await
            .expect(201, "importing a golden-layout config");
        let want = import_golden_layout(&config, "Imported").unwrap();
        assert_eq!(
            created["document"],
            serde_json::to_value(&want).unwrap(),
            "{name}: stored as converted"
        );
        let id = created["id"].as_str().unwrap();

        let exported = app
            .get(&format!("/v1/layouts/{id}/export/golden-layout"), &owner)
            .await
            .expect(200, "export");
        assert_eq!(
            exported,
            export_golden_layout(&want),
            "{name}: the export is the library's"
        );
        let again = app
            .call(
                "POST",
                "/v1/layouts/import/golden-layout",
                Some(&owner),
                Some(json!({"title": "Imported", "config": exported})),
            )
            .await
            .expect(201, "re-import the export");
        assert_eq!(
            again["document"], created["document"],
            "{name}: import → export → import is stable over HTTP"
        );
    }
    let err = app
        .call("POST", "/v1/layouts/import/golden-layout", Some(&owner),
              Some(json!({"title": "Bad", "config": {"root": {"type": "row", "content": [{"type": "grid"}]}}})))
        .await
        .expect(422, "an unknown golden-layout item type");
    assert_eq!(err["field"], "config.root.content[0].type", "{err}");
}
