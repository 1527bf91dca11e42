//! `junkai users`: the first admin from the command line (password piped or generated and
//! printed once), refused names and passwords with their codes, API tokens for scripts.

use std::io::Write;
use std::process::{Output, Stdio};

mod common;
use common::junkai;

fn users(db: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = junkai()
        .args(["--lang", "en", "users"])
        .args(args)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn the_first_admin_is_made_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("junkai.sqlite");
    let added = users(&db, &["add", "tanaka", "--role", "admin"], Some("a-long-admin-pass-2026\n"));
    assert!(added.status.success(), "{}", text(&added));
    assert!(!text(&added).contains("a-long-admin-pass-2026"), "a piped password is not echoed");
    // No piped password: one is generated and printed once.
    let generated = users(&db, &["add", "suzuki", "--role", "driver", "--unit", "gyosei"], None);
    assert!(generated.status.success(), "{}", text(&generated));
    let line =
        String::from_utf8_lossy(&generated.stdout).lines().find(|l| l.contains("shown once")).unwrap().to_string();
    let password = line.rsplit(' ').next().unwrap();
    assert_eq!(password.len(), 20, "{line}");
    let list = users(&db, &["list"], None);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(
        listed.contains("tanaka\tadmin\t-\tactive") && listed.contains("suzuki\tdriver\tgyosei\tactive"),
        "{listed}"
    );
    assert!(!listed.contains(password), "passwords are never listed");

    for (args, stdin, code) in [
        (&["add", "tanaka", "--role", "viewer"][..], Some("another-long-pass-2026\n"), "E4004"),
        (&["add", "sato", "--role", "viewer"][..], Some("short\n"), "E4003"),
        (&["add", "sato", "--role", "viewer"][..], Some("password1234\n"), "E4003"),
        (&["add", "bad name!", "--role", "viewer"][..], None, "E4002"),
        (&["token", "nobody"][..], None, "E4005"),
    ] {
        let out = users(&db, args, stdin);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(code), "{args:?}: {}", text(&out));
    }
    let role = users(&db, &["add", "sato", "--role", "chief"], None);
    assert_eq!(role.status.code(), Some(2), "an unknown role is refused by the parser: {}", text(&role));

    let token = users(&db, &["token", "tanaka", "--label", "nightly export"], None);
    assert!(token.status.success());
    assert!(String::from_utf8_lossy(&token.stdout).trim().starts_with("jk_"));
}

#[test]
fn a_locked_out_admin_is_let_in_again_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("junkai.sqlite");
    assert!(users(&db, &["add", "tanaka", "--role", "admin"], Some("a-long-admin-pass-2026\n")).status.success());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let query = |sql: &str| {
        runtime.block_on(async {
            let url = format!("sqlite://{}", db.display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let row: Option<(Option<i64>, String)> = sqlx::query_as(sql).fetch_optional(&pool).await.unwrap();
            pool.close().await;
            row
        })
    };
    query(
        "UPDATE users SET failed_logins = 5, locked_until = 4102444800 WHERE name = 'tanaka' RETURNING locked_until, name",
    );
    let unlocked = users(&db, &["unlock", "tanaka"], None);
    assert!(unlocked.status.success(), "{}", text(&unlocked));
    let row = query("SELECT locked_until, password_hash FROM users WHERE name = 'tanaka'").unwrap();
    assert_eq!(row.0, None, "the lock is cleared");
    let audited = query("SELECT NULL, action FROM audit_log WHERE action = 'user-unlock' AND target = 'users/tanaka'");
    assert!(audited.is_some(), "the unlock is audited");

    let reset = users(&db, &["reset", "tanaka"], Some("a-new-admin-pass-2026\n"));
    assert!(reset.status.success(), "{}", text(&reset));
    let (_, hash) = query("SELECT locked_until, password_hash FROM users WHERE name = 'tanaka'").unwrap();
    assert!(junkai::server::auth::password::verify("a-new-admin-pass-2026", &hash));
    for (args, code) in [(&["unlock", "nobody"][..], "E4005"), (&["reset", "nobody"][..], "E4005")] {
        let out = users(&db, args, Some("a-new-admin-pass-2026\n"));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(code), "{args:?}: {}", text(&out));
    }
    let short = users(&db, &["reset", "tanaka"], Some("short\n"));
    assert!(text(&short).contains("E4003"), "{}", text(&short));
}
