//! Checks that an OpenAPI document names exactly the routes a router
//! serves: the routes read from the router's source, the operations from
//! the document.

use std::collections::BTreeSet;

use serde_json::Value;

/// The HTTP methods an OpenAPI path item may have.
pub const METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// `(method, path)` of every `.route(PATH, METHOD_ROUTER)` in the function
/// of `source` that starts with `signature` (e.g. `"pub fn router("`), read
/// from the router's source text. Fails on what it cannot read (`.nest`,
/// `.merge`, …), so every route stays documented.
pub fn routes_in_source(source: &str, signature: &str) -> BTreeSet<(String, String)> {
    let start = source
        .find(signature)
        .unwrap_or_else(|| panic!("the source defines no `{signature}`"));
    let body = &source[start..];
    let body = &body[..body
        .find("\n}\n")
        .expect("the router function ends with `}` alone on a line")];
    for unsupported in [
        ".nest(",
        ".merge(",
        ".route_service(",
        ".nest_service(",
        "MethodFilter",
    ] {
        assert!(
            !body.contains(unsupported),
            "the router uses `{unsupported}`, which this reader cannot read: teach it, so every route stays documented"
        );
    }
    let mut routes = BTreeSet::new();
    let chunks: Vec<&str> = body.split(".route(").skip(1).collect();
    for chunk in &chunks {
        let chunk = chunk.trim_start();
        let path = chunk
            .strip_prefix('"')
            .and_then(|rest| rest.split_once('"'))
            .map(|(path, _)| path)
            .unwrap_or_else(|| panic!("a route's path is not a string literal: {chunk:.60}"));
        // The method router: the rest of `.route(` up to its closing parenthesis.
        let args = &chunk[path.len() + 2..];
        let mut depth = 0_i32;
        let end = args
            .char_indices()
            .find_map(|(i, c)| {
                match c {
                    '(' => depth += 1,
                    ')' if depth == 0 => return Some(i),
                    ')' => depth -= 1,
                    _ => {}
                }
                None
            })
            .unwrap_or_else(|| panic!("unbalanced `.route(\"{path}\"`"));
        let method_router = &args[..end];
        let before_ok = |i: usize| {
            method_router[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
        };
        let mut found = 0;
        for method in METHODS {
            let call = format!("{method}(");
            for (i, _) in method_router.match_indices(&call) {
                if before_ok(i) {
                    routes.insert((method.to_owned(), path.to_owned()));
                    found += 1;
                }
            }
        }
        assert!(
            found > 0,
            "no method found for route {path:?}: {method_router}"
        );
    }
    routes
}

/// `(method, path)` of every operation in the OpenAPI description.
pub fn documented_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                routes.insert((method.to_owned(), path.clone()));
            }
        }
    }
    routes
}
