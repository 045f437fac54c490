//! Users, tokens and groups: the functions the server's CLI calls, and `/v1/users`.

use serde_json::json;
use tessera_accounts::AccountsError;

use crate::support::{on_both_engines, App, TestStore};

on_both_engines!(
    users_tokens_and_groups,
    the_local_user_token_file,
    an_invitation_signs_in_once_before_it_expires
);

/// Issue 12: an invitation's code becomes a token once, before it expires;
/// used, expired and unknown codes say so, and the code is never stored.
async fn an_invitation_signs_in_once_before_it_expires(t: TestStore) {
    let app = App::new(t);
    let code = tessera_accounts::invite_user(app.store(), "bob", chrono::Duration::hours(72))
        .await
        .unwrap();
    assert!(code.starts_with("tsi_") && code.len() == 47, "{code}");
    let uri = format!("/v1/invitations/{code}/accept");
    let got = app
        .call("POST", &uri, None, None)
        .await
        .expect(200, "a fresh invitation");
    assert_eq!(got["name"], "bob");
    let token = got["token"].as_str().unwrap().to_owned();
    let me = app
        .get("/v1/users/me", &token)
        .await
        .expect(200, "the new token works");
    assert_eq!(me["name"], "bob");
    let again = app
        .call("POST", &uri, None, None)
        .await
        .expect(410, "a used invitation");
    assert_eq!(again["code"], "gone");
    assert!(
        again["message"].as_str().unwrap().contains("was used at"),
        "{again}"
    );

    // An existing user may be invited too (a new computer); an expired one says so.
    let old = tessera_accounts::invite_user(app.store(), "bob", chrono::Duration::seconds(-1))
        .await
        .unwrap();
    let gone = app
        .call("POST", &format!("/v1/invitations/{old}/accept"), None, None)
        .await
        .expect(410, "an expired invitation");
    assert!(
        gone["message"].as_str().unwrap().contains("expired at"),
        "{gone}"
    );
    app.call("POST", "/v1/invitations/tsi_nonsense/accept", None, None)
        .await
        .expect(404, "an unknown code");
    assert!(
        matches!(
            tessera_accounts::invite_user(app.store(), "Not Valid", chrono::Duration::hours(1))
                .await,
            Err(AccountsError::Invalid { .. })
        ),
        "names are checked"
    );
}

async fn users_tokens_and_groups(t: TestStore) {
    let app = App::new(t);
    let alice = app.user("alice", false).await;
    assert!(
        alice.starts_with("tsu_") && alice.len() == 47,
        "user tokens look like tsu_ + 43 characters"
    );
    assert!(
        matches!(
            tessera_accounts::add_user(app.store(), "alice", false).await,
            Err(AccountsError::Conflict(_))
        ),
        "user names are unique"
    );
    assert!(
        matches!(
            tessera_accounts::add_user(app.store(), "Bad Name", false).await,
            Err(AccountsError::Invalid { .. })
        ),
        "user names are checked"
    );
    let stored = app
        .store()
        .user_by_token(&tessera_accounts::tokens::hash_token(&alice))
        .await
        .unwrap();
    assert_eq!(
        stored.map(|u| u.name).as_deref(),
        Some("alice"),
        "the token's hash finds the user"
    );
    assert!(
        app.store().user_by_token(&alice).await.unwrap().is_none(),
        "the token itself is not stored"
    );
    let second = tessera_accounts::add_user_token(app.store(), "alice", "laptop")
        .await
        .unwrap();
    app.get("/v1/users/me", &second)
        .await
        .expect(200, "a second token works");

    tessera_accounts::add_group(app.store(), "trading")
        .await
        .unwrap();
    assert!(
        tessera_accounts::add_member(app.store(), "trading", "alice")
            .await
            .unwrap()
    );
    assert!(
        !tessera_accounts::add_member(app.store(), "trading", "alice")
            .await
            .unwrap(),
        "adding twice is harmless"
    );
    assert!(matches!(
        tessera_accounts::add_member(app.store(), "nope", "alice").await,
        Err(AccountsError::NotFound(_))
    ));
    let me = app.get("/v1/users/me", &alice).await.expect(200, "me");
    assert_eq!(
        me,
        json!({"name": "alice", "admin": false, "groups": ["trading"]})
    );

    app.call(
        "POST",
        "/v1/users",
        Some(&alice),
        Some(json!({"name": "bob"})),
    )
    .await
    .expect(403, "only admins create users");
    let admin = app.user("root", true).await;
    let bob = app
        .call(
            "POST",
            "/v1/users",
            Some(&admin),
            Some(json!({"name": "bob"})),
        )
        .await
        .expect(201, "an admin creates a user");
    let bob_token = bob["token"].as_str().unwrap();
    app.get("/v1/users/me", bob_token)
        .await
        .expect(200, "the new user's token works");
    app.call(
        "POST",
        "/v1/users/groups",
        Some(&admin),
        Some(json!({"name": "sales"})),
    )
    .await
    .expect(201, "group");
    app.call(
        "PUT",
        "/v1/users/groups/sales/members/bob",
        Some(&admin),
        None,
    )
    .await
    .expect(201, "member");
    let groups = app
        .get("/v1/users/groups", &alice)
        .await
        .expect(200, "groups");
    assert_eq!(
        groups,
        json!({"groups": [{"name": "sales", "members": ["bob"]}, {"name": "trading", "members": ["alice"]}]})
    );
    let users = app.get("/v1/users", &alice).await.expect(200, "users");
    let names: Vec<&str> = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice", "bob", "root"]);
}

async fn the_local_user_token_file(t: TestStore) {
    let app = App::new(t);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sub/local-user.token");
    tessera_accounts::ensure_local_user(app.store(), &file)
        .await
        .unwrap();
    let token = std::fs::read_to_string(&file).unwrap().trim().to_owned();
    let me = app
        .get("/v1/users/me", &token)
        .await
        .expect(200, "the local user's token works");
    assert_eq!(me["name"], tessera_accounts::LOCAL_USER);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600,
        "the token file is readable by its owner only"
    );

    tessera_accounts::ensure_local_user(app.store(), &file)
        .await
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap().trim(),
        token,
        "a file holding a working token is left alone"
    );
    std::fs::write(&file, "tsu_stale").unwrap();
    tessera_accounts::ensure_local_user(app.store(), &file)
        .await
        .unwrap();
    let fresh = std::fs::read_to_string(&file).unwrap().trim().to_owned();
    assert_ne!(fresh, "tsu_stale", "a stale token is replaced");
    app.get("/v1/users/me", &fresh)
        .await
        .expect(200, "by a working one");
}
