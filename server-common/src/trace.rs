//! One tracing span per request, with its method and its route (the
//! pattern, `/v1/layouts/{id}`, never the ids themselves).

use axum::extract::MatchedPath;
use axum::http::Request;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::TraceLayer;
use tracing::Span;

/// The span of one request.
pub fn request_span<B>(req: &Request<B>) -> Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    tracing::info_span!("request", method = %req.method(), route = %route)
}

/// Makes the span of a request.
pub type MakeSpan<B> = fn(&Request<B>) -> Span;

/// The tracing layer of the server's routers.
pub type Layer<B> = TraceLayer<SharedClassifier<ServerErrorsAsFailures>, MakeSpan<B>>;

/// The layer every router of the server wears.
pub fn layer<B>() -> Layer<B> {
    TraceLayer::new_for_http().make_span_with(request_span::<B> as MakeSpan<B>)
}
