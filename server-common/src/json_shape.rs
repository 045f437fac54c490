//! serde's derived structs also accept a JSON array of their fields in
//! order (`[true, [...]]` for `{"organisation": true, "users": [...]}`), so
//! a request could change sharing or save a version with a body that is not
//! the documented object. This finds such arrays after deserializing, at any
//! depth: wherever the typed value serializes to an object, the request must
//! have had an object too.

use serde::Serialize;
use serde_json::Value;

/// The JSON path (`$.users[0]`) of the first array in `body` that stood in
/// for an object of `typed`, if any.
pub fn array_for_object<T: Serialize>(body: &[u8], typed: &T) -> Option<String> {
    // No '[' at all: nothing can be an array (most small bodies).
    if !body.contains(&b'[') {
        return None;
    }
    let sent: Value = serde_json::from_slice(body).ok()?;
    let shaped = serde_json::to_value(typed).ok()?;
    let mut path = String::from("$");
    find(&sent, &shaped, &mut path).then_some(path)
}

fn find(sent: &Value, shaped: &Value, path: &mut String) -> bool {
    match (sent, shaped) {
        (Value::Array(_), Value::Object(_)) => true,
        (Value::Object(a), Value::Object(b)) => a.iter().any(|(k, v)| {
            let Some(w) = b.get(k) else { return false };
            let len = path.len();
            path.push('.');
            path.push_str(k);
            let found = find(v, w, path);
            if !found {
                path.truncate(len);
            }
            found
        }),
        (Value::Array(a), Value::Array(b)) => a.iter().zip(b).enumerate().any(|(i, (v, w))| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = find(v, w, path);
            if !found {
                path.truncate(len);
            }
            found
        }),
        _ => false,
    }
}

/// The answer to a string holding U+0000, wherever it is.
pub const NUL_MESSAGE: &str =
    "contains the character U+0000 (NUL), which cannot be stored; remove it";

/// The JSON path of the first string (key or value) in `body` that holds
/// U+0000. Postgres cannot store that character in text or jsonb, so both
/// engines refuse it (SQLite would store it and then match it oddly).
pub fn nul_character(body: &[u8]) -> Option<String> {
    // JSON can only carry U+0000 escaped.
    if !body.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return None;
    }
    let sent: Value = serde_json::from_slice(body).ok()?;
    let mut path = String::from("$");
    find_nul(&sent, &mut path).then_some(path)
}

fn find_nul(v: &Value, path: &mut String) -> bool {
    let descend = |seg: String, v: &Value, path: &mut String| {
        let len = path.len();
        path.push_str(&seg);
        let found = find_nul(v, path);
        if !found {
            path.truncate(len);
        }
        found
    };
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .any(|(i, v)| descend(format!("[{i}]"), v, path)),
        Value::Object(o) => o.iter().any(|(k, v)| {
            if k.contains('\0') {
                path.push('.');
                path.push_str(&k.replace('\0', "\\u0000"));
                return true;
            }
            descend(format!(".{k}"), v, path)
        }),
        _ => false,
    }
}

/// The query parameter whose value (or name) holds U+0000, if any.
pub fn nul_in_query(query: &str) -> Option<String> {
    if !query.to_ascii_lowercase().contains("%00") {
        return None;
    }
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', "%00"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// The shape of the layouts' sharing body, where the tester found it.
    #[derive(Serialize, Deserialize)]
    struct Grant {
        name: String,
        access: String,
    }

    #[derive(Serialize, Deserialize)]
    struct Sharing {
        organisation: bool,
        users: Vec<Grant>,
        groups: Vec<Grant>,
    }

    fn check(body: &str) -> Option<String> {
        let typed: Sharing = serde_json::from_str(body).expect("serde takes it");
        array_for_object(body.as_bytes(), &typed)
    }

    /// Issue 14, item 3: the arrays serde accepts are found, with their place.
    #[test]
    fn regression_14_3_arrays_in_place_of_objects_are_found() {
        assert_eq!(
            check(r#"[true,[{"name":"bob","access":"edit"}],[]]"#).as_deref(),
            Some("$")
        );
        assert_eq!(
            check(r#"{"organisation":false,"users":[["bob","edit"]],"groups":[]}"#).as_deref(),
            Some("$.users[0]")
        );
        assert_eq!(
            check(r#"{"organisation":true,"users":[{"name":"bob","access":"edit"}],"groups":[]}"#),
            None
        );
        let g = Grant {
            name: "x".into(),
            access: "view".into(),
        };
        assert_eq!(
            array_for_object(br#"{"name":"x","access":"view"}"#, &g),
            None
        );
    }

    /// Issue 14, item 2: U+0000 is found wherever it is, with its place.
    #[test]
    fn regression_14_2_nul_characters_are_found() {
        assert_eq!(nul_character(br#"{"a":"x"}"#), None);
        assert_eq!(
            nul_character(br#"{"a":"\\u0000"}"#),
            None,
            "an escaped backslash then u0000 is text"
        );
        assert_eq!(
            nul_character(br#"{"a":[{"b":"x\u0000"}]}"#).as_deref(),
            Some("$.a[0].b")
        );
        assert_eq!(
            nul_character(br#"{"a\u0000":1}"#).as_deref(),
            Some("$.a\\u0000")
        );
        assert_eq!(nul_in_query("q=abc&widget=x"), None);
        assert_eq!(nul_in_query("q=%00").as_deref(), Some("q"));
        assert_eq!(
            nul_in_query("limit=5&widget=a%00b").as_deref(),
            Some("widget")
        );
    }
}
