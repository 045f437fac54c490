//! `GET /l/{id}`: the web page a layout's link opens in a browser. Links
//! travel in chat and mail, whose tools make `https` addresses clickable but
//! not `tessera://`; this page offers the `tessera://` link that opens the
//! layout in the app. It names the layout only to a caller who may see it
//! (a browser sends no token, so it gets the page without the title); to
//! anyone else it is the same page whether the layout exists or not.

use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};

use crate::links::{plausible_layout_id, LayoutLink};
use crate::service::LayoutsState;

use tessera_server_common::html::escape_html;

#[derive(serde::Deserialize)]
pub(super) struct PageQuery {
    #[serde(default)]
    view: Option<String>,
}

/// This server's address as the caller reached it: `X-Forwarded-Proto` (a
/// TLS proxy in front sets it) or http, and `X-Forwarded-Host` or `Host`.
fn server_url(headers: &HeaderMap) -> Option<String> {
    let value = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let proto = value("x-forwarded-proto").unwrap_or("http");
    let host = value("x-forwarded-host").or_else(|| value(header::HOST.as_str()))?;
    let url = url::Url::parse(&format!("{proto}://{host}")).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.as_str().trim_end_matches('/').to_owned())
}

#[utoipa::path(get, path = "/l/{id}", operation_id = "layout_link_page", tag = "layouts",
    security((), ("user_token" = [])),
    params(("id" = String, Path, description = "The layout's id"),
           ("view" = Option<String>, Query, description = "`1`: the link opens the locked viewer")),
    responses(
        (status = 200, description = "An HTML page offering the layout's `tessera://` link; it names the layout only when the request's bearer token may see it", content_type = "text/html"),
        (status = 404, description = "An HTML page: the address names no layout (not a layout id)", content_type = "text/html")))]
pub(super) async fn page(
    State(state): State<LayoutsState>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    parts: Parts,
) -> Response {
    let view = q.view.is_some_and(|v| v != "0");
    let server = server_url(&parts.headers);
    if !plausible_layout_id(&id) {
        return (
            axum::http::StatusCode::NOT_FOUND,
            Html(render(
                None,
                None,
                "Not a layout link",
                "This address does not name a Tessera layout.",
            )),
        )
            .into_response();
    }
    let link = LayoutLink::new(&id, view, server.as_deref());
    // Only a caller who may see the layout learns its title.
    let named = match super::auth::bearer(&parts.headers) {
        Some(_) => match super::auth::authenticate(&parts, state.accounts()).await {
            Ok(user) => state.get(&user, &id).await.ok().map(|l| l.summary),
            Err(_) => None,
        },
        None => None,
    };
    let (title, lead) = match &named {
        Some(s) => (
            format!("“{}”", s.title),
            format!("A layout by {}, version {}.", s.owner, s.version),
        ),
        None => (
            "A Tessera layout".to_owned(),
            "Someone sent you a layout. Open it in Tessera, where you are signed in; \
             if it is not shared with you, Tessera says so."
                .to_owned(),
        ),
    };
    Html(render(Some(&link), server.as_deref(), &title, &lead)).into_response()
}

fn render(link: Option<&LayoutLink>, server: Option<&str>, title: &str, lead: &str) -> String {
    let actions = match link {
        Some(link) => {
            let view = LayoutLink {
                view: true,
                ..link.clone()
            };
            let edit = LayoutLink {
                view: false,
                ..link.clone()
            };
            let (first, second) = if link.view {
                (&view, &edit)
            } else {
                (&edit, &view)
            };
            let label = |l: &LayoutLink| {
                if l.view {
                    "Open read-only"
                } else {
                    "Open in Tessera"
                }
            };
            format!(
                r#"<p class="actions"><a class="primary" id="open" href="{a}">{la}</a> <a href="{b}">{lb}</a></p>
<p class="small">Or paste this link into Tessera (Open layout…): <code id="link">{a}</code></p>
<p class="small">No Tessera yet? Install it from your IT department's software centre (the <code>tessera</code> package), sign in to <code>{server}</code>, then click the link again.</p>"#,
                a = escape_html(&first.to_string()),
                la = label(first),
                b = escape_html(&second.to_string()),
                lb = label(second),
                server = escape_html(server.unwrap_or("this server")),
            )
        }
        None => String::new(),
    };
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex">
<title>{t} · Tessera</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: #f3f4f6; color: #111827; }}
main {{ background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 2rem 2.25rem; max-width: 34rem; box-shadow: 0 12px 32px rgba(0,0,0,.08); }}
h1 {{ font-size: 1.35rem; margin: 0 0 .5rem; }}
p {{ color: #374151; line-height: 1.45; }}
.actions a {{ display: inline-block; margin: .5rem .5rem 0 0; padding: .55rem 1rem; border-radius: 6px; border: 1px solid #d1d5db; color: #111827; text-decoration: none; }}
.actions a.primary {{ background: #2563eb; border-color: #2563eb; color: #fff; }}
.small {{ font-size: .85rem; color: #6b7280; }}
code {{ word-break: break-all; }}
</style></head>
<body><main>
<h1>{t}</h1>
<p>{l}</p>
{actions}
</main></body></html>
"#,
        t = escape_html(title),
        l = escape_html(lead),
    )
}
