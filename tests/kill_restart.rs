//! Reliability: the real `junkai serve` is killed with SIGKILL again and again while it
//! answers writes and while it solves, and restarted each time. Afterwards the database
//! passes `PRAGMA integrity_check`, every write answered 2xx is there, and every solve a
//! kill interrupted is marked failed (none stays queued or running).
//!
//! `JUNKAI_KILLS` sets the number of kills (default 6; docs/BENCHMARKS.md records a longer
//! run). The summary line is printed for the record.

use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

mod common;
use common::http::{free_port, request};
use common::junkai;

/// Creates the planner account and returns its API token.
fn planner_token(db: &Path) -> String {
    let mut add = junkai()
        .args(["users", "add", "planner", "--role", "planner", "--db"])
        .arg(db)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    add.stdin.take().unwrap().write_all(format!("{}\n", common::PASSWORD).as_bytes()).unwrap();
    assert!(add.wait().unwrap().success());
    let out = junkai().args(["users", "token", "planner", "--db"]).arg(db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Starts `junkai serve` on the embedded Midori data (its 4-week solve takes seconds, so a
/// kill lands in the middle of it).
fn start(db: &Path, port: u16) -> Child {
    let child = junkai()
        .args(["serve", "--db"])
        .arg(db)
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .env("JUNKAI_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while request(port, "GET", "/api/health", None, None).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not come up");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn sigkill_during_writes_and_solves_loses_no_acknowledged_write() {
    let kills: usize = std::env::var("JUNKAI_KILLS").ok().and_then(|k| k.parse().ok()).unwrap_or(6);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("junkai.sqlite");
    // The first start imports the data set; then the account is added with the server stopped.
    let mut server = start(&db, free_port());
    server.kill().unwrap();
    server.wait().unwrap();
    let token = planner_token(&db);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut solves = Vec::new();
    let mut next = 0usize;
    for round in 0..kills {
        let port = free_port();
        let mut server = start(&db, port);
        // Every other round a solve is running when the kill comes.
        if round % 2 == 1 {
            let (status, plan) =
                request(port, "POST", "/api/plans", Some(&token), Some(&json!({ "weeks": 4 }))).unwrap();
            assert_eq!(status, 202, "{plan}");
            let id = plan["id"].as_i64().unwrap();
            while request(port, "GET", &format!("/api/plans/{id}"), Some(&token), None).unwrap().1["status"] == "queued"
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            solves.push(id);
        }
        let writer = {
            let (token, acknowledged) = (token.clone(), acknowledged.clone());
            let first = next;
            std::thread::spawn(move || {
                for i in first.. {
                    let id = format!("hall-{i:05}");
                    let stop = json!({ "id": id, "name": format!("集会所{i}"), "district": "東町",
                                       "lon": 139.3 + (i % 500) as f64 * 1e-4, "lat": 36.53,
                                       "windows": { "weekdays": [["09:00", "12:00"]] }, "hosts": ["admin"],
                                       "visit_rule": { "min_per_week": 0, "max_per_week": 1 } });
                    match request(port, "POST", "/api/stops", Some(&token), Some(&stop)) {
                        Ok((201, _)) => acknowledged.lock().unwrap().push(id),
                        Ok((status, body)) => panic!("{id}: {status} {body}"),
                        Err(_) => return i,
                    }
                }
                unreachable!()
            })
        };
        // A different moment in each round (deterministic), 80–330 ms after the start.
        std::thread::sleep(Duration::from_millis(80 + (round as u64 * 97) % 250));
        server.kill().unwrap();
        server.wait().unwrap();
        next = writer.join().unwrap() + 1;
    }
    // A last start marks the interrupted solves failed; then look at the file itself.
    let port = free_port();
    let mut server = start(&db, port);
    for id in &solves {
        let (_, plan) = request(port, "GET", &format!("/api/plans/{id}"), Some(&token), None).unwrap();
        let status = plan["status"].as_str().unwrap_or_default().to_string();
        assert_eq!(status, "failed", "solve {id} was killed while running");
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let (integrity, stored, failed) = inspect(&db);
    assert_eq!(integrity, "ok");
    let acknowledged = acknowledged.lock().unwrap();
    let lost: Vec<&String> = acknowledged.iter().filter(|id| !stored.contains(id)).collect();
    assert!(lost.is_empty(), "acknowledged writes lost: {lost:?}");
    println!(
        "kill test: {kills} kills, {} writes acknowledged, {} lost, {} solves interrupted, {failed} marked failed, integrity {integrity}",
        acknowledged.len(),
        lost.len(),
        solves.len()
    );
}

/// Integrity, the stored stop ids, and the number of failed plans, read with sqlx.
fn inspect(db: &Path) -> (String, Vec<String>, i64) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let store = junkai::server::store::Store::open(db, common::clock()).await.unwrap();
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&store.pool).await.unwrap();
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM stops").fetch_all(&store.pool).await.unwrap();
        let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plans WHERE status = 'failed'")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        (integrity, ids, failed)
    })
}
