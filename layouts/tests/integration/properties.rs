//! Property tests (issue 14's suite): reading documents and golden-layout
//! configs never panics and always names where a problem is; a valid
//! document survives parsing and the store unchanged, whatever Unicode its
//! strings hold, on both engines.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use tessera_layouts::{import_golden_layout, parse_document, LayoutDocument};

use crate::support::{on_both_engines, App, TestStore};

/// Any JSON, a few levels deep, with the keys and tags the readers look for
/// mixed in so that the interesting paths are reached.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("type".to_owned()),
        Just("content".to_owned()),
        Just("root".to_owned()),
        Just("schema".to_owned()),
        Just("id".to_owned()),
        Just("widget".to_owned()),
        Just("title".to_owned()),
        Just("size".to_owned()),
        Just("active".to_owned()),
        Just("componentType".to_owned()),
        Just("activeItemIndex".to_owned()),
        "[a-z]{1,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        prop_oneof![
            Just("row".to_owned()),
            Just("column".to_owned()),
            Just("stack".to_owned()),
            Just("widget".to_owned()),
            Just("component".to_owned()),
            Just("50%".to_owned()),
            any::<String>(),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(Config::with_cases(512))]

    #[test]
    fn reading_any_json_as_a_document_never_panics_and_names_a_path(v in any_json()) {
        for candidate in [v.clone(), json!({"schema": 1, "title": "T", "root": v})] {
            if let Err(e) = parse_document(&candidate) {
                prop_assert!(e.path.starts_with('$'), "{e}");
            }
        }
    }

    #[test]
    fn importing_any_json_as_golden_layout_never_panics_and_names_a_path(v in any_json()) {
        for candidate in [v.clone(), json!({"root": v.clone()}), json!({"content": [v]})] {
            match import_golden_layout(&candidate, "Imported") {
                Ok(doc) => prop_assert!(doc.validate().is_ok(), "an import is a valid document"),
                Err(e) => prop_assert!(e.path.starts_with('$'), "{e}"),
            }
        }
    }

    #[test]
    fn a_valid_document_parses_back_to_itself(doc in valid_document()) {
        let v = serde_json::to_value(&doc).unwrap();
        prop_assert_eq!(parse_document(&v).unwrap(), doc);
    }
}

/// Text a person could type, any script: no control characters, no NUL.
fn text() -> impl Strategy<Value = String> {
    "[^\\p{Cc}]{1,40}".prop_filter("not blank, no space at either end", |s| {
        !s.trim().is_empty() && s.trim() == s
    })
}

/// JSON a widget may keep as state: any Unicode but U+0000, which the
/// server refuses on both engines.
fn state() -> impl Strategy<Value = Value> {
    let s = "[^\\x00]{0,30}";
    prop_oneof![
        s.prop_map(Value::String),
        prop::collection::btree_map(s, s, 0..4).prop_map(|m| json!(m)),
        prop::collection::vec(s, 0..4).prop_map(|v| json!(v)),
    ]
}

/// A row of stacks of panels whose titles and states are arbitrary text.
fn valid_document() -> impl Strategy<Value = LayoutDocument> {
    (
        text(),
        prop::collection::vec(prop::collection::vec((text(), state()), 1..4), 1..4),
    )
        .prop_map(|(title, stacks)| {
            let mut n = 0;
            let content: Vec<Value> = stacks
                .into_iter()
                .map(|panels| {
                    let tabs: Vec<Value> = panels
                        .into_iter()
                        .map(|(t, s)| {
                            n += 1;
                            json!({"type": "widget", "id": format!("p{n}"), "widget": format!("acme.w{n}"),
                                   "title": t, "state": s, "channel": null})
                        })
                        .collect();
                    json!({"type": "stack", "active": 0, "content": tabs})
                })
                .collect();
            let v = json!({"schema": 1, "title": title, "root": {"type": "row", "content": content},
                           "floating": [], "popouts": []});
            serde_json::from_value(v).expect("a generated document reads")
        })
}

on_both_engines!(arbitrary_unicode_survives_the_store);

/// Every string of a saved document comes back byte for byte, on both
/// engines (32 generated documents each).
async fn arbitrary_unicode_survives_the_store(t: TestStore) {
    let app = App::new(t);
    let ann = app.user("ann", false).await;
    let mut runner = TestRunner::new(Config::with_cases(32));
    let strategy = valid_document();
    for case in 0..32 {
        let doc = strategy.new_tree(&mut runner).unwrap().current();
        let sent = serde_json::to_value(&doc).unwrap();
        let created = app
            .call(
                "POST",
                "/v1/layouts",
                Some(&ann),
                Some(json!({"document": sent})),
            )
            .await
            .expect(201, &format!("case {case}: {sent}"));
        let id = created["id"].as_str().unwrap();
        let back = app
            .get(&format!("/v1/layouts/{id}"), &ann)
            .await
            .expect(200, "read it back");
        let got: LayoutDocument = serde_json::from_value(back["document"].clone()).unwrap();
        assert_eq!(got, doc, "case {case}: the stored document differs");
    }
}
