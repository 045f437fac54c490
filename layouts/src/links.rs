//! Links to layouts, as people send them in chat and mail:
//!
//! - `tessera://layout/<id>?server=<url>` opens the layout in the workspace;
//! - `tessera://view/<id>?server=<url>` opens it in the locked viewer, which
//!   follows its owner's saves;
//! - `https://<server>/l/<id>` is the server's page for the layout, which
//!   offers the `tessera://` link (so a link survives tools that only
//!   linkify `https`); pasted or passed to the app it means the same.
//!
//! The server part says which Tessera server holds the layout; the app
//! checks that it is the one it is signed in to.
//!
//! ```
//! use tessera_layouts::links::LayoutLink;
//! let link = LayoutLink::parse("tessera://view/lay_abc?server=https%3A%2F%2Ftessera.example.com").unwrap();
//! assert_eq!(link.id, "lay_abc");
//! assert!(link.view);
//! assert_eq!(link.server.as_deref(), Some("https://tessera.example.com"));
//! assert_eq!(link.to_string(), "tessera://view/lay_abc?server=https%3A%2F%2Ftessera.example.com");
//! ```

use std::fmt;

/// Layout ids as routes accept them: short, URL-safe. Anything else is a 404.
pub fn plausible_layout_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A link to one layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutLink {
    pub id: String,
    /// Open in the locked viewer rather than the workspace.
    pub view: bool,
    /// The server holding the layout (`https://host[:port]`, no trailing
    /// slash), when the link says.
    pub server: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("{0:?} is not a Tessera link: expected tessera://layout/<id>, tessera://view/<id>, https://<server>/l/<id> or a layout id")]
    NotALink(String),
    #[error("{0:?} is not a layout id (1 to 64 of A-Z, a-z, 0-9, '_', '-')")]
    BadId(String),
    #[error("the link's server {0:?} is not an http(s) address")]
    BadServer(String),
}

/// `https://host[:port]` of a URL, or an error naming it.
fn origin(raw: &str) -> Result<String, LinkError> {
    let url = url::Url::parse(raw).map_err(|_| LinkError::BadServer(raw.to_owned()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(LinkError::BadServer(raw.to_owned()));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

impl LayoutLink {
    /// A link to `id` on `server`.
    pub fn new(id: &str, view: bool, server: Option<&str>) -> LayoutLink {
        LayoutLink {
            id: id.to_owned(),
            view,
            server: server.map(|s| s.trim_end_matches('/').to_owned()),
        }
    }

    /// Reads any of the forms above, or a bare layout id.
    pub fn parse(raw: &str) -> Result<LayoutLink, LinkError> {
        let raw = raw.trim();
        let not_a_link = || LinkError::NotALink(raw.to_owned());
        if !raw.contains(':') {
            return if plausible_layout_id(raw) {
                Ok(LayoutLink::new(raw, false, None))
            } else {
                Err(LinkError::BadId(raw.to_owned()))
            };
        }
        let url = url::Url::parse(raw).map_err(|_| not_a_link())?;
        let segments: Vec<&str> = url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        let (id, view, server) = match url.scheme() {
            "tessera" => {
                let view = match url.host_str() {
                    Some("layout") => false,
                    Some("view") => true,
                    _ => return Err(not_a_link()),
                };
                let server = url
                    .query_pairs()
                    .find(|(k, _)| k == "server")
                    .map(|(_, v)| origin(&v))
                    .transpose()?;
                let id = match segments.as_slice() {
                    [id] | [id, ""] => *id,
                    _ => return Err(not_a_link()),
                };
                (id.to_owned(), view, server)
            }
            "http" | "https" => {
                // `<server>/l/<id>`, the server possibly under a path prefix.
                let n = segments.len();
                if n < 2 || segments[n - 2] != "l" {
                    return Err(not_a_link());
                }
                let mut base = url.clone();
                base.set_query(None);
                base.set_fragment(None);
                base.path_segments_mut()
                    .map_err(|_| not_a_link())?
                    .pop()
                    .pop();
                let view = url.query_pairs().any(|(k, v)| k == "view" && v != "0");
                (
                    segments[n - 1].to_owned(),
                    view,
                    Some(origin(base.as_str())?),
                )
            }
            _ => return Err(not_a_link()),
        };
        let id = percent_decode(&id);
        if !plausible_layout_id(&id) {
            return Err(LinkError::BadId(id));
        }
        Ok(LayoutLink { id, view, server })
    }

    /// The server's web page for this layout (`<server>/l/<id>`), if the link names a server.
    pub fn web_url(&self) -> Option<String> {
        let server = self.server.as_deref()?;
        Some(format!(
            "{server}/l/{}{}",
            self.id,
            if self.view { "?view=1" } else { "" }
        ))
    }
}

/// Ids are URL-safe; an encoded one is decoded only to be checked (and refused).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

impl fmt::Display for LayoutLink {
    /// `tessera://layout/<id>` or `tessera://view/<id>`, with `?server=` when known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.view { "view" } else { "layout" };
        write!(f, "tessera://{kind}/{}", self.id)?;
        if let Some(server) = &self.server {
            let q: String = url::form_urlencoded::byte_serialize(server.as_bytes()).collect();
            write!(f, "?server={q}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_reads_back() {
        let on = |id: &str, view, server: &str| LayoutLink::new(id, view, Some(server));
        assert_eq!(
            LayoutLink::parse("tessera://layout/lay_1?server=http://10.0.0.5:7410/").unwrap(),
            on("lay_1", false, "http://10.0.0.5:7410")
        );
        assert_eq!(
            LayoutLink::parse(" https://tessera.example.com/l/lay_2 ").unwrap(),
            on("lay_2", false, "https://tessera.example.com")
        );
        assert_eq!(
            LayoutLink::parse("https://corp.example.com/tessera/l/lay_3?view=1").unwrap(),
            on("lay_3", true, "https://corp.example.com/tessera")
        );
        assert_eq!(
            LayoutLink::parse("lay_4").unwrap(),
            LayoutLink::new("lay_4", false, None)
        );
        assert_eq!(
            LayoutLink::parse("tessera://view/lay_5/").unwrap(),
            LayoutLink::new("lay_5", true, None)
        );
        for link in [
            on("lay_6", true, "https://t.example.com:8443"),
            LayoutLink::new("lay_7", false, None),
        ] {
            assert_eq!(LayoutLink::parse(&link.to_string()).unwrap(), link);
            if let Some(web) = link.web_url() {
                assert_eq!(LayoutLink::parse(&web).unwrap(), link);
            }
        }
    }

    #[test]
    fn what_is_not_a_layout_link_says_so() {
        for bad in [
            "tessera://invite/tsi_x?server=http://a",
            "tessera://layout/a/b",
            "https://example.com/layouts/lay_1",
            "mailto:someone@example.com",
        ] {
            assert!(
                matches!(LayoutLink::parse(bad), Err(LinkError::NotALink(_))),
                "{bad}"
            );
        }
        for bad in [
            "../etc",
            "tessera://layout/%2E%2E%2Fetc",
            "tessera://layout/a%20b",
        ] {
            assert!(
                matches!(LayoutLink::parse(bad), Err(LinkError::BadId(_))),
                "{bad}: {:?}",
                LayoutLink::parse(bad)
            );
        }
        assert!(matches!(
            LayoutLink::parse("tessera://layout/lay_1?server=ftp://x"),
            Err(LinkError::BadServer(_))
        ));
    }
}
