//! The operator's account commands, run as the program: people and groups
//! made from the command line are listed back, never with their tokens.

const BIN: &str = env!("CARGO_BIN_EXE_tessera-server");

/// Runs `tessera-server args… --database-url db`; its status, stdout and stderr.
fn run(db: &str, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(BIN)
        .args(args)
        .args(["--database-url", db])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The lines of a listing, each split into columns (two spaces or more apart).
fn rows(listing: &str) -> Vec<Vec<String>> {
    listing
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

#[test]
fn users_and_groups_made_on_the_command_line_are_listed_without_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("server.db").display());
    let ok = |args: &[&str]| {
        let (ok, out, err) = run(&db, args);
        assert!(ok, "{args:?}: {err}");
        out
    };
    let alice = ok(&["user", "add", "alice", "--admin"]);
    ok(&["user", "add", "bob"]);
    ok(&["group", "add", "research"]);
    ok(&["group", "add", "trading"]);
    ok(&["group", "member", "research", "bob"]);
    ok(&["group", "member", "trading", "bob"]);

    let users = ok(&["user", "list"]);
    assert_eq!(
        rows(&users),
        [
            vec!["NAME", "ADMIN", "GROUPS"],
            vec!["alice", "yes", "-"],
            vec!["bob", "no", "research, trading"],
        ],
        "{users}"
    );
    assert!(
        !users.contains(alice.trim()),
        "a token is never listed: {users}"
    );
    let groups = ok(&["group", "list"]);
    assert_eq!(
        rows(&groups),
        [
            vec!["GROUP", "MEMBERS"],
            vec!["research", "bob"],
            vec!["trading", "bob"],
        ],
        "{groups}"
    );

    // A member who does not exist is refused, saying who, and nothing changes.
    let (ok_carol, _, err) = run(&db, &["group", "member", "research", "carol"]);
    assert!(!ok_carol);
    assert!(err.contains("carol"), "{err}");
    assert_eq!(
        rows(&run(&db, &["group", "list"]).1)[1],
        ["research", "bob"]
    );
}
