//! Issue 12, links: the owner copies a layout's link from the Share dialog
//! with the mouse; a colleague's running app, signed in as someone else,
//! is handed the link by a second start (as the OS does when a link is
//! clicked) and shows the layout locked in a viewer window; a link to a
//! layout not shared with them says so without its title.

use std::time::Duration;

use serde_json::{json, Value};
use tessera_e2e::desktop::Desktop;
use tessera_e2e::webdriver::Session;
use tessera_e2e::Stack;
use tessera_layouts::links::LayoutLink;

const WAIT: Duration = Duration::from_secs(90);

async fn value_of(s: &Session, css: &str) -> String {
    s.execute(
        "const e = document.querySelector(arguments[0]); return e ? (e instanceof HTMLInputElement ? e.value : e.textContent) : null",
        vec![json!(css)],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn wait_text(s: &Session, css: &str, what: &str, wanted: &str) -> String {
    s.wait_for(what, WAIT, || async {
        let t = value_of(s, css).await;
        if t.contains(wanted) {
            Ok(Some(t))
        } else {
            Err(format!(
                "{css} says {t:?}; status: {:?}",
                value_of(s, "#layout-status").await
            ))
        }
    })
    .await
}

async fn click(d: &Desktop, css: &str, what: &str) {
    d.session.wait_for_element(what, WAIT, css).await;
    let at = d
        .rect(css)
        .await
        .unwrap_or_else(|| panic!("{what}: no {css}"));
    d.click_at(at.centre()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copied_link_opens_the_layout_in_a_colleagues_running_app() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let bob = stack.add_user("bob").await;
    let http = reqwest::Client::new();
    let create = |title: &str| {
        let doc = serde_json::to_value(tessera_layouts::demo_layout()).unwrap();
        http.post(format!("{}/v1/layouts", stack.registry_url))
            .bearer_auth(&stack.user_token)
            .json(&json!({"title": title, "document": doc}))
            .send()
    };
    let id_of = |v: Value| v["id"].as_str().unwrap().to_owned();
    let shared = id_of(create("Rates desk").await.unwrap().json().await.unwrap());
    let private = id_of(create("Secret plans").await.unwrap().json().await.unwrap());
    let put = http
        .put(format!("{}/v1/layouts/{shared}/sharing", stack.registry_url))
        .bearer_auth(&stack.user_token)
        .json(&json!({"organisation": false, "users": [{"name": "bob", "access": "view"}], "groups": []}))
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success());

    // The owner's app opens the layout from its command line, and the owner
    // copies its link from the Share dialog with the mouse.
    let owner = Desktop::signed_in(&stack, &["open", &shared]).await;
    let s = &owner.session;
    wait_text(
        s,
        "#layout-title",
        "the layout from the command line",
        "Rates desk",
    )
    .await;
    click(&owner, "#share-layout", "the Share button").await;
    click(&owner, ".share-copy-link", "Copy link").await;
    wait_text(
        s,
        ".share-link-note",
        "the copy to be confirmed",
        "Link copied",
    )
    .await;
    let web_link = format!("{}/l/{shared}", stack.registry_url);
    assert_eq!(value_of(s, ".share-link").await, web_link);
    // What is on the clipboard, pasted with the keyboard into the Layouts dialog.
    owner.key("Escape").await;
    click(&owner, "#open-layout", "the Layouts button").await;
    click(&owner, ".open-link-input", "the paste field").await;
    owner.key("ctrl+v").await;
    wait_text(s, ".open-link-input", "the pasted link", &web_link).await;

    // Bob's app runs (an empty workspace). First he pastes a link to a
    // layout nobody shared with him: he is told so, without its title.
    let colleague = Desktop::start_full(
        &stack.registry_url,
        &["--empty"],
        &[("TESSERA_USER_TOKEN", bob.as_str())],
    )
    .await;
    let b = &colleague.session;
    b.wait_for_element("bob's shell", WAIT, "body[data-ready=true]")
        .await;
    colleague.focus_window().await;
    click(&colleague, "#open-layout", "bob's Layouts button").await;
    click(&colleague, ".open-link-input", "bob's paste field").await;
    colleague
        .type_text(&format!("{}/l/{private}", stack.registry_url))
        .await;
    colleague.key("Return").await;
    let refused = wait_text(b, "#layout-status", "the refusal", "not shared with you").await;
    assert!(!refused.contains("Secret"), "{refused}");
    assert!(!value_of(b, "#layout-title").await.contains("Secret"));

    // Then the OS hands a view link to Tessera: a second start, with bob's
    // settings, passes it to his running app and ends.
    let main_window = b.current_window().await.unwrap();
    let link = LayoutLink::new(&shared, true, Some(&stack.registry_url)).to_string();
    let config = colleague.profile.path().join("config");
    let out = tokio::process::Command::new(tessera_testkit::proc::bin("tessera"))
        .arg(&link)
        .env("DISPLAY", &colleague.display)
        .env("XDG_CONFIG_HOME", &config)
        .env("XDG_DATA_HOME", colleague.profile.path().join("data"))
        .env("TESSERA_REGISTRY_URL", &stack.registry_url)
        .env("TESSERA_USER_TOKEN", &bob)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(30), out)
        .await
        .expect("the second start ends at once")
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && said.contains("handed over"),
        "{said}"
    );
    let viewer = b
        .wait_for("a viewer window", WAIT, || async {
            let all = b.windows().await?;
            Ok(all.into_iter().find(|h| *h != main_window))
        })
        .await;
    b.switch_window(&viewer).await.unwrap();
    wait_text(
        b,
        "#layout-status",
        "the shared layout, locked",
        "Viewing “Rates desk”",
    )
    .await;
    b.wait_for("its widgets", WAIT, || async {
        Ok((b.find_all(".widget-frame").await?.len() == 6).then_some(()))
    })
    .await;
    assert!(
        b.execute("return document.body.classList.contains('locked')", vec![])
            .await
            .unwrap()
            .as_bool()
            .unwrap(),
        "the viewer is locked"
    );
    let shot = colleague.screenshot("link-viewer").await;
    eprintln!("screenshot: {}", shot.display());
}
