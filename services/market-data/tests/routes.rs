//! The market-data routes through the router (oneshot), at a fixed time so
//! the values are known.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tessera_market_data::instruments::find;
use tessera_market_data::market::Market;
use tessera_market_data::{http, prices};
use tower::ServiceExt;

/// 2025-12-01T12:00:00Z, a Monday.
const T: i64 = 1_764_590_400;

async fn get(market: &Arc<Market>, uri: &str) -> (StatusCode, Value) {
    let resp = http::router(market.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn instruments_quote_the_last_tick_against_the_previous_close() {
    let m = Arc::new(Market::new(T));
    let (status, body) = get(&m, "/instruments").await;
    assert_eq!(status, StatusCode::OK);
    let list = body["instruments"].as_array().unwrap();
    assert_eq!(list.len(), 8);
    let aapl = &list[0];
    let a = find("AAPL").unwrap();
    assert_eq!(aapl["symbol"], "AAPL");
    assert_eq!(aapl["name"], "Apple Inc.");
    assert_eq!(aapl["last"].as_f64().unwrap(), prices::price_at(a, T));
    assert_eq!(
        aapl["previous_close"].as_f64().unwrap(),
        prices::previous_close(a, T)
    );
    let pct = aapl["change_pct"].as_f64().unwrap();
    let want = (prices::price_at(a, T) / prices::previous_close(a, T) - 1.0) * 100.0;
    assert!((pct - want).abs() < 0.006, "{pct} vs {want}");
    assert_eq!(aapl["time"], "2025-12-01T12:00:00Z");
}

#[tokio::test]
async fn details_add_the_session_and_the_company_and_unknown_symbols_are_404() {
    let m = Arc::new(Market::new(T));
    let (status, d) = get(&m, "/instruments/nvda").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(d["symbol"], "NVDA");
    assert_eq!(d["isin"], "US67066G1040");
    let (open, high, low, last) = (
        d["open"].as_f64().unwrap(),
        d["high"].as_f64().unwrap(),
        d["low"].as_f64().unwrap(),
        d["last"].as_f64().unwrap(),
    );
    assert!(low <= open.min(last) && high >= open.max(last), "{d}");
    assert_eq!(d["volume"].as_u64().unwrap(), (24.5e9 * 0.004 * 0.5) as u64);

    let (status, e) = get(&m, "/instruments/XXX").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(e["code"], "not_found");
    assert!(e["message"].as_str().unwrap().contains("AAPL"), "{e}");
}

#[tokio::test]
async fn history_is_the_days_before_today_and_bad_ranges_name_the_field() {
    let m = Arc::new(Market::new(T));
    let (status, h) = get(&m, "/history/AAPL?days=5").await;
    assert_eq!(status, StatusCode::OK);
    let bars = h["bars"].as_array().unwrap();
    let dates: Vec<&str> = bars.iter().map(|b| b["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        [
            "2025-11-24",
            "2025-11-25",
            "2025-11-26",
            "2025-11-27",
            "2025-11-28"
        ]
    );
    let a = find("AAPL").unwrap();
    assert_eq!(
        bars[4]["close"].as_f64().unwrap(),
        prices::previous_close(a, T)
    );
    assert_eq!(
        get(&m, "/history/AAPL").await.1["bars"]
            .as_array()
            .unwrap()
            .len(),
        120
    );
    for bad in ["/history/AAPL?days=0", "/history/AAPL?days=1001"] {
        let (status, e) = get(&m, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(e["field"], "days");
    }
}

#[tokio::test]
async fn ticks_are_long_polled_from_a_seq() {
    let m = Arc::new(Market::new(T));
    let (_, snap) = get(&m, "/ticks").await;
    assert_eq!(snap["seq"], 8);
    assert_eq!(snap["ticks"].as_array().unwrap().len(), 8);

    // Nothing new: the poll waits for the next second's ticks.
    let poll = {
        let m = m.clone();
        tokio::spawn(async move { get(&m, "/ticks?after=8&wait=10").await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    m.advance(T + 1);
    let (status, next) = poll.await.unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(next["seq"], 16);
    let ticks = next["ticks"].as_array().unwrap();
    assert_eq!(ticks.len(), 8);
    let msft = ticks.iter().find(|t| t["symbol"] == "MSFT").unwrap();
    assert_eq!(
        msft["price"].as_f64().unwrap(),
        prices::price_at(find("MSFT").unwrap(), T + 1)
    );
    assert_eq!(
        get(&m, "/ticks?after=16&wait=11").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn the_stream_sends_each_tick_as_an_event() {
    let m = Arc::new(Market::new(T));
    let resp = http::router(m.clone())
        .oneshot(Request::get("/stream").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let mut body = resp.into_body();
    m.advance(T + 1);
    let mut text = String::new();
    while text.matches("event: tick").count() < 8 {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("a tick in time")
            .unwrap()
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
    }
    assert!(text.contains("id: 9\n"), "{text}");
    assert!(text.contains("\"symbol\":\"AAPL\""), "{text}");
}
