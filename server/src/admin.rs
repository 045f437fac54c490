//! The operator's commands: publishers and admin tokens (the registry's),
//! users, invitations, user tokens and groups (the accounts'). Each opens
//! the one database, and only the part it needs.

use std::path::Path;

use anyhow::Context;
use tessera_registry::auth;
use tessera_registry::config;
use tessera_registry::store::{DynStore, StoreError};

use crate::cli::{Command, DbArgs, GroupCommand, PublisherCommand, UserCommand};
use crate::database;

async fn registry_store(db: &DbArgs) -> anyhow::Result<DynStore> {
    let (db, _) = database::open(db.database_url.as_deref()).await?;
    database::registry(&db).await
}

async fn accounts_store(db: &DbArgs) -> anyhow::Result<tessera_accounts::DynAccountStore> {
    let (db, _) = database::open(db.database_url.as_deref()).await?;
    database::accounts(&db).await
}

/// Runs one of the operator's commands (every one but `serve`).
pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::DefaultConfig => {
            print!("{}", config::DEFAULT_CONFIG);
            Ok(())
        }
        Command::Publisher {
            command:
                PublisherCommand::Add {
                    name,
                    db,
                    token_file,
                    if_missing,
                },
        } => {
            tessera_registry::api::validate_publisher(&name)?;
            let store = registry_store(&db).await?;
            match token_file {
                Some(path) => {
                    ensure_token_file(&store, &name, &path, if_missing).await?;
                    println!("token for publisher {name} is in {}", path.display());
                }
                None => {
                    let token =
                        auth::add_publisher(&store, &name, "created by publisher add").await?;
                    println!("{token}");
                    eprintln!(
                        "publisher {name} created; keep the token above: it is not shown again"
                    );
                }
            }
            Ok(())
        }
        Command::User {
            command: UserCommand::List { db },
        } => {
            let accounts = tessera_accounts::Accounts::new(accounts_store(&db).await?);
            println!("{:<24}  {:<5}  GROUPS", "NAME", "ADMIN");
            for u in accounts.users().await? {
                let admin = if u.admin { "yes" } else { "no" };
                println!("{:<24}  {admin:<5}  {}", u.name, listed(&u.groups));
            }
            Ok(())
        }
        Command::User {
            command: UserCommand::Add { name, admin, db },
        } => {
            let store = accounts_store(&db).await?;
            println!(
                "{}",
                tessera_accounts::add_user(&*store, &name, admin).await?
            );
            eprintln!("user {name} created; keep the token above: it is not shown again");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Invite {
                    name,
                    hours,
                    server,
                    db,
                },
        } => {
            anyhow::ensure!(hours > 0, "--hours must be at least 1");
            let server = url::Url::parse(&server)
                .with_context(|| format!("--server {server:?} is not a URL"))?;
            let store = accounts_store(&db).await?;
            let code = tessera_accounts::invite_user(
                &*store,
                &name,
                chrono::Duration::hours(i64::from(hours)),
            )
            .await?;
            let mut link = url::Url::parse("tessera://invite/").expect("a valid base");
            link.path_segments_mut()
                .expect("tessera: URLs have paths")
                .pop_if_empty()
                .push(&code);
            link.query_pairs_mut()
                .append_pair("server", server.as_str().trim_end_matches('/'));
            println!("{link}");
            eprintln!(
                "invitation for {name}, good once within {hours} h: send them the link above \
                 (paste it on Tessera's sign-in screen); it is not shown again"
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::Tokens { name, db },
        } => {
            let store = accounts_store(&db).await?;
            let tokens = tessera_accounts::user_tokens(&*store, &name).await?;
            println!(
                "{:<16}  {:<20}  {:<20}  LABEL",
                "ID", "CREATED", "LAST USED"
            );
            let time =
                |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
            for t in tokens {
                let used = t.last_used_at.map(time).unwrap_or_else(|| "never".into());
                println!(
                    "{:<16}  {:<20}  {:<20}  {}",
                    t.id,
                    time(t.created_at),
                    used,
                    t.label
                );
            }
            Ok(())
        }
        Command::User {
            command: UserCommand::NewToken { name, label, db },
        } => {
            let store = accounts_store(&db).await?;
            let label = tessera_accounts::check_label(&label)?;
            println!(
                "{}",
                tessera_accounts::add_user_token(&*store, &name, &label).await?
            );
            eprintln!("token for {name} created; keep it: it is not shown again");
            Ok(())
        }
        Command::User {
            command: UserCommand::Revoke { name, id, db },
        } => {
            let store = accounts_store(&db).await?;
            tessera_accounts::revoke_user_token(&*store, &name, &id).await?;
            eprintln!("token {id} of {name} revoked");
            Ok(())
        }
        Command::Group {
            command: GroupCommand::List { db },
        } => {
            let store = accounts_store(&db).await?;
            println!("{:<24}  MEMBERS", "GROUP");
            for g in store.groups().await? {
                println!("{:<24}  {}", g.name, listed(&g.members));
            }
            Ok(())
        }
        Command::Group {
            command: GroupCommand::Add { name, db },
        } => {
            let store = accounts_store(&db).await?;
            tessera_accounts::add_group(&*store, &name).await?;
            eprintln!("group {name} created");
            Ok(())
        }
        Command::Group {
            command: GroupCommand::Member { group, user, db },
        } => {
            let store = accounts_store(&db).await?;
            let added = tessera_accounts::add_member(&*store, &group, &user).await?;
            eprintln!(
                "{user} {} {group}",
                if added {
                    "is now a member of"
                } else {
                    "was already a member of"
                }
            );
            Ok(())
        }
        Command::AdminToken { db, label } => {
            let store = registry_store(&db).await?;
            println!("{}", auth::add_token(&store, None, true, &label).await?);
            eprintln!("admin token created; keep it: it is not shown again");
            Ok(())
        }
        Command::Serve(_) => unreachable!("serve is run by serve::serve"),
    }
}

/// Names as a list line: comma-separated, `-` when there are none.
fn listed(names: &[String]) -> String {
    if names.is_empty() {
        "-".to_owned()
    } else {
        names.join(", ")
    }
}

/// Makes `path` hold a working token of `publisher`, creating either as needed.
pub async fn ensure_token_file(
    store: &DynStore,
    publisher: &str,
    path: &Path,
    keep_working: bool,
) -> anyhow::Result<()> {
    if keep_working {
        if let Ok(existing) = std::fs::read_to_string(path) {
            let grant = store.token(&auth::hash_token(existing.trim())).await?;
            if grant.is_some_and(|g| g.publisher.as_deref() == Some(publisher)) {
                return Ok(());
            }
        }
    }
    match store.create_publisher(publisher).await {
        Ok(()) | Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let token = auth::add_token(
        store,
        Some(publisher),
        false,
        &format!("token file {}", path.display()),
    )
    .await?;
    write_secret(path, &token)
}

fn write_secret(path: &Path, secret: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    writeln!(f, "{secret}").with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
