//! The tracker's routes through the router, on both engines: a real SQLite
//! file and a real Postgres (the harness's throwaway server, or
//! `DATABASE_URL`). The seeded hits are deterministic, so counts are
//! checked against the same hits counted here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tessera_testkit::http::json_of;
use tessera_tracker::range::{DAY, HOUR, MINUTE};
use tessera_tracker::recorder::Recorder;
use tessera_tracker::store::Store;
use tessera_tracker::{http, seed};
use tower::ServiceExt;

/// A fixed end for the seeded hits: 2026-11-30T00:00:00Z.
const END: i64 = 1_796_083_200_000;

struct Engine {
    router: Router,
    recorder: Recorder,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Engine {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("tracker.db").display());
    engine(&url, Some(dir)).await
}

async fn postgres() -> Engine {
    let url = tessera_testkit::pg::fresh_database().await;
    engine(&url, None).await
}

async fn engine(url: &str, dir: Option<tempfile::TempDir>) -> Engine {
    let store = Store::connect(url).await.unwrap();
    let recorder = Recorder::start(store).await.unwrap();
    Engine {
        router: http::router(recorder.clone()),
        recorder,
        _dir: dir,
    }
}

async fn both() -> [Engine; 2] {
    [sqlite().await, postgres().await]
}

impl Engine {
    fn name(&self) -> &'static str {
        self.recorder.store().engine()
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, Vec<u8>, Option<String>) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let ct = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, bytes.to_vec(), ct)
    }

    async fn get(&self, uri: &str) -> (StatusCode, Value) {
        let (status, bytes, _) = self
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        (status, json_of(&bytes.into()))
    }

    async fn ok(&self, uri: &str) -> Value {
        let (status, body) = self.get(uri).await;
        assert_eq!(status, StatusCode::OK, "{} {uri}: {body}", self.name());
        body
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn a_pixel_load_is_a_hit_with_its_page_referrer_browser_and_user() {
    for e in both().await {
        let before = now_ms();
        let req = Request::get("/pixel.gif?page=markets%2Foverview")
            .header("referer", "https://intranet.example/home")
            .header("user-agent", "Mozilla/5.0 Test")
            .header("x-tessera-user", "alice")
            .body(Body::empty())
            .unwrap();
        let (status, body, ct) = e.send(req).await;
        assert_eq!(status, StatusCode::OK, "{}", e.name());
        assert_eq!(ct.as_deref(), Some("image/gif"));
        assert_eq!(&body[..6], b"GIF89a");
        assert_eq!((body[6], body[8]), (1, 1), "1×1");

        // A second, from outside Tessera, naming its referrer itself.
        e.ok("/pixel.gif?page=home&ref=https%3A%2F%2Fexample.org%2F")
            .await;

        let live = e.ok("/hits/live?after=0").await;
        let hits = live["hits"].as_array().unwrap();
        assert_eq!(hits.len(), 2, "{}: {live}", e.name());
        let h = &hits[0];
        assert_eq!(h["page"], "markets/overview");
        assert_eq!(h["referrer"], "https://intranet.example/home");
        assert_eq!(h["user_agent"], "Mozilla/5.0 Test");
        assert_eq!(h["user"], "alice");
        let at = h["at"].as_i64().unwrap();
        assert!(at >= before && at <= now_ms(), "{at}");
        assert_eq!(hits[1]["referrer"], "https://example.org/");
        assert_eq!(hits[1]["user"], Value::Null);
        assert_eq!(live["last"], hits[1]["id"]);

        // Counted where they happened.
        let (from, to) = (before - HOUR, now_ms() + 1);
        let hist = e.ok(&format!("/hits/histogram?from={from}&to={to}")).await;
        assert_eq!(hist["total"], 2);
        let pages = e.ok(&format!("/hits/pages?from={from}&to={to}")).await;
        assert_eq!(pages["pages"].as_array().unwrap().len(), 2);
        // Without `after`: where to follow from.
        assert_eq!(e.ok("/hits/live").await["last"], live["last"]);
    }
}

/// Hits per bucket of `hits` as the service should count them.
fn reference(
    hits: &[tessera_tracker::hit::NewHit],
    start: i64,
    size: i64,
    count: i64,
    page: Option<&str>,
) -> Vec<i64> {
    let mut out = vec![0; count as usize];
    for h in hits {
        if page.is_some_and(|p| p != h.page) {
            continue;
        }
        let i = (h.at - start).div_euclid(size);
        if (0..count).contains(&i) {
            out[i as usize] += 1;
        }
    }
    out
}

#[tokio::test]
async fn histograms_and_top_pages_count_exactly_what_was_stored_on_both_engines() {
    let hits = seed::hits(20_000, 7, END, 7);
    let mut answers = Vec::new();
    for e in both().await {
        seed::seed(e.recorder.store(), 20_000, 7, END, 7)
            .await
            .unwrap();
        // A day, buckets chosen by the service (15 minutes), from a time
        // that is not on a bucket boundary.
        let (from, to) = (END - DAY - 7 * MINUTE, END - 7 * MINUTE);
        let h = e.ok(&format!("/hits/histogram?from={from}&to={to}")).await;
        assert_eq!(h["bucket_ms"], 15 * MINUTE, "{}", e.name());
        let start = h["buckets"][0]["start"].as_i64().unwrap();
        assert_eq!(start % (15 * MINUTE), 0, "aligned");
        assert!(start <= from);
        let counts: Vec<i64> = h["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["count"].as_i64().unwrap())
            .collect();
        let want = reference(&hits, start, 15 * MINUTE, counts.len() as i64, None);
        assert_eq!(counts, want, "{}", e.name());
        assert_eq!(h["total"].as_i64().unwrap(), want.iter().sum::<i64>());
        assert!(h["total"].as_i64().unwrap() > 1000);

        // One page, hour buckets asked for.
        let page = e
            .ok(&format!(
                "/hits/histogram?from={}&to={END}&bucket={HOUR}&page=research%2Fdaily",
                END - 2 * DAY
            ))
            .await;
        let counts: Vec<i64> = page["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["count"].as_i64().unwrap())
            .collect();
        assert_eq!(counts.len(), 48);
        assert_eq!(
            counts,
            reference(&hits, END - 2 * DAY, HOUR, 48, Some("research/daily")),
            "{}",
            e.name()
        );

        // Top pages over the week: most first, the same counts as here.
        let top = e
            .ok(&format!(
                "/hits/pages?from={}&to={END}&limit=3",
                END - 7 * DAY
            ))
            .await;
        let top = top["pages"].as_array().unwrap().clone();
        assert_eq!(top.len(), 3);
        assert_eq!(top[0]["page"], "home", "{}", e.name());
        for p in &top {
            let name = p["page"].as_str().unwrap();
            let n = hits.iter().filter(|h| h.page == name).count() as i64;
            assert_eq!(p["hits"].as_i64().unwrap(), n, "{name}");
        }
        // Buckets that are not whole minutes (90 s) count hits themselves:
        // the same counts as here too.
        let (from, to) = (END - 3 * HOUR, END - HOUR);
        let raw = e
            .ok(&format!("/hits/histogram?from={from}&to={to}&bucket=90000"))
            .await;
        let counts: Vec<i64> = raw["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["count"].as_i64().unwrap())
            .collect();
        let start = raw["buckets"][0]["start"].as_i64().unwrap();
        assert_eq!(
            counts,
            reference(&hits, start, 90_000, counts.len() as i64, None)
        );

        // Top pages over ranges with part minutes at both ends (whole
        // minutes from the per-minute counts, the ends from the hits), and
        // within one minute (the hits alone).
        for (from, to) in [
            (END - 2 * DAY + 13_000, END - DAY - 29_000),
            (END - 12 * HOUR + 1_000, END - 12 * HOUR + 50_000),
        ] {
            let got = e
                .ok(&format!("/hits/pages?from={from}&to={to}&limit=100"))
                .await;
            let mut want: std::collections::BTreeMap<&str, i64> = Default::default();
            for h in hits.iter().filter(|h| h.at >= from && h.at < to) {
                *want.entry(h.page.as_str()).or_default() += 1;
            }
            let got: std::collections::BTreeMap<&str, i64> = got["pages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p["page"].as_str().unwrap(), p["hits"].as_i64().unwrap()))
                .collect();
            assert_eq!(got, want, "{} {from}..{to}", e.name());
        }
        answers.push((h, top));
    }
    assert_eq!(answers[0], answers[1], "the engines agree");
}

#[tokio::test]
async fn the_live_feed_waits_for_the_next_hit_and_a_burst_is_stored_whole() {
    for e in both().await {
        let last = e.ok("/hits/live").await["last"].as_i64().unwrap();
        // A long poll, answered by a hit recorded while it waits.
        let poll = {
            let e_router = e.router.clone();
            tokio::spawn(async move {
                let resp = e_router
                    .oneshot(
                        Request::get(format!("/hits/live?after={last}&wait=10"))
                            .body(Body::empty())
                            .unwrap(),
                    )
                    .await
                    .unwrap();
                let bytes = resp.into_body().collect().await.unwrap().to_bytes();
                json_of(&bytes)
            })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!poll.is_finished(), "{}: answered before any hit", e.name());
        e.ok("/pixel.gif?page=waited-for").await;
        let got = tokio::time::timeout(Duration::from_secs(5), poll)
            .await
            .expect("the poll answered once the hit was stored")
            .unwrap();
        assert_eq!(got["hits"][0]["page"], "waited-for", "{}", e.name());

        // 300 pixels at once: every one stored once, in id order on the feed.
        let after = got["last"].as_i64().unwrap();
        let loads = (0..300).map(|i| {
            let r = e.router.clone();
            async move {
                r.oneshot(
                    Request::get(format!("/pixel.gif?page=burst-{i}"))
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap()
                .status()
            }
        });
        let statuses = futures_util::future::join_all(loads).await;
        assert!(statuses.iter().all(|s| *s == StatusCode::OK));
        let feed = e.ok(&format!("/hits/live?after={after}")).await;
        let hits = feed["hits"].as_array().unwrap();
        assert_eq!(hits.len(), 300, "{}", e.name());
        let mut pages: Vec<&str> = hits.iter().map(|h| h["page"].as_str().unwrap()).collect();
        pages.sort();
        pages.dedup();
        assert_eq!(pages.len(), 300, "each hit once");
        let ids: Vec<i64> = hits.iter().map(|h| h["id"].as_i64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(feed["last"], *ids.last().unwrap());
    }
}

#[tokio::test]
async fn bad_requests_name_their_field_and_store_nothing_on_both_engines() {
    for e in both().await {
        let cases = [
            ("/pixel.gif", "page"),
            ("/pixel.gif?page=", "page"),
            ("/pixel.gif?page=a%00b", "page"),
            ("/pixel.gif?page=ok&ref=x%0Ay", "ref"),
            ("/pixel.gif?page=ok&pgae=typo", "pgae"),
            ("/pixel.gif?page=a&page=b", "page"),
            ("/hits/histogram?from=10", "to"),
            ("/hits/histogram?from=abc&to=10", "from"),
            ("/hits/histogram?from=20&to=10", "to"),
            ("/hits/histogram?from=0&to=86400000&bucket=1000", "bucket"),
            ("/hits/histogram?from=0&to=10&page=%00", "page"),
            ("/hits/pages?from=0&to=10&limit=0", "limit"),
            ("/hits/live?after=-1", "after"),
            ("/hits/live?after=0&wait=11", "wait"),
        ];
        for (uri, field) in cases {
            let (status, body) = e.get(uri).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{} {uri}: {body}",
                e.name()
            );
            assert_eq!(body["field"], field, "{uri}: {body}");
            assert!(
                body["message"].as_str().unwrap().starts_with(field),
                "{uri}: {body}"
            );
        }
        assert_eq!(
            e.ok("/hits/live").await["last"],
            0,
            "{}: nothing stored",
            e.name()
        );
        let (status, body) = e.get("/nowhere").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["code"], "not_found");
        let (status, bytes, _) = e
            .send(Request::post("/pixel.gif").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(json_of(&bytes.into())["code"], "method_not_allowed");
    }
}

#[tokio::test]
async fn hits_outlive_the_service() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    for url in [url, tessera_testkit::pg::fresh_database().await] {
        let e = engine(&url, None).await;
        e.ok("/pixel.gif?page=kept").await;
        let last = e.recorder.last();
        drop(e);
        let again = engine(&url, None).await;
        assert_eq!(again.recorder.last(), last);
        let feed = again.ok("/hits/live?after=0").await;
        assert_eq!(feed["hits"][0]["page"], "kept");
    }
}
