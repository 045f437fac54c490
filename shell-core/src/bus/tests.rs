//! The bus's rules, one test each, without a window.

use serde_json::{json, Value};

use super::protocol::{Candidate, Op, Outgoing, ToPanel, ToShell};
use super::*;

pub(super) fn ctx(ty: &str, ticker: &str) -> Value {
    json!({"type": ty, "id": {"ticker": ticker}})
}

/// A bus with attached panels: (panel, widget, window, channel).
pub(super) fn bus_with(panels: &[(&str, &str, &str, Option<&str>)]) -> Bus {
    let mut bus = Bus::default();
    for (p, w, win, ch) in panels {
        bus.register_panel(p, w, win, ch.map(str::to_owned));
        bus.call(p, 0, Op::Hello);
    }
    bus
}

fn listen(bus: &mut Bus, panel: &str, listener: &str, ty: Option<&str>) -> Vec<Outgoing> {
    bus.call(
        panel,
        1,
        Op::AddContextListener {
            listener: listener.into(),
            context_type: ty.map(str::to_owned),
            channel: None,
        },
    )
}

fn broadcast(bus: &mut Bus, panel: &str, c: Value) -> Vec<Outgoing> {
    bus.call(
        panel,
        2,
        Op::Broadcast {
            channel: None,
            context: c,
        },
    )
}

/// Contexts delivered: (panel, listener, ticker).
fn contexts(out: &[Outgoing]) -> Vec<(String, String, String)> {
    out.iter()
        .filter_map(|m| match m {
            Outgoing::Panel {
                panel,
                msg: ToPanel::Context {
                    listener, context, ..
                },
                ..
            } => Some((
                panel.clone(),
                listener.clone(),
                context["id"]["ticker"].as_str().unwrap_or("").to_owned(),
            )),
            _ => None,
        })
        .collect()
}

pub(super) fn response(out: &[Outgoing], id: u64) -> (Option<Value>, Option<&'static str>) {
    out.iter()
        .find_map(|m| match m {
            Outgoing::Panel {
                msg:
                    ToPanel::Response {
                        id: i,
                        result,
                        error,
                    },
                ..
            } if *i == id => Some((result.clone(), *error)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no response {id} in {out:?}"))
}

#[test]
fn the_six_colour_channels_with_metadata() {
    let mut bus = bus_with(&[("a", "w.a", "main", None)]);
    let out = bus.call("a", 7, Op::GetUserChannels);
    let (chans, _) = response(&out, 7);
    let ids: Vec<&str> = chans
        .as_ref()
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["red", "orange", "yellow", "green", "blue", "purple"]);
    let red = &chans.unwrap()[0];
    assert_eq!(red["type"], "user");
    assert_eq!(red["displayMetadata"]["name"], "Red");
    assert!(red["displayMetadata"]["color"]
        .as_str()
        .unwrap()
        .starts_with('#'));
}

#[test]
fn a_broadcast_reaches_only_its_channel_and_never_its_sender() {
    let mut bus = bus_with(&[
        ("a", "w.table", "main", Some("red")),
        ("b", "w.chart", "main", Some("red")),
        ("c", "w.chart", "main", Some("blue")),
        ("d", "w.chart", "main", None),
    ]);
    for p in ["a", "b", "c", "d"] {
        listen(&mut bus, p, "l", None);
    }
    let out = broadcast(&mut bus, "a", ctx("fdc3.instrument", "AAPL"));
    assert_eq!(
        contexts(&out),
        [("b".to_owned(), "l".to_owned(), "AAPL".to_owned())]
    );
}

#[test]
fn listeners_filter_by_type() {
    let mut bus = bus_with(&[
        ("a", "w.a", "main", Some("red")),
        ("b", "w.b", "main", Some("red")),
    ]);
    listen(&mut bus, "b", "inst", Some("fdc3.instrument"));
    listen(&mut bus, "b", "any", None);
    let out = broadcast(&mut bus, "a", ctx("fdc3.contact", "x"));
    let got: Vec<String> = contexts(&out).into_iter().map(|(_, l, _)| l).collect();
    assert_eq!(
        got,
        ["any"],
        "a contact reaches the catch-all listener only"
    );
}

#[test]
fn a_late_joiner_gets_the_current_context_of_each_type_it_listens_to() {
    let mut bus = bus_with(&[
        ("a", "w.a", "main", Some("red")),
        ("b", "w.b", "main", None),
    ]);
    broadcast(&mut bus, "a", ctx("fdc3.instrument", "MSFT"));
    broadcast(&mut bus, "a", ctx("fdc3.contact", "bob"));
    listen(&mut bus, "b", "inst", Some("fdc3.instrument"));
    listen(&mut bus, "b", "any", None);
    assert!(
        contexts(&listen(&mut bus, "b", "x", Some("fdc3.country"))).is_empty(),
        "not on a channel yet"
    );
    let out = bus.call(
        "b",
        3,
        Op::JoinUserChannel {
            channel: "red".into(),
        },
    );
    let mut got = contexts(&out);
    got.sort();
    assert_eq!(
        got,
        [
            ("b".into(), "any".into(), "bob".into()),
            ("b".into(), "inst".into(), "MSFT".into())
        ],
        "the typed listener gets the latest of its type, the catch-all the latest of any"
    );
    assert!(out.iter().any(|m| matches!(m, Outgoing::Shell { msg: ToShell::PanelChannel { channel: Some(c), .. }, .. } if c == "red")));
    // A listener added while on the channel gets it at once too.
    let out = listen(&mut bus, "b", "later", Some("fdc3.instrument"));
    assert_eq!(
        contexts(&out),
        [("b".into(), "later".into(), "MSFT".into())]
    );
}

#[test]
fn leaving_stops_deliveries_and_unknown_channels_are_refused() {
    let mut bus = bus_with(&[
        ("a", "w.a", "main", Some("red")),
        ("b", "w.b", "main", Some("red")),
    ]);
    listen(&mut bus, "b", "l", None);
    bus.call("b", 4, Op::LeaveCurrentChannel);
    assert!(contexts(&broadcast(&mut bus, "a", ctx("t", "1"))).is_empty());
    let out = bus.call(
        "b",
        5,
        Op::JoinUserChannel {
            channel: "magenta".into(),
        },
    );
    assert_eq!(response(&out, 5).1, Some("NoChannelFound"));
    let out = bus.call("b", 6, Op::GetCurrentChannel);
    assert_eq!(response(&out, 6).0, Some(Value::Null));
}

#[test]
fn malformed_contexts_are_refused() {
    let mut bus = bus_with(&[
        ("a", "w.a", "main", Some("red")),
        ("b", "w.b", "main", Some("red")),
    ]);
    listen(&mut bus, "b", "l", None);
    for bad in [json!({"id": 1}), json!("text"), json!({"type": 5})] {
        let out = bus.call(
            "a",
            9,
            Op::Broadcast {
                channel: None,
                context: bad,
            },
        );
        assert_eq!(response(&out, 9).1, Some("MalformedContext"));
        assert!(contexts(&out).is_empty(), "nothing delivered");
    }
}

#[test]
fn app_channels_connect_widgets_that_agree_on_a_name() {
    let mut bus = bus_with(&[("a", "w.a", "main", None), ("b", "w.b", "popout-b", None)]);
    let out = bus.call(
        "a",
        1,
        Op::GetOrCreateChannel {
            channel: "prices".into(),
        },
    );
    assert_eq!(response(&out, 1).0.unwrap()["type"], "app");
    assert_eq!(
        response(
            &bus.call(
                "b",
                2,
                Op::GetOrCreateChannel {
                    channel: "red".into()
                }
            ),
            2
        )
        .1,
        Some("AccessDenied")
    );
    bus.call(
        "b",
        3,
        Op::AddContextListener {
            listener: "l".into(),
            context_type: None,
            channel: Some("prices".into()),
        },
    );
    let out = bus.call(
        "a",
        4,
        Op::Broadcast {
            channel: Some("prices".into()),
            context: ctx("t", "P"),
        },
    );
    let delivered: Vec<&Outgoing> = out
        .iter()
        .filter(|m| {
            matches!(
                m,
                Outgoing::Panel {
                    msg: ToPanel::Context { .. },
                    ..
                }
            )
        })
        .collect();
    assert_eq!(delivered.len(), 1);
    assert_eq!(
        delivered[0].window(),
        "popout-b",
        "delivered to the window the panel lives in"
    );
    let out = bus.call(
        "b",
        5,
        Op::GetCurrentContext {
            channel: "prices".into(),
            context_type: Some("t".into()),
        },
    );
    assert_eq!(response(&out, 5).0.unwrap()["id"]["ticker"], "P");
    let out = bus.call(
        "a",
        6,
        Op::Broadcast {
            channel: Some("nope".into()),
            context: ctx("t", "P"),
        },
    );
    assert_eq!(response(&out, 6).1, Some("NoChannelFound"));
}

#[test]
fn order_per_sender_is_preserved() {
    let mut bus = bus_with(&[
        ("a", "w.a", "main", Some("green")),
        ("b", "w.b", "main", Some("green")),
    ]);
    listen(&mut bus, "b", "l", None);
    let mut seen = Vec::new();
    for i in 0..200 {
        let out = broadcast(&mut bus, "a", ctx("t", &i.to_string()));
        seen.extend(
            contexts(&out)
                .into_iter()
                .map(|(_, _, t)| t.parse::<u32>().unwrap()),
        );
        bus.call("b", 0, Op::Ack { n: 1 });
    }
    assert_eq!(seen, (0..200).collect::<Vec<_>>());
}

#[test]
fn a_receiver_that_stops_acking_overflows_alone() {
    let mut bus = bus_with(&[
        ("a", "w.a", "main", Some("red")),
        ("slow", "w.b", "main", Some("red")),
        ("fast", "w.c", "main", Some("red")),
    ]);
    listen(&mut bus, "slow", "l", None);
    listen(&mut bus, "fast", "l", None);
    let total = outbox::WINDOW + outbox::CAPACITY + 50;
    let mut fast = 0;
    for i in 0..total {
        let out = broadcast(&mut bus, "a", ctx("t", &i.to_string()));
        for (p, _, _) in contexts(&out) {
            if p == "fast" {
                fast += 1;
                bus.call("fast", 0, Op::Ack { n: 1 });
            }
        }
    }
    assert_eq!(fast, total, "the fast receiver got everything");
    let stats = bus.stats();
    assert_eq!(
        stats.overflow.get("slow"),
        Some(&50),
        "the slow one's excess is counted"
    );
    assert!(!stats.overflow.contains_key("fast"));
}

#[test]
fn nothing_reaches_a_panel_before_its_sdk_says_hello() {
    let mut bus = Bus::default();
    bus.register_panel("a", "w.a", "main", Some("red".into()));
    bus.call("a", 0, Op::Hello);
    bus.register_panel("b", "w.b", "main", Some("red".into()));
    // b's frame has not loaded: its call is ignored (no panel answer), and
    // a broadcast now is kept as the channel's current context for later.
    broadcast(&mut bus, "a", ctx("t", "early"));
    let out = bus.call("b", 0, Op::Hello);
    assert_eq!(response(&out, 0).0.unwrap()["channel"]["id"], "red");
    let out = listen(&mut bus, "b", "l", None);
    assert_eq!(contexts(&out), [("b".into(), "l".into(), "early".into())]);
}

pub(super) fn catalogue() -> Vec<CatalogueEntry> {
    vec![
        CatalogueEntry {
            id: "w.chart".into(),
            title: "Chart".into(),
            intents: vec![IntentHandler {
                intent: "ViewChart".into(),
                contexts: vec!["fdc3.instrument".into()],
                ..Default::default()
            }],
            ..Default::default()
        },
        CatalogueEntry {
            id: "w.other-chart".into(),
            title: "Other chart".into(),
            intents: vec![IntentHandler {
                intent: "ViewChart".into(),
                contexts: vec![],
                ..Default::default()
            }],
            ..Default::default()
        },
        CatalogueEntry {
            id: "w.news".into(),
            title: "News".into(),
            intents: vec![IntentHandler {
                intent: "ViewNews".into(),
                contexts: vec!["fdc3.instrument".into()],
                ..Default::default()
            }],
            ..Default::default()
        },
    ]
}

pub(super) fn raise(bus: &mut Bus, panel: &str, id: u64, intent: &str) -> Vec<Outgoing> {
    bus.call(
        panel,
        id,
        Op::RaiseIntent {
            intent: intent.into(),
            context: ctx("fdc3.instrument", "AAPL"),
            app: None,
            instance: None,
        },
    )
}

#[test]
fn an_intent_goes_to_the_one_running_handler_and_its_result_comes_back() {
    let mut bus = bus_with(&[
        ("a", "w.table", "main", None),
        ("c", "w.news", "main", None),
    ]);
    bus.set_catalogue(catalogue());
    bus.call(
        "c",
        1,
        Op::AddIntentListener {
            intent: "ViewNews".into(),
        },
    );
    let out = raise(&mut bus, "a", 10, "ViewNews");
    let resolution = response(&out, 10).0.unwrap();
    assert_eq!(
        resolution["source"],
        json!({"appId": "w.news", "instanceId": "c"})
    );
    let result_id = out
        .iter()
        .find_map(|m| match m {
            Outgoing::Panel {
                panel,
                msg: ToPanel::Intent {
                    intent, result_id, ..
                },
                ..
            } if panel == "c" && intent == "ViewNews" => Some(*result_id),
            _ => None,
        })
        .expect("the intent reached the handler");
    let out = bus.call(
        "c",
        2,
        Op::IntentResult {
            result_id,
            result: Some(ctx("fdc3.instrument", "RESULT")),
            error: None,
        },
    );
    assert!(out.iter().any(|m| matches!(m, Outgoing::Panel { panel, msg: ToPanel::IntentResult { id: 10, result: Some(r), .. }, .. } if panel == "a" && r["id"]["ticker"] == "RESULT")));
}

#[test]
fn with_no_handler_running_the_one_capable_widget_is_opened() {
    let mut bus = bus_with(&[("a", "w.table", "main", None)]);
    bus.set_catalogue(catalogue());
    let out = raise(&mut bus, "a", 11, "ViewNews");
    assert!(out.iter().any(|m| matches!(m, Outgoing::Shell { msg: ToShell::OpenWidget { widget, request: 11 }, .. } if widget == "w.news")));
    // The shell opens it; when its handler is registered, the intent arrives.
    bus.register_panel("n", "w.news", "main", None);
    bus.call("n", 0, Op::Hello);
    let out = bus.call(
        "n",
        1,
        Op::AddIntentListener {
            intent: "ViewNews".into(),
        },
    );
    assert!(out.iter().any(
        |m| matches!(m, Outgoing::Panel { panel, msg: ToPanel::Intent { .. }, .. } if panel == "n")
    ));
    assert_eq!(response(&out, 11).0.unwrap()["source"]["instanceId"], "n");
}

#[test]
fn several_capable_widgets_ask_the_user_and_cancel_is_reported() {
    let mut bus = bus_with(&[
        ("a", "w.table", "main", None),
        ("c1", "w.chart", "main", None),
    ]);
    bus.set_catalogue(catalogue());
    bus.call(
        "c1",
        1,
        Op::AddIntentListener {
            intent: "ViewChart".into(),
        },
    );
    bus.register_panel("c2", "w.other-chart", "main", None);
    bus.call("c2", 0, Op::Hello);
    bus.call(
        "c2",
        1,
        Op::AddIntentListener {
            intent: "ViewChart".into(),
        },
    );
    let out = raise(&mut bus, "a", 12, "ViewChart");
    let candidates = out
        .iter()
        .find_map(|m| match m {
            Outgoing::Shell {
                msg:
                    ToShell::ResolveIntent {
                        request: 12,
                        candidates,
                        ..
                    },
                ..
            } => Some(candidates.clone()),
            _ => None,
        })
        .expect("the resolver is asked");
    let running: Vec<_> = candidates
        .iter()
        .filter_map(|c| c.instance_id.clone())
        .collect();
    assert_eq!(running, ["c1", "c2"]);
    assert_eq!(
        candidates.len(),
        4,
        "two running panels and two widgets to open anew"
    );
    let out = bus.resolve_intent(12, None);
    assert_eq!(response(&out, 12).1, Some("UserCancelled"));

    raise(&mut bus, "a", 13, "ViewChart");
    let pick = Candidate {
        app_id: "w.other-chart".into(),
        title: String::new(),
        instance_id: Some("c2".into()),
        intent: None,
    };
    let out = bus.resolve_intent(13, Some(pick));
    assert!(out.iter().any(
        |m| matches!(m, Outgoing::Panel { panel, msg: ToPanel::Intent { .. }, .. } if panel == "c2")
    ));
}

#[test]
fn unknown_intents_find_no_apps() {
    let mut bus = bus_with(&[("a", "w.table", "main", None)]);
    bus.set_catalogue(catalogue());
    assert_eq!(
        response(&raise(&mut bus, "a", 14, "Nope"), 14).1,
        Some("NoAppsFound")
    );
    let out = bus.call(
        "a",
        15,
        Op::FindIntent {
            intent: "ViewChart".into(),
            context: Some(ctx("fdc3.instrument", "X")),
            result_type: None,
        },
    );
    let apps = response(&out, 15).0.unwrap()["apps"].clone();
    assert_eq!(apps.as_array().unwrap().len(), 2);
    let out = bus.call(
        "a",
        16,
        Op::FindIntent {
            intent: "ViewNews".into(),
            context: Some(json!({"type": "fdc3.contact"})),
            result_type: None,
        },
    );
    assert_eq!(
        response(&out, 16).1,
        Some("NoAppsFound"),
        "the context type must match"
    );
}

#[test]
fn deliveries_carry_metadata_and_the_inspector_records_broadcasts() {
    let mut bus = bus_with(&[
        ("a", "w.table", "main", Some("red")),
        ("b", "w.chart", "main", Some("red")),
    ]);
    listen(&mut bus, "b", "l", None);
    let out = broadcast(&mut bus, "a", ctx("fdc3.instrument", "AAPL"));
    let meta = out
        .iter()
        .find_map(|m| match m {
            Outgoing::Panel {
                msg: ToPanel::Context { metadata, .. },
                ..
            } => Some(metadata.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (
            meta.source.app_id.as_str(),
            meta.source.instance_id.as_str()
        ),
        ("w.table", "a")
    );
    assert!(meta.timestamp > 1.0e12 && !meta.trace_id.is_empty());
    let seen = bus.inspected_after(0);
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (
            seen[0].channel.as_str(),
            seen[0].context_type.as_str(),
            seen[0].delivered
        ),
        ("red", "fdc3.instrument", 1)
    );
    assert_eq!(seen[0].trace_id, meta.trace_id);
}
