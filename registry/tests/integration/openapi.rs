//! The HTTP contract is snapshotted: a change to the API shows in review.

#[test]
fn openapi_document_is_unchanged() {
    let doc = serde_json::to_value(tessera_registry::openapi::document()).unwrap();
    insta::assert_json_snapshot!("openapi", doc);
}
