//! Which headers a proxy passes on: the sidecar's `/api` forwarding and the
//! server's gateway share this rule.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1).
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// The headers of `headers` for the next hop: none that is hop-by-hop (nor
/// any `Connection` names), nor `host`, nor any of `drop` (lowercase).
pub fn end_to_end(headers: &HeaderMap, drop: &[&str]) -> Vec<(HeaderName, HeaderValue)> {
    let named: Vec<String> = headers
        .get_all("connection")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(|s| s.trim().to_ascii_lowercase()))
        .collect();
    headers
        .iter()
        .filter(|(name, _)| {
            let n = name.as_str();
            !HOP_BY_HOP.contains(&n)
                && n != "host"
                && !drop.contains(&n)
                && !named.iter().any(|x| x == n)
        })
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_named_and_dropped_headers_stay_behind() {
        let mut h = HeaderMap::new();
        for (k, v) in [
            ("connection", "x-hop"),
            ("x-hop", "1"),
            ("keep-alive", "5"),
            ("host", "a"),
            ("x-secret", "s"),
            ("accept", "text/plain"),
        ] {
            h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        let kept: Vec<String> = end_to_end(&h, &["x-secret"])
            .into_iter()
            .map(|(n, _)| n.to_string())
            .collect();
        assert_eq!(kept, ["accept"]);
    }
}
