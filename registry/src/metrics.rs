//! Prometheus metrics: requests by route and status, latency, widgets by
//! state, watchers, heartbeats.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub widgets: IntGaugeVec,
    pub watchers: IntGauge,
    pub heartbeats: IntCounter,
    /// Widget files served through the server, by where they came from.
    pub gateway_files: IntCounterVec,
    /// Bytes of widget files read from sidecars.
    pub gateway_sidecar_bytes: IntCounter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "tessera_http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "tessera_http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
            &["route"],
        )
        .expect("valid metric");
        let widgets = IntGaugeVec::new(
            Opts::new("tessera_widgets", "Registered widgets by state"),
            &["state"],
        )
        .expect("valid metric");
        let watchers =
            IntGauge::new("tessera_watchers", "Open watch streams").expect("valid metric");
        let heartbeats = IntCounter::new("tessera_heartbeats_total", "Heartbeats accepted")
            .expect("valid metric");
        let gateway_files = IntCounterVec::new(
            Opts::new(
                "tessera_gateway_files_total",
                "Widget files served through the server: cached, fetched (from the sidecar) or refused (integrity)",
            ),
            &["result"],
        )
        .expect("valid metric");
        let gateway_sidecar_bytes = IntCounter::new(
            "tessera_gateway_sidecar_bytes_total",
            "Bytes of widget files read from sidecars",
        )
        .expect("valid metric");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(widgets.clone()),
            Box::new(watchers.clone()),
            Box::new(heartbeats.clone()),
            Box::new(gateway_files.clone()),
            Box::new(gateway_sidecar_bytes.clone()),
        ] {
            registry.register(c).expect("metric names are unique");
        }
        Metrics {
            registry,
            requests,
            latency,
            widgets,
            watchers,
            heartbeats,
            gateway_files,
            gateway_sidecar_bytes,
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("text encoding of gathered metrics");
        String::from_utf8(buf).expect("Prometheus text is UTF-8")
    }
}

/// Counts and times each request under its matched route (never the raw path).
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    req: Request,
    next: Next,
) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let resp = next.run(req).await;
    metrics
        .latency
        .with_label_values(&[&route])
        .observe(started.elapsed().as_secs_f64());
    metrics
        .requests
        .with_label_values(&[&route, &method, resp.status().as_str()])
        .inc();
    resp
}
