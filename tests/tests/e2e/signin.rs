//! Issue 12 (sign-in): a first start with no token shows the sign-in
//! screen; wrong tokens and unreachable servers say so; a good sign-in is
//! kept (the server in the settings file, the token in a 0600 file) and the
//! next start goes straight in, to the server the settings name; the account
//! dialog says who is signed in where, and signing out forgets the token;
//! an invitation link signs a newcomer in, once.

use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::time::Duration;

use tessera_e2e::desktop::Desktop;
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);

/// The text of element `id` once it contains `containing`.
async fn text_of(desktop: &Desktop, id: &str, containing: &str) -> String {
    let s = &desktop.session;
    s.wait_for(&format!("#{id} to say {containing:?}"), WAIT, || async {
        s.enter_top().await?;
        let t = s
            .execute(
                &format!("return document.getElementById('{id}').textContent"),
                vec![],
            )
            .await?;
        let t = t.as_str().unwrap_or_default().to_owned();
        Ok(t.contains(containing).then_some(t))
    })
    .await
}

/// The app started again in `profile`, with neither server nor token given.
async fn restart(profile: &Arc<tempfile::TempDir>) -> Desktop {
    Desktop::start_in("", &["--empty"], &[], profile.clone()).await
}

/// At the sign-in screen, pastes `link` into the invitation field and sends it.
async fn paste_invitation(desktop: &Desktop, link: &str) {
    desktop
        .session
        .wait_for_element("the sign-in screen", WAIT, "#invitation-form")
        .await;
    desktop.focus_window().await;
    fill(desktop, "#signin-invitation", link).await;
    desktop.key("Return").await;
}

/// Clicks a field, replaces what it holds with `text` from the keyboard.
async fn fill(desktop: &Desktop, css: &str, text: &str) {
    let at = desktop.rect(css).await.expect(css).centre();
    desktop.click_at(at).await;
    desktop.key("ctrl+a").await;
    desktop.type_text(text).await;
}

async fn eventually<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited {WAIT:?} for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_checked_kept_and_forgotten_on_sign_out() {
    let stack = Stack::start(&["greeting"]).await;
    let profile = Arc::new(tempfile::tempdir().unwrap());
    let config = profile.path().join("config/tessera");
    let desktop = Desktop::start_in(&stack.registry_url, &["--empty"], &[], profile.clone()).await;
    desktop
        .session
        .wait_for_element("the sign-in screen", WAIT, "#signin-form")
        .await;
    desktop.screenshot("signin-screen").await;
    desktop.focus_window().await;

    fill(&desktop, "#signin-token", "tsu_not_a_real_token").await;
    desktop.key("Return").await;
    let e = text_of(&desktop, "signin-error", "did not accept this token").await;
    assert!(e.contains(stack.registry_url.trim_end_matches('/')), "{e}");

    fill(&desktop, "#signin-server", "http://127.0.0.1:9").await;
    fill(&desktop, "#signin-token", &stack.user_token).await;
    desktop.key("Return").await;
    text_of(&desktop, "signin-error", "cannot reach http://127.0.0.1:9").await;
    desktop.screenshot("signin-unreachable").await;
    assert!(
        !config.join("user.token").exists(),
        "nothing kept from failed attempts"
    );

    // The right server: the app keeps the sign-in and starts afresh.
    fill(&desktop, "#signin-server", &stack.registry_url).await;
    desktop.key("Return").await;
    let token_file = config.join("user.token");
    eventually("the token to be kept", || token_file.exists().then_some(())).await;
    assert_eq!(
        std::fs::read_to_string(&token_file).unwrap(),
        stack.user_token
    );
    assert_eq!(
        std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let settings = std::fs::read_to_string(config.join("desktop.toml")).unwrap();
    assert!(
        settings.contains(stack.registry_url.trim_end_matches('/')),
        "{settings}"
    );
    assert!(
        !settings.contains(&stack.user_token),
        "the token is not in the settings"
    );
    drop(desktop);

    // Next start: no URL, no token from outside; the settings say where and who.
    let desktop = restart(&profile).await;
    let s = &desktop.session;
    s.wait_for_element(
        "the greeting from the signed-in server",
        WAIT,
        r#"li[data-widget-id="tessera.greeting"]"#,
    )
    .await;
    assert_eq!(text_of(&desktop, "account", "tester").await, "tester");
    let at = desktop.rect("#account").await.unwrap().centre();
    desktop.click_at(at).await;
    let said = s
        .wait_for_element("the account dialog", WAIT, "#account-who")
        .await;
    assert_eq!(s.text(&said).await.unwrap(), "Signed in as tester");
    desktop.screenshot("signin-account").await;
    let at = desktop.rect(".account-signout").await.unwrap().centre();
    desktop.click_at(at).await;
    eventually("the token to be forgotten", || {
        (!token_file.exists()).then_some(())
    })
    .await;
    drop(desktop);

    // A newcomer is sent an invitation link instead of a token.
    let link = tessera_e2e::registry_cli(&[
        "user",
        "invite",
        "newbie",
        "--database-url",
        &stack.db,
        "--server",
        &stack.registry_url,
    ])
    .await;
    assert!(link.starts_with("tessera://invite/tsi_"), "{link}");
    let desktop = restart(&profile).await;
    paste_invitation(&desktop, &link).await;
    eventually("the invitation's token to be kept", || {
        token_file.exists().then_some(())
    })
    .await;
    drop(desktop);
    let desktop = restart(&profile).await;
    desktop
        .session
        .wait_for_element("the newcomer's shell", WAIT, "body[data-ready=true]")
        .await;
    assert_eq!(text_of(&desktop, "account", "newbie").await, "newbie");
    drop(desktop);

    // The link works once.
    std::fs::remove_file(&token_file).unwrap();
    let desktop = restart(&profile).await;
    paste_invitation(&desktop, &link).await;
    let said = text_of(&desktop, "invitation-error", "was used at").await;
    assert!(said.contains("ask for a new one"), "{said}");
    desktop.screenshot("signin-invitation-used").await;
}

/// "Just this computer": no organisation server; the app starts Tessera's
/// server itself (SQLite under the user's data folder), signs in as its
/// local user, and starts it again on later starts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn just_this_computer_runs_the_server_here() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
        .to_string();
    let server = format!("http://127.0.0.1:{port}");
    // Whatever the test leaves running on that port goes with it.
    struct StopServer(String);
    impl Drop for StopServer {
        fn drop(&mut self) {
            let _ = std::process::Command::new("pkill")
                .args(["-f", &format!("serve --listen 127.0.0.1:{}$", self.0)])
                .status();
        }
    }
    let _stop = StopServer(port.clone());
    let profile = Arc::new(tempfile::tempdir().unwrap());
    let config = profile.path().join("config/tessera");
    let env = [("TESSERA_LOCAL_PORT", port.as_str())];
    let desktop = Desktop::start_in("", &["--empty"], &env, profile.clone()).await;
    desktop
        .session
        .wait_for_element("the sign-in screen", WAIT, "#local-submit")
        .await;
    desktop.focus_window().await;
    let at = desktop.rect("#local-submit").await.unwrap().centre();
    desktop.click_at(at).await;
    let token_file = config.join("user.token");
    eventually("the local user's token to be kept", || {
        token_file.exists().then_some(())
    })
    .await;
    let settings = std::fs::read_to_string(config.join("desktop.toml")).unwrap();
    assert!(
        settings.contains(&server) && settings.contains("local = true"),
        "{settings}"
    );
    let http = reqwest::Client::new();
    let me = http
        .get(format!("{server}/v1/users/me"))
        .bearer_auth(std::fs::read_to_string(&token_file).unwrap().trim())
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.status(),
        200,
        "the kept token works on the server started here"
    );
    drop(desktop);

    // The server stops (the computer restarted, say): the next start of the
    // app starts it again and goes straight in as the local user.
    drop(StopServer(port.clone()));
    eventually("the server to stop", || {
        std::net::TcpStream::connect(format!("127.0.0.1:{port}"))
            .is_err()
            .then_some(())
    })
    .await;
    let desktop = Desktop::start_in("", &["--empty"], &env, profile.clone()).await;
    desktop
        .session
        .wait_for_element("the workspace", WAIT, "body[data-ready=true]")
        .await;
    assert_eq!(text_of(&desktop, "account", "local").await, "local");
    desktop.screenshot("signin-just-this-computer").await;
}
