//! FDC3 2.2 intents and instances, as the conformance tests check them
//! (issue 13, items 4, 5 and 7), without a window.

use serde_json::{json, Value};

use super::intents::INTENT_DELIVERY_TIMEOUT_MS;
use super::protocol::{Candidate, Op, Outgoing, ToPanel, ToShell};
use super::tests::{bus_with, catalogue, ctx, response};
use super::*;

/// The conformance suite's shape: display names and result types.
fn typed_catalogue() -> Vec<CatalogueEntry> {
    let handler =
        |intent: &str, contexts: &[&str], display: &str, result: Option<&str>| IntentHandler {
            intent: intent.into(),
            contexts: contexts.iter().map(|c| c.to_string()).collect(),
            display_name: Some(display.into()),
            result_type: result.map(str::to_owned),
        };
    vec![
        CatalogueEntry {
            id: "IntentAppA".into(),
            app_id: String::new(),
            title: "Intent app A".into(),
            version: "1.0.0".into(),
            description: "handles A".into(),
            intents: vec![handler(
                "aTestingIntent",
                &["testContextX"],
                "A Testing Intent",
                None,
            )],
        },
        CatalogueEntry {
            id: "IntentAppB".into(),
            title: "Intent app B".into(),
            version: "1.0.0".into(),
            intents: vec![
                handler(
                    "sharedTestingIntent1",
                    &["testContextX"],
                    "Shared Testing Intent 1",
                    Some("testContextY"),
                ),
                handler(
                    "bTestingIntent",
                    &["testContextY"],
                    "B Testing Intent",
                    None,
                ),
            ],
            ..Default::default()
        },
        CatalogueEntry {
            id: "IntentAppE".into(),
            title: "Intent app E".into(),
            intents: vec![handler(
                "sharedTestingIntent2",
                &["testContextY"],
                "Shared Testing Intent 2",
                Some("channel"),
            )],
            ..Default::default()
        },
        CatalogueEntry {
            id: "IntentAppF".into(),
            title: "Intent app F".into(),
            intents: vec![handler(
                "sharedTestingIntent2",
                &["testContextY"],
                "Shared Testing Intent 2",
                Some("channel<testContextZ>"),
            )],
            ..Default::default()
        },
    ]
}

fn find(
    bus: &mut Bus,
    intent: &str,
    context: Option<Value>,
    result: Option<&str>,
) -> (Option<Value>, Option<&'static str>) {
    let out = bus.call(
        "a",
        40,
        Op::FindIntent {
            intent: intent.into(),
            context,
            result_type: result.map(str::to_owned),
        },
    );
    response(&out, 40)
}

fn app_ids(v: &Value) -> Vec<String> {
    v["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["appId"].as_str().unwrap().to_owned())
        .collect()
}

fn listen_intent(bus: &mut Bus, panel: &str, intent: &str) -> Vec<Outgoing> {
    bus.call(
        panel,
        1,
        Op::AddIntentListener {
            intent: intent.into(),
        },
    )
}

fn raise_at(
    bus: &mut Bus,
    id: u64,
    intent: &str,
    app: Option<&str>,
    instance: Option<&str>,
) -> Vec<Outgoing> {
    bus.call(
        "a",
        id,
        Op::RaiseIntent {
            intent: intent.into(),
            context: json!({"type": "testContextX"}),
            app: app.map(str::to_owned),
            instance: instance.map(str::to_owned),
        },
    )
}

fn delivered_to(out: &[Outgoing]) -> Vec<String> {
    out.iter()
        .filter_map(|m| match m {
            Outgoing::Panel {
                panel,
                msg: ToPanel::Intent { .. },
                ..
            } => Some(panel.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn find_intent_names_the_declared_display_name_and_lists_each_app_once() {
    let mut bus = bus_with(&[
        ("a", "Test", "main", None),
        ("running-a", "IntentAppA", "main", None),
    ]);
    bus.set_catalogue(typed_catalogue());
    listen_intent(&mut bus, "running-a", "aTestingIntent");
    let (found, _) = find(&mut bus, "aTestingIntent", None, None);
    let found = found.unwrap();
    assert_eq!(
        found["intent"],
        json!({"name": "aTestingIntent", "displayName": "A Testing Intent"})
    );
    assert_eq!(
        app_ids(&found),
        ["IntentAppA"],
        "a running instance is not another app"
    );
    assert_eq!(found["apps"][0]["title"], "Intent app A");
    assert_eq!(found["apps"][0]["description"], "handles A");
    assert_eq!(
        find(
            &mut bus,
            "aTestingIntent",
            Some(json!({"type": "testContextY"})),
            None
        )
        .1,
        Some("NoAppsFound")
    );
    assert_eq!(
        find(&mut bus, "nonExistentIntent", None, None).1,
        Some("NoAppsFound")
    );
}

#[test]
fn find_intent_filters_by_result_type_channels_included() {
    let mut bus = bus_with(&[("a", "Test", "main", None)]);
    bus.set_catalogue(typed_catalogue());
    let x = || Some(json!({"type": "testContextX"}));
    let y = || Some(json!({"type": "testContextY"}));
    assert_eq!(
        app_ids(
            &find(&mut bus, "sharedTestingIntent1", x(), Some("testContextY"))
                .0
                .unwrap()
        ),
        ["IntentAppB"]
    );
    assert_eq!(
        find(&mut bus, "sharedTestingIntent1", x(), Some("testContextZ")).1,
        Some("NoAppsFound")
    );
    assert_eq!(
        app_ids(
            &find(&mut bus, "sharedTestingIntent2", y(), Some("channel"))
                .0
                .unwrap()
        ),
        ["IntentAppE", "IntentAppF"],
        "'channel' matches any channel result"
    );
    assert_eq!(
        app_ids(
            &find(
                &mut bus,
                "sharedTestingIntent2",
                y(),
                Some("channel<testContextZ>")
            )
            .0
            .unwrap()
        ),
        ["IntentAppF"]
    );
    assert_eq!(
        app_ids(
            &find(&mut bus, "sharedTestingIntent2", None, None)
                .0
                .unwrap()
        ),
        ["IntentAppE", "IntentAppF"]
    );
}

#[test]
fn find_intents_by_context_groups_apps_by_intent() {
    let mut bus = bus_with(&[("a", "Test", "main", None)]);
    bus.set_catalogue(typed_catalogue());
    let out = bus.call(
        "a",
        41,
        Op::FindIntentsByContext {
            context: json!({"type": "testContextX"}),
            result_type: None,
        },
    );
    let found = response(&out, 41).0.unwrap();
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["intent"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["aTestingIntent", "sharedTestingIntent1"]);
    let out = bus.call(
        "a",
        42,
        Op::FindIntentsByContext {
            context: json!({"type": "testContextX"}),
            result_type: Some("testContextY".into()),
        },
    );
    assert_eq!(response(&out, 42).0.unwrap().as_array().unwrap().len(), 1);
    let out = bus.call(
        "a",
        43,
        Op::FindIntentsByContext {
            context: json!({"type": "nothing.handles"}),
            result_type: None,
        },
    );
    assert_eq!(response(&out, 43).1, Some("NoAppsFound"));
    let out = bus.call(
        "a",
        44,
        Op::FindIntentsByContext {
            context: json!({"no": "type"}),
            result_type: None,
        },
    );
    assert_eq!(response(&out, 44).1, Some("MalformedContext"));
}

#[test]
fn raising_at_an_unknown_app_or_a_gone_instance_says_which() {
    let mut bus = bus_with(&[
        ("a", "Test", "main", None),
        ("b1", "IntentAppB", "main", None),
    ]);
    bus.set_catalogue(typed_catalogue());
    assert_eq!(
        response(
            &raise_at(
                &mut bus,
                50,
                "aTestingIntent",
                Some("ThisAppDoesNotExist"),
                None
            ),
            50
        )
        .1,
        Some("TargetAppUnavailable")
    );
    assert_eq!(
        response(
            &raise_at(
                &mut bus,
                51,
                "aTestingIntent",
                Some("IntentAppA"),
                Some("gone")
            ),
            51
        )
        .1,
        Some("TargetInstanceUnavailable")
    );
    assert_eq!(
        response(
            &raise_at(
                &mut bus,
                52,
                "aTestingIntent",
                Some("IntentAppA"),
                Some("b1")
            ),
            52
        )
        .1,
        Some("TargetInstanceUnavailable"),
        "b1 is an instance of another app"
    );
    assert_eq!(
        response(
            &raise_at(&mut bus, 53, "aTestingIntent", Some("IntentAppB"), None),
            53
        )
        .1,
        Some("NoAppsFound"),
        "the app exists but does not handle the intent"
    );
}

#[test]
fn an_intent_raised_at_an_instance_goes_to_it_when_it_listens() {
    let mut bus = bus_with(&[
        ("a", "Test", "main", None),
        ("b1", "IntentAppB", "main", None),
        ("b2", "IntentAppB", "main", None),
    ]);
    bus.set_catalogue(typed_catalogue());
    listen_intent(&mut bus, "b1", "sharedTestingIntent1");
    let out = raise_at(
        &mut bus,
        60,
        "sharedTestingIntent1",
        Some("IntentAppB"),
        Some("b2"),
    );
    assert!(
        delivered_to(&out).is_empty(),
        "b2 does not listen yet (b1 does, but was not asked)"
    );
    let out = listen_intent(&mut bus, "b2", "sharedTestingIntent1");
    assert_eq!(delivered_to(&out), ["b2"]);
    assert_eq!(
        response(&out, 60).0.unwrap()["source"],
        json!({"appId": "IntentAppB", "instanceId": "b2"})
    );
}

#[test]
fn a_target_that_never_listens_fails_with_intent_delivery_failed() {
    let mut bus = bus_with(&[
        ("a", "Test", "main", None),
        ("b1", "IntentAppB", "main", None),
    ]);
    bus.set_catalogue(typed_catalogue());
    raise_at(&mut bus, 70, "sharedTestingIntent1", None, Some("b1"));
    // An app opened for an intent that never adds its listener.
    let out = raise_at(&mut bus, 71, "aTestingIntent", None, None);
    assert!(out.iter().any(|m| matches!(m, Outgoing::Shell { msg: ToShell::OpenWidget { widget, .. }, .. } if widget == "IntentAppA")));
    assert!(bus.expire_pending(now_ms() + 1_000.0).is_empty(), "not yet");
    let out = bus.expire_pending(now_ms() + INTENT_DELIVERY_TIMEOUT_MS + 1_000.0);
    assert_eq!(response(&out, 70).1, Some("IntentDeliveryFailed"));
    assert_eq!(response(&out, 71).1, Some("IntentDeliveryFailed"));
}

#[test]
fn the_resolver_does_not_time_out_while_the_user_chooses() {
    let mut bus = bus_with(&[("a", "w.table", "main", None)]);
    bus.set_catalogue(catalogue());
    let out = bus.call(
        "a",
        80,
        Op::RaiseIntent {
            intent: "ViewChart".into(),
            context: ctx("fdc3.instrument", "AAPL"),
            app: None,
            instance: None,
        },
    );
    assert!(out.iter().any(|m| matches!(
        m,
        Outgoing::Shell {
            msg: ToShell::ResolveIntent { request: 80, .. },
            ..
        }
    )));
    assert!(bus
        .expire_pending(now_ms() + 10.0 * INTENT_DELIVERY_TIMEOUT_MS)
        .is_empty());
}

#[test]
fn raise_intent_for_context_offers_every_intent_and_raises_the_chosen_one() {
    let mut bus = bus_with(&[("a", "w.table", "main", None)]);
    bus.set_catalogue(catalogue());
    let out = bus.call(
        "a",
        90,
        Op::RaiseIntentForContext {
            context: ctx("fdc3.instrument", "AAPL"),
            app: None,
            instance: None,
        },
    );
    let candidates = out
        .iter()
        .find_map(|m| match m {
            Outgoing::Shell {
                msg:
                    ToShell::ResolveIntent {
                        request: 90,
                        candidates,
                        ..
                    },
                ..
            } => Some(candidates.clone()),
            _ => None,
        })
        .expect("the resolver is asked");
    let offered: Vec<(String, Option<String>)> = candidates
        .iter()
        .map(|c| (c.app_id.clone(), c.intent.clone()))
        .collect();
    assert_eq!(
        offered,
        [
            ("w.chart".to_owned(), Some("ViewChart".to_owned())),
            ("w.other-chart".to_owned(), Some("ViewChart".to_owned())),
            ("w.news".to_owned(), Some("ViewNews".to_owned())),
        ]
    );
    assert!(
        candidates[2].title.contains("ViewNews"),
        "{:?}",
        candidates[2]
    );
    let pick = Candidate {
        intent: Some("ViewNews".into()),
        ..candidates[2].clone()
    };
    let out = bus.resolve_intent(90, Some(pick));
    assert!(out.iter().any(|m| matches!(m, Outgoing::Shell { msg: ToShell::OpenWidget { widget, request: 90 }, .. } if widget == "w.news")));
    bus.register_panel("n", "w.news", "main", None);
    bus.call("n", 0, Op::Hello);
    let out = listen_intent(&mut bus, "n", "ViewNews");
    assert_eq!(delivered_to(&out), ["n"]);

    // At one app, the choice is made for the user.
    let out = bus.call(
        "a",
        91,
        Op::RaiseIntentForContext {
            context: ctx("fdc3.instrument", "MSFT"),
            app: Some("w.news".into()),
            instance: None,
        },
    );
    assert_eq!(delivered_to(&out), ["n"]);
    // w.news takes only instruments (w.other-chart takes anything).
    let out = bus.call(
        "a",
        92,
        Op::RaiseIntentForContext {
            context: json!({"type": "fdc3.contact"}),
            app: Some("w.news".into()),
            instance: None,
        },
    );
    assert_eq!(response(&out, 92).1, Some("NoAppsFound"));
}

#[test]
fn instances_and_app_metadata() {
    let mut bus = bus_with(&[
        ("a", "Test", "main", None),
        ("b2", "IntentAppB", "main", None),
        ("b1", "IntentAppB", "other", None),
    ]);
    bus.set_catalogue(typed_catalogue());
    let out = bus.call(
        "a",
        100,
        Op::FindInstances {
            app: "IntentAppB".into(),
        },
    );
    assert_eq!(
        response(&out, 100).0.unwrap(),
        json!([{"appId": "IntentAppB", "instanceId": "b1"}, {"appId": "IntentAppB", "instanceId": "b2"}])
    );
    let out = bus.call(
        "a",
        101,
        Op::FindInstances {
            app: "IntentAppA".into(),
        },
    );
    assert_eq!(response(&out, 101).0.unwrap(), json!([]));
    let out = bus.call(
        "a",
        102,
        Op::GetAppMetadata {
            app: "IntentAppA".into(),
            instance: None,
        },
    );
    let meta = response(&out, 102).0.unwrap();
    assert_eq!(
        (
            meta["appId"].clone(),
            meta["title"].clone(),
            meta["version"].clone()
        ),
        (json!("IntentAppA"), json!("Intent app A"), json!("1.0.0"))
    );
    let out = bus.call(
        "a",
        103,
        Op::GetAppMetadata {
            app: "IntentAppB".into(),
            instance: Some("b1".into()),
        },
    );
    assert_eq!(response(&out, 103).0.unwrap()["instanceId"], "b1");
    let out = bus.call(
        "a",
        104,
        Op::GetAppMetadata {
            app: "Nope".into(),
            instance: None,
        },
    );
    assert_eq!(response(&out, 104).1, Some("TargetAppUnavailable"));
    let out = bus.call(
        "a",
        105,
        Op::GetAppMetadata {
            app: "IntentAppA".into(),
            instance: Some("b1".into()),
        },
    );
    assert_eq!(response(&out, 105).1, Some("TargetInstanceUnavailable"));
}

fn open(bus: &mut Bus, id: u64, app: &str, context: Option<Value>) -> Vec<Outgoing> {
    bus.call(
        "a",
        id,
        Op::Open {
            app: app.into(),
            context,
        },
    )
}

fn opened_widget(out: &[Outgoing], request: u64) -> Option<String> {
    out.iter().find_map(|m| match m {
        Outgoing::Shell {
            msg: ToShell::OpenWidget { widget, request: r },
            ..
        } if *r == request => Some(widget.clone()),
        _ => None,
    })
}

#[test]
fn open_with_a_context_delivers_it_to_the_new_panels_first_matching_listener() {
    let mut bus = bus_with(&[("a", "w.table", "main", None)]);
    bus.set_catalogue(catalogue());
    let out = open(
        &mut bus,
        110,
        "w.news",
        Some(ctx("fdc3.instrument", "OPEN")),
    );
    assert_eq!(opened_widget(&out, 110).as_deref(), Some("w.news"));
    // The shell makes the panel; it starts and listens for another type first.
    bus.register_panel("n", "w.news", "main", None);
    let out = bus.call("n", 0, Op::Hello);
    assert!(
        out.iter()
            .all(|m| !matches!(m, Outgoing::Panel { panel, .. } if panel == "a")),
        "not yet"
    );
    let out = bus.call(
        "n",
        1,
        Op::AddContextListener {
            listener: "contacts".into(),
            context_type: Some("fdc3.contact".into()),
            channel: None,
        },
    );
    assert!(out.iter().all(|m| !matches!(
        m,
        Outgoing::Panel {
            msg: ToPanel::Context { .. },
            ..
        }
    )));
    let out = bus.call(
        "n",
        2,
        Op::AddContextListener {
            listener: "instruments".into(),
            context_type: Some("fdc3.instrument".into()),
            channel: None,
        },
    );
    let delivered = out.iter().find_map(|m| match m {
        Outgoing::Panel {
            panel,
            msg:
                ToPanel::Context {
                    listener,
                    context,
                    metadata,
                },
            ..
        } if panel == "n" => Some((
            listener.clone(),
            context["id"]["ticker"].clone(),
            metadata.source.instance_id.clone(),
        )),
        _ => None,
    });
    assert_eq!(
        delivered,
        Some(("instruments".into(), json!("OPEN"), "a".into()))
    );
    assert_eq!(
        response(&out, 110).0.unwrap(),
        json!({"appId": "w.news", "instanceId": "n"})
    );
}

#[test]
fn open_without_a_context_answers_once_the_panel_starts_and_errors_are_the_specs() {
    let mut bus = bus_with(&[
        ("a", "w.table", "main", None),
        ("old", "w.news", "main", None),
    ]);
    bus.set_catalogue(catalogue());
    assert_eq!(
        response(&open(&mut bus, 120, "nobody.here", None), 120).1,
        Some("AppNotFound")
    );
    assert_eq!(
        response(
            &open(&mut bus, 121, "w.news", Some(json!({"no": "type"}))),
            121
        )
        .1,
        Some("MalformedContext")
    );
    open(&mut bus, 122, "w.news", None);
    // An existing panel saying hello again is not the new one.
    let out = bus.call("old", 0, Op::Hello);
    assert!(out
        .iter()
        .all(|m| !matches!(m, Outgoing::Panel { panel, .. } if panel == "a")));
    bus.register_panel("fresh", "w.news", "main", None);
    let out = bus.call("fresh", 0, Op::Hello);
    assert_eq!(response(&out, 122).0.unwrap()["instanceId"], "fresh");

    // A panel that never starts: AppTimeout.
    open(&mut bus, 123, "w.chart", None);
    assert!(bus.expire_pending(now_ms() + 1_000.0).is_empty());
    let out = bus.expire_pending(now_ms() + super::open::OPEN_TIMEOUT_MS + 1_000.0);
    assert_eq!(response(&out, 123).1, Some("AppTimeout"));
}

/// Private-channel events delivered: (panel, listener, event, context type).
fn private_events(out: &[Outgoing]) -> Vec<(String, String, String, Option<String>)> {
    out.iter()
        .filter_map(|m| match m {
            Outgoing::Panel {
                panel,
                msg:
                    ToPanel::PrivateChannelEvent {
                        listener,
                        event,
                        context_type,
                    },
                ..
            } => Some((
                panel.clone(),
                listener.clone(),
                event.to_string(),
                context_type.clone(),
            )),
            _ => None,
        })
        .collect()
}

/// Panel "h" makes a private channel and returns it as the result of an
/// intent "a" raised; returns the channel's id.
fn private_channel_shared(bus: &mut Bus) -> String {
    bus.set_catalogue(catalogue());
    listen_intent(bus, "h", "ViewNews");
    let out = bus.call(
        "a",
        130,
        Op::RaiseIntent {
            intent: "ViewNews".into(),
            context: ctx("fdc3.instrument", "AAPL"),
            app: None,
            instance: Some("h".into()),
        },
    );
    let result_id = out
        .iter()
        .find_map(|m| match m {
            Outgoing::Panel {
                msg: ToPanel::Intent { result_id, .. },
                ..
            } => Some(*result_id),
            _ => None,
        })
        .expect("delivered to h");
    let created = bus.call("h", 131, Op::CreatePrivateChannel);
    let channel = response(&created, 131).0.unwrap();
    assert_eq!(channel["type"], "private");
    let id = channel["id"].as_str().unwrap().to_owned();
    let out = bus.call(
        "h",
        132,
        Op::IntentResult {
            result_id,
            result: Some(json!({ super::private::CHANNEL_RESULT_KEY: channel })),
            error: None,
        },
    );
    assert!(out.iter().any(|m| matches!(m, Outgoing::Panel { panel, msg: ToPanel::IntentResult { id: 130, result: Some(_), .. }, .. } if panel == "a")));
    id
}

#[test]
fn a_private_channel_returned_as_a_result_is_shared_with_the_raiser_only() {
    let mut bus = bus_with(&[
        ("a", "w.table", "main", None),
        ("h", "w.news", "main", None),
        ("x", "w.chart", "main", None),
    ]);
    let id = private_channel_shared(&mut bus);
    let out = bus.call(
        "a",
        1,
        Op::AddContextListener {
            listener: "la".into(),
            context_type: None,
            channel: Some(id.clone()),
        },
    );
    assert_eq!(response(&out, 1).1, None, "the raiser may listen");
    let out = bus.call(
        "h",
        2,
        Op::Broadcast {
            channel: Some(id.clone()),
            context: ctx("fdc3.instrument", "TICK"),
        },
    );
    assert_eq!(contexts_of(&out), [("a".to_owned(), "TICK".to_owned())]);
    for (n, op) in [
        (
            3,
            Op::Broadcast {
                channel: Some(id.clone()),
                context: ctx("fdc3.instrument", "X"),
            },
        ),
        (
            4,
            Op::AddContextListener {
                listener: "lx".into(),
                context_type: None,
                channel: Some(id.clone()),
            },
        ),
        (
            5,
            Op::GetCurrentContext {
                channel: id.clone(),
                context_type: None,
            },
        ),
        (
            6,
            Op::GetOrCreateChannel {
                channel: id.clone(),
            },
        ),
    ] {
        assert_eq!(
            response(&bus.call("x", n, op), n).1,
            Some("AccessDenied"),
            "op {n} by a stranger"
        );
    }
}

fn contexts_of(out: &[Outgoing]) -> Vec<(String, String)> {
    out.iter()
        .filter_map(|m| match m {
            Outgoing::Panel {
                panel,
                msg: ToPanel::Context { context, .. },
                ..
            } => Some((
                panel.clone(),
                context["id"]["ticker"].as_str().unwrap_or("").to_owned(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn each_side_hears_the_others_listeners_unsubscribes_and_disconnect() {
    let mut bus = bus_with(&[
        ("a", "w.table", "main", None),
        ("h", "w.news", "main", None),
    ]);
    let id = private_channel_shared(&mut bus);
    for (l, event) in [
        ("e-add", "addContextListener"),
        ("e-unsub", "unsubscribe"),
        ("e-disc", "disconnect"),
    ] {
        let out = bus.call(
            "h",
            10,
            Op::AddPrivateEventListener {
                channel: id.clone(),
                event: event.into(),
                listener: l.into(),
            },
        );
        assert_eq!(response(&out, 10).1, None);
    }
    let out = bus.call(
        "h",
        11,
        Op::AddPrivateEventListener {
            channel: id.clone(),
            event: "nonsense".into(),
            listener: "e".into(),
        },
    );
    assert_eq!(response(&out, 11).1, Some("UnknownEventType"));

    let out = bus.call(
        "a",
        12,
        Op::AddContextListener {
            listener: "la".into(),
            context_type: Some("fdc3.instrument".into()),
            channel: Some(id.clone()),
        },
    );
    assert_eq!(
        private_events(&out),
        [(
            "h".into(),
            "e-add".into(),
            "addContextListener".into(),
            Some("fdc3.instrument".into())
        )]
    );
    let out = bus.call(
        "a",
        13,
        Op::RemoveListener {
            listener: "la".into(),
        },
    );
    assert_eq!(
        private_events(&out),
        [(
            "h".into(),
            "e-unsub".into(),
            "unsubscribe".into(),
            Some("fdc3.instrument".into())
        )]
    );

    bus.call(
        "a",
        14,
        Op::AddContextListener {
            listener: "lb".into(),
            context_type: None,
            channel: Some(id.clone()),
        },
    );
    let out = bus.call(
        "a",
        15,
        Op::Disconnect {
            channel: id.clone(),
        },
    );
    assert_eq!(
        private_events(&out),
        [
            ("h".into(), "e-unsub".into(), "unsubscribe".into(), None),
            ("h".into(), "e-disc".into(), "disconnect".into(), None),
        ]
    );
    let out = bus.call(
        "a",
        16,
        Op::Broadcast {
            channel: Some(id.clone()),
            context: ctx("fdc3.instrument", "LATE"),
        },
    );
    assert_eq!(
        response(&out, 16).1,
        Some("AccessDenied"),
        "gone after disconnecting"
    );
}

#[test]
fn a_panel_that_closes_disconnects() {
    let mut bus = bus_with(&[
        ("a", "w.table", "main", None),
        ("h", "w.news", "main", None),
    ]);
    let id = private_channel_shared(&mut bus);
    bus.call(
        "a",
        20,
        Op::AddPrivateEventListener {
            channel: id,
            event: "disconnect".into(),
            listener: "gone".into(),
        },
    );
    let out = bus.unregister_panel("h");
    assert_eq!(
        private_events(&out),
        [("a".into(), "gone".into(), "disconnect".into(), None)]
    );
}

/// Issue 13, item 3: apps are known by their FDC3 appId (which may differ
/// from the widget id): in metadata, targets, open, instances and results.
#[test]
fn apps_are_known_by_their_fdc3_app_id() {
    let mut bus = bus_with(&[
        ("a", "w.table", "main", None),
        ("c", "w.chart", "main", None),
    ]);
    let mut cat = catalogue();
    cat[0].app_id = "ChartApp".into();
    cat.push(CatalogueEntry {
        id: "w.table".into(),
        app_id: "TableApp".into(),
        title: "Table".into(),
        ..Default::default()
    });
    bus.set_catalogue(cat);
    let out = bus.call("a", 140, Op::GetInfo);
    assert_eq!(
        response(&out, 140).0.unwrap()["appMetadata"]["appId"],
        "TableApp"
    );
    listen_intent(&mut bus, "c", "ViewChart");
    let out = bus.call(
        "a",
        141,
        Op::RaiseIntent {
            intent: "ViewChart".into(),
            context: ctx("fdc3.instrument", "AAPL"),
            app: Some("ChartApp".into()),
            instance: None,
        },
    );
    assert_eq!(
        response(&out, 141).0.unwrap()["source"],
        json!({"appId": "ChartApp", "instanceId": "c"})
    );
    let meta = out.iter().find_map(|m| match m {
        Outgoing::Panel {
            msg: ToPanel::Intent { metadata, .. },
            ..
        } => Some(metadata.source.app_id.clone()),
        _ => None,
    });
    assert_eq!(
        meta.as_deref(),
        Some("TableApp"),
        "the raiser's appId as source"
    );
    let out = bus.call(
        "a",
        142,
        Op::FindInstances {
            app: "ChartApp".into(),
        },
    );
    assert_eq!(
        response(&out, 142).0.unwrap(),
        json!([{"appId": "ChartApp", "instanceId": "c"}])
    );
    let (found, _) = find(&mut bus, "ViewChart", None, None);
    assert_eq!(app_ids(&found.unwrap()), ["ChartApp", "w.other-chart"]);
    let out = open(&mut bus, 143, "ChartApp", None);
    assert_eq!(
        opened_widget(&out, 143).as_deref(),
        Some("w.chart"),
        "the shell opens the widget behind the appId"
    );
    bus.register_panel("c2", "w.chart", "main", None);
    let out = bus.call("c2", 0, Op::Hello);
    assert_eq!(response(&out, 0).0.unwrap()["appId"], "ChartApp");
    assert_eq!(
        response(&out, 143).0.unwrap(),
        json!({"appId": "ChartApp", "instanceId": "c2"})
    );
}
