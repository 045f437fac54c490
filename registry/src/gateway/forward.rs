//! `/v1/widgets/{id}/api/*`: a widget's own backend, through the server.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::api::{GROUPS_HEADER, SIDECAR_KEY_HEADER, USER_HEADER};
use crate::http::{ApiError, AppState};

/// What never passes from a desktop to a widget's backend: the user's
/// token and cookies (the backend learns who is calling from the headers
/// the server sets), and anything claiming to be those headers.
const NEVER_FORWARDED: [&str; 5] = [
    "authorization",
    "cookie",
    SIDECAR_KEY_HEADER,
    USER_HEADER,
    GROUPS_HEADER,
];

/// The headers of `headers` that go on to the next hop.
pub fn end_to_end(headers: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    crate::hop::end_to_end(headers, &NEVER_FORWARDED)
}

/// Forwards one call to the widget's sidecar (which passes it to the
/// widget's backend), streaming the body both ways (Server-Sent Events
/// included), for signed-in users under their rate limit.
#[utoipa::path(get, path = "/v1/widgets/{id}/api/{rest}", tag = "gateway",
    params(("id" = String, Path, description = "Widget id"),
        ("rest" = String, Path, description = "The path under the widget's /api")),
    security(("user_token" = [])),
    responses(
        (status = 200, description = "Whatever the widget's backend answers (any method is forwarded; x-tessera-user and x-tessera-groups name the caller)"),
        (status = 401, body = crate::api::ErrorBody),
        (status = 404, description = "No such widget, or it has no backend", body = crate::api::ErrorBody),
        (status = 429, body = crate::api::ErrorBody),
        (status = 502, description = "The sidecar is unreachable", body = crate::api::ErrorBody)))]
pub async fn forward_api(State(state): State<AppState>, req: Request) -> Response {
    match forward(state, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn forward(state: AppState, req: Request) -> Result<Response, ApiError> {
    let (mut parts, body) = req.into_parts();
    let Some(accounts) = &state.accounts else {
        return Err(ApiError::Unauthorized("this server has no users".into()));
    };
    // Signed in, and charged against the per-user budget.
    let user = match <tessera_accounts::CurrentUser as axum::extract::FromRequestParts<_>>::from_request_parts(&mut parts, accounts).await {
        Ok(u) => u.0,
        Err(e) => return Ok(e.into_response()),
    };
    // The route is /v1/widgets/{id}/api[/{*rest}].
    let raw = parts.uri.path().to_owned();
    let after = raw.strip_prefix("/v1/widgets/").unwrap_or_default();
    let (raw_id, rest) = after.split_once("/api").unwrap_or((after, ""));
    let id = percent_encoding::percent_decode_str(raw_id)
        .decode_utf8()
        .ok()
        .filter(|id| !id.contains('\0'))
        .ok_or_else(|| ApiError::NotFound(format!("nothing at {raw}: the id is not valid text")))?
        .into_owned();
    let route = state.gateway.route(&state, &id).await?;
    let widget = &route.widget;
    if !widget.api {
        return Err(ApiError::NotFound(format!(
            "{id} has no backend (its widget.toml names none)"
        )));
    }
    let mut target = url::Url::parse(&widget.base_url).map_err(|_| {
        ApiError::BadGateway(format!("the registered address of {id} is not a URL"))
    })?;
    target.set_path(&format!(
        "{}/api{}",
        target.path().trim_end_matches('/'),
        rest
    ));
    target.set_query(parts.uri.query());

    let groups = accounts.store().groups_of(user.id).await.map_err(|e| {
        tracing::error!(error = %e, "reading a user's groups");
        ApiError::Internal
    })?;
    let key = route.key.clone();
    let mut out = state.gateway.http.request(parts.method.clone(), target);
    for (name, value) in end_to_end(&parts.headers) {
        out = out.header(name, value);
    }
    if let Some(key) = key {
        out = out.header(SIDECAR_KEY_HEADER, key);
    }
    out = out
        .header(USER_HEADER, &user.name)
        .header(GROUPS_HEADER, groups.join(","));
    let body = reqwest::Body::wrap_stream(body.into_data_stream());
    let resp = out.body(body).send().await.map_err(|e| {
        tracing::warn!(widget = %id, error = %e, "widget backend unreachable");
        ApiError::BadGateway(format!(
            "the sidecar of {id} is unreachable: {}",
            crate::report::error_chain(&e)
        ))
    })?;
    let mut builder = Response::builder().status(resp.status());
    for (name, value) in end_to_end(resp.headers()) {
        builder = builder.header(name, value);
    }
    builder
        .body(Body::from_stream(resp.bytes_stream()))
        .map_err(|_| {
            ApiError::BadGateway(format!("the backend of {id} answered unreadable headers"))
        })
}
