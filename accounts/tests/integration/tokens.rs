//! Issue 12: tokens people manage (`/v1/users/{name}/tokens`): list with
//! last use, create, label, revoke; admins for anyone; a revoked token is
//! refused at once, by this server and by another replica on Postgres.

use std::time::Duration;

use serde_json::{json, Value};

use crate::support::{on_both_engines, App, TestStore};

on_both_engines!(
    people_list_label_create_and_revoke_their_tokens,
    admins_manage_anyones_tokens_and_others_may_not
);

fn ids(list: &Value) -> Vec<&str> {
    list["tokens"]
        .as_array()
        .expect("a token list")
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect()
}

async fn people_list_label_create_and_revoke_their_tokens(t: TestStore) {
    let app = App::new(t);
    let alice = app.user("alice", false).await;
    let list = app
        .get("/v1/users/me/tokens", &alice)
        .await
        .expect(200, "own tokens");
    let first = &list["tokens"][0];
    assert_eq!(list["tokens"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(first["label"], "created with the user");
    assert_eq!(first["current"], true, "the token this request carried");
    assert!(
        first["last_used_at"].is_string(),
        "use is recorded: {first}"
    );
    assert!(
        !list.to_string().contains(&alice[4..]),
        "the token itself is never listed"
    );

    let made = app
        .call(
            "POST",
            "/v1/users/me/tokens",
            Some(&alice),
            Some(json!({"label": "  work laptop "})),
        )
        .await
        .expect(201, "a new token");
    let laptop = made["token"].as_str().unwrap().to_owned();
    let laptop_id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(made["label"], "work laptop", "labels are trimmed");
    assert!(laptop.starts_with("tsu_"), "{made}");
    let list = app
        .get("/v1/users/alice/tokens", &laptop)
        .await
        .expect(200, "one's own name works like me");
    assert_eq!(ids(&list)[0], laptop_id, "newest first: {list}");
    assert_eq!(list["tokens"][0]["current"], true);
    assert_eq!(list["tokens"][1]["current"], false);

    let uri = format!("/v1/users/me/tokens/{laptop_id}");
    app.call("PATCH", &uri, Some(&alice), Some(json!({"label": "home"})))
        .await
        .expect(204, "relabel");
    let list = app
        .get("/v1/users/me/tokens", &alice)
        .await
        .expect(200, "list");
    assert_eq!(list["tokens"][0]["label"], "home");
    for (bad, why) in [
        (json!({"label": "x".repeat(101)}), "too long"),
        (json!({"label": "a\u{0}b"}), "NUL"),
        (json!({"label": "a\nb"}), "a line break"),
    ] {
        let e = app
            .call("PATCH", &uri, Some(&alice), Some(bad))
            .await
            .expect(422, why);
        assert!(
            e["field"].as_str().unwrap().ends_with("label"),
            "{why}: {e}"
        );
    }
    app.call("PATCH", &uri, Some(&alice), Some(json!(["home"])))
        .await
        .expect(422, "an array is not a label");

    // Used (so the server has it cached), then revoked: refused at once.
    app.get("/v1/users/me", &laptop).await.expect(200, "works");
    app.call("DELETE", &uri, Some(&alice), None)
        .await
        .expect(204, "revoke");
    let refused = app
        .get("/v1/users/me", &laptop)
        .await
        .expect(401, "revoked");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("not recognised"),
        "{refused}"
    );
    app.call("DELETE", &uri, Some(&alice), None)
        .await
        .expect(404, "already revoked");
    assert_eq!(
        ids(&app
            .get("/v1/users/me/tokens", &alice)
            .await
            .expect(200, "list"))
        .len(),
        1
    );
}

async fn admins_manage_anyones_tokens_and_others_may_not(t: TestStore) {
    let app = App::new(t);
    let alice = app.user("alice", false).await;
    let bob = app.user("bob", false).await;
    let root = app.user("root", true).await;
    let e = app
        .get("/v1/users/alice/tokens", &bob)
        .await
        .expect(403, "bob may not list alice's tokens");
    assert!(
        e["message"].as_str().unwrap().contains("only admins"),
        "{e}"
    );
    app.call(
        "POST",
        "/v1/users/alice/tokens",
        Some(&bob),
        Some(json!({"label": "mine now"})),
    )
    .await
    .expect(403, "nor make her one");
    let alices = app
        .get("/v1/users/alice/tokens", &root)
        .await
        .expect(200, "an admin may");
    let alice_id = ids(&alices)[0].to_owned();
    assert_eq!(alices["tokens"][0]["current"], false);
    app.call(
        "DELETE",
        &format!("/v1/users/bob/tokens/{alice_id}"),
        Some(&root),
        None,
    )
    .await
    .expect(404, "the id must be one of bob's");
    app.get("/v1/users/nobody/tokens", &root)
        .await
        .expect(404, "no such user");
    app.call(
        "DELETE",
        &format!("/v1/users/alice/tokens/{alice_id}"),
        Some(&root),
        None,
    )
    .await
    .expect(204, "an admin revokes alice's token");
    app.get("/v1/users/me", &alice)
        .await
        .expect(401, "alice's revoked token");

    // The CLI's functions do the same against the store.
    let rows = tessera_accounts::user_tokens(app.store(), "bob")
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    tessera_accounts::revoke_user_token(app.store(), "bob", &rows[0].id)
        .await
        .unwrap();
    assert!(
        tessera_accounts::revoke_user_token(app.store(), "bob", &rows[0].id)
            .await
            .is_err()
    );
    assert!(
        app.store()
            .user_by_token(&tessera_accounts::tokens::hash_token(&bob))
            .await
            .unwrap()
            .is_none(),
        "bob's token is gone from the store"
    );
}

/// Two replicas on one Postgres database: a token cached by B is refused by
/// B as soon as A revokes it (B LISTENs for revocations).
#[tokio::test]
async fn a_token_revoked_on_one_replica_is_refused_by_the_other_at_once() {
    let url = tessera_testkit::pg::fresh_database().await;
    let store_a = tessera_accounts::store::connect(&url).await.unwrap();
    let store_b = tessera_accounts::store::connect(&url).await.unwrap();
    let token = tessera_accounts::add_user(&*store_a, "alice", false)
        .await
        .unwrap();
    let a = App::new(TestStore {
        store: store_a,
        _dir: None,
    });
    let b = App::new(TestStore {
        store: store_b,
        _dir: None,
    });
    let state_b = b.accounts.clone();
    b.get("/v1/users/me", &token)
        .await
        .expect(200, "B resolves it");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !state_b.trusts_cached_tokens() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "B's revocation listener never connected"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    b.get("/v1/users/me", &token)
        .await
        .expect(200, "B answers from its cache now");
    let id = &tessera_accounts::store::token_id(&tessera_accounts::tokens::hash_token(&token))
        .to_owned();
    a.call(
        "DELETE",
        &format!("/v1/users/me/tokens/{id}"),
        Some(&token),
        None,
    )
    .await
    .expect(204, "revoked through A");
    // NOTIFY is delivered after A's commit; give it a moment, bounded.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let status = b.get("/v1/users/me", &token).await.status.as_u16();
        if status == 401 {
            break;
        }
        assert_eq!(status, 200);
        assert!(
            tokio::time::Instant::now() < deadline,
            "B still honours the revoked token (its cache keeps it for 30 s)"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
