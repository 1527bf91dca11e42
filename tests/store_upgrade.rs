//! A database made by the previous release (schema version 5) opens with this one: the
//! accounts rebuild of migration 6 keeps every account, session, API token and crew day.

use junkai::server::store::Role;
use junkai::server::{AppState, ServeConfig};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

mod common;

/// A database `db` made by this repository's migrations before `first_missing` (e.g.
/// `"0006"`: schema version 5), as an earlier release left it.
async fn database_before(dir: &std::path::Path, db: &std::path::Path, first_missing: &str) -> sqlx::SqlitePool {
    let old = dir.join("migrations");
    std::fs::create_dir(&old).unwrap();
    for entry in std::fs::read_dir(common::repo("migrations")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < first_missing {
            std::fs::copy(&path, old.join(&name)).unwrap();
        }
    }
    let options = SqliteConnectOptions::new().filename(db).create_if_missing(true).foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(old.as_path()).await.unwrap().run(&pool).await.unwrap();
    pool
}

#[tokio::test]
async fn accounts_sessions_and_tokens_survive_the_accounts_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("junkai.sqlite");
    // The schema up to version 5, from this repository's migrations.
    let pool = database_before(dir.path(), &db, "0006").await;
    let at = "2026-12-01T09:00:00+09:00";
    for statement in [
        format!(
            "INSERT INTO users (id, name, role, unit_id, password_hash, created_at, password_changed_at) VALUES (7, 'driver', 'driver', 'gyosei', 'x', '{at}', '{at}')"
        ),
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_unix, seen_unix) VALUES ('s1', 7, 'c', 1, 1)"
            .into(),
        format!(
            "INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES (7, 'car', '{}', '{at}')",
            junkai::server::store::secret_hash("old-token-kept-through-upgrade")
        ),
        "INSERT INTO crew_days (user_id, date, unit_id) VALUES (7, '2026-12-08', 'iryo')".into(),
    ] {
        sqlx::query(&statement).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let config = ServeConfig {
        db: db.clone(),
        data: Some(common::tiny_fixture(dir.path())),
        clock: common::clock(),
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.expect("the old database upgrades");
    let store = &state.store;
    let (account, _) = store.user_by_name("driver").await.unwrap().expect("the account is kept");
    assert_eq!((account.id, account.role, account.unit_id.as_deref()), (7, Role::Driver, Some("gyosei")));
    let count = |table: &str| format!("SELECT COUNT(*) FROM {table} WHERE user_id = 7");
    for table in ["sessions", "api_tokens", "crew_days"] {
        let n: i64 = sqlx::query_scalar(&count(table)).fetch_one(&store.pool).await.unwrap();
        assert_eq!(n, 1, "{table} keeps its row");
    }
    // The new role is accepted now.
    store.add_user("doctor", Role::Remote, Some("dr-kimura"), common::PASSWORD, "test").await.unwrap().expect("new");
    let (doctor, _) = store.user_by_name("doctor").await.unwrap().unwrap();
    assert_eq!((doctor.role, doctor.remote_id.as_deref(), doctor.unit_id), (Role::Remote, Some("dr-kimura"), None));
    let violations: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&store.pool).await.unwrap();
    assert!(violations.is_empty(), "{violations:?}");
}

#[tokio::test]
async fn plans_published_before_the_announced_calendar_stay_announced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("junkai.sqlite");
    // The schema up to version 8.
    let pool = database_before(dir.path(), &db, "0009").await;
    // A plan of the tiny week, as `junkai plan` writes it, published the old way.
    let out = dir.path().join("out");
    let week = common::shifted("2026-12-07");
    let made = common::junkai()
        .args(["plan", "--data"])
        .arg(common::tiny_folder(dir.path()))
        .args(["--week", &week, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let plan_json = std::fs::read_to_string(out.join("plan.json")).unwrap();
    sqlx::query(
        "INSERT INTO plans (id, status, kind, first_monday, weeks, seed, created_at, published_at, plan_json) \
         VALUES (3, 'published', 'plan', ?, 1, 1, '2026-11-30T09:00:00+09:00', '2026-11-30T09:00:00+09:00', ?)",
    )
    .bind(&week)
    .bind(&plan_json)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let config = ServeConfig {
        db: db.clone(),
        data: Some(common::tiny_fixture(dir.path())),
        clock: common::clock(),
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.expect("the old database upgrades");
    let announced = state.store.announced_from(common::today(), false).await.unwrap();
    assert_eq!(announced.latest().map(|p| p.plan_id), Some(3), "the old publication is the announced calendar");
    let monday: chrono::NaiveDate = week.parse().unwrap();
    let days = announced.days();
    assert!(!days.is_empty() && days.iter().all(|(_, d)| d.date >= monday), "its week is announced");
}
