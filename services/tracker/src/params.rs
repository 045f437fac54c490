//! A request's query string, read field by field so that each bad value is
//! refused with the envelope naming its field (axum's `Query` answers a
//! plain-text 400 that names nothing).

use std::collections::HashMap;

use tessera_server_common::ApiError;

use crate::hit::problem;

pub struct Params(HashMap<String, String>);

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::Invalid {
        field: field.into(),
        message: format!("{field}: {message}"),
    }
}

impl Params {
    /// Parses `a=1&b=x`; a field given twice is refused.
    pub fn parse(query: Option<&str>) -> Result<Params, ApiError> {
        let mut map = HashMap::new();
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if map.insert(k.to_string(), v.to_string()).is_some() {
                return Err(invalid(&k, "given more than once".into()));
            }
        }
        Ok(Params(map))
    }

    /// A text field of at most `max` characters with no control characters.
    pub fn text(&self, field: &str, max: usize) -> Result<Option<String>, ApiError> {
        match self.0.get(field) {
            None => Ok(None),
            Some(v) => match problem(v, max) {
                Some(p) => Err(invalid(field, p)),
                None => Ok(Some(v.clone())),
            },
        }
    }

    /// An integer field within `min..=max`.
    pub fn int(&self, field: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        let Some(v) = self.0.get(field) else {
            return Ok(None);
        };
        let n: i64 = v
            .parse()
            .map_err(|_| invalid(field, format!("must be a whole number, not {v:?}")))?;
        if !(min..=max).contains(&n) {
            return Err(invalid(field, format!("must be {min} to {max}, not {n}")));
        }
        Ok(Some(n))
    }

    /// A number of seconds within `0..=max`.
    pub fn seconds(&self, field: &str, max: f64) -> Result<Option<f64>, ApiError> {
        let Some(v) = self.0.get(field) else {
            return Ok(None);
        };
        match v.parse::<f64>() {
            Ok(s) if (0.0..=max).contains(&s) => Ok(Some(s)),
            _ => Err(invalid(
                field,
                format!("must be 0 to {max} seconds, not {v:?}"),
            )),
        }
    }

    /// Fails when a field other than `known` was given (a misspelt `form=`
    /// would otherwise silently mean the default).
    pub fn only(&self, known: &[&str]) -> Result<(), ApiError> {
        let mut unknown: Vec<&String> = self
            .0
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .collect();
        unknown.sort();
        match unknown.first() {
            None => Ok(()),
            Some(k) => Err(invalid(
                k,
                format!("not a field of this request (known: {})", known.join(", ")),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: ApiError) -> String {
        match e {
            ApiError::Invalid { field, .. } => field,
            other => panic!("not invalid: {other:?}"),
        }
    }

    #[test]
    fn fields_are_read_and_refused_by_name() {
        let p = Params::parse(Some("from=10&page=a%20b&wait=2.5")).unwrap();
        assert_eq!(p.int("from", 0, 100).unwrap(), Some(10));
        assert_eq!(p.text("page", 10).unwrap().as_deref(), Some("a b"));
        assert_eq!(p.seconds("wait", 10.0).unwrap(), Some(2.5));
        assert_eq!(p.int("to", 0, 100).unwrap(), None);
        assert_eq!(field_of(p.int("from", 20, 100).unwrap_err()), "from");
        assert_eq!(field_of(p.only(&["from", "page"]).unwrap_err()), "wait");
        let bad = Params::parse(Some("page=%00&from=x&wait=-1")).unwrap();
        assert_eq!(field_of(bad.text("page", 10).unwrap_err()), "page");
        assert_eq!(field_of(bad.int("from", 0, 1).unwrap_err()), "from");
        assert_eq!(field_of(bad.seconds("wait", 10.0).unwrap_err()), "wait");
        assert_eq!(field_of(Params::parse(Some("a=1&a=2")).err().unwrap()), "a");
    }
}
