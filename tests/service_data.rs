//! The service's database as a whole: personal data erased on schedule (and only then),
//! backups taken during writes that restore every acknowledged write, and one server per
//! database.

use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::StatusCode;
use chrono::Duration;
use junkai::server::store::backup::restore;
use junkai::server::store::{Role, Store};
use junkai::server::{AppState, ServeConfig, router};
use serde_json::{Value, json};

mod common;
use common::{junkai, shifted};

const PLANNER: &str = "planner-token-for-data-tests-1";
const DRIVER: &str = "driver-token-for-data-tests-01";

fn config(dir: &Path, db: &str) -> ServeConfig {
    ServeConfig {
        db: dir.join(db),
        data: Some(common::tiny_fixture(dir)),
        clock: common::clock(),
        ..ServeConfig::default()
    }
}

async fn app(dir: &Path) -> (AppState, Router) {
    let state = AppState::open(config(dir, "junkai.sqlite")).await.unwrap();
    common::add_staff(&state, "planner", Role::Planner, None, PLANNER).await;
    common::add_staff(&state, "driver", Role::Driver, Some("gyosei"), DRIVER).await;
    (state.clone(), router(state))
}

async fn call(app: &Router, method: &str, uri: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, text) = common::staff::bearer(app, method, uri, token, body).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn publish_a_plan(app: &Router) -> i64 {
    let (status, started) =
        call(app, "POST", "/api/plans", PLANNER, Some(json!({ "week": shifted("2026-12-07") }))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_i64().unwrap();
    while call(app, "GET", &format!("/api/plans/{id}"), PLANNER, None).await.1["status"] != "draft" {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(call(app, "POST", &format!("/api/plans/{id}/publish"), PLANNER, None).await.0, StatusCode::OK);
    id
}

/// Every itinerary's bookings as text (names, phones, notes, Markdown).
async fn itineraries(state: &AppState, plan: i64) -> String {
    state.store.plan_output(plan, junkai::server::store::PlanColumn::Itineraries).await.unwrap().unwrap()
}

#[tokio::test]
async fn personal_data_is_erased_after_the_retention_period_and_plans_stay() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    let plan = publish_a_plan(&app).await;
    let name = "試験 花子";
    assert!(itineraries(&state, plan).await.contains(name), "R1's resident rides in the crews' itineraries");
    // R1 expires 90 days after the day the published plan visits it.
    let doc = call(&app, "GET", &format!("/api/plans/{plan}/plan.json"), PLANNER, None).await.1;
    let visited = doc["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d.to_string().contains("\"R1\""))
        .and_then(|d| d["date"].as_str()?.parse::<chrono::NaiveDate>().ok())
        .expect("the plan serves R1");
    let days_to = |date: chrono::NaiveDate| (date - state.config.clock.today()).num_days();
    state.config.clock.advance(Duration::days(days_to(visited) + 89));
    let early = state.store.purge(90, false, "test").await.unwrap();
    assert!(!early.requests.contains(&"R1".to_string()), "not before 90 days after the last visit: {early:?}");
    let request = call(&app, "GET", "/api/requests/R1", PLANNER, None).await.1;
    assert_eq!(request["resident"]["name"], name);

    // The CLI's dry run reports and keeps everything.
    state.config.clock.advance(Duration::days(1));
    let today = state.config.clock.today().to_string();
    let db = dir.path().join("junkai.sqlite");
    let out = junkai().env("JUNKAI_TODAY", &today).args(["purge", "--dry-run", "--db"]).arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("R1") && said.contains("試行"), "{said}");
    assert!(itineraries(&state, plan).await.contains(name), "a dry run erases nothing");

    let report = state.store.purge(90, false, "system").await.unwrap();
    assert!(report.requests.contains(&"R1".to_string()) && report.itinerary_days > 0, "{report:?}");
    let request = call(&app, "GET", "/api/requests/R1", PLANNER, None).await.1;
    assert!(
        request.get("resident").is_none() && request["kind"] == "admin",
        "the request stays without its resident: {request}"
    );
    let text = itineraries(&state, plan).await;
    assert!(!text.contains(name) && !text.contains("000-0000-0001"), "names and phones are gone, Markdown included");
    assert!(text.contains("（削除済み）"));
    // R6 is a home visit at 139.36, 36.55: its exact links are gone from every old day.
    let days: Vec<Value> = serde_json::from_str(&text).unwrap();
    let old_days = days.iter().filter(|d| d["date"].as_str().unwrap() <= report.cutoff.as_str());
    let homes: Vec<&Value> =
        old_days.flat_map(|d| d["stops"].as_array().unwrap()).filter(|s| s["stop_id"].is_null()).collect();
    assert!(!homes.is_empty(), "the plan visits R6's home");
    for stop in homes {
        assert_eq!(stop["navigation"], "", "{stop}");
        assert_eq!(stop["map"], "");
    }
    let (status, plan_doc) = call(&app, "GET", &format!("/api/plans/{plan}"), PLANNER, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(plan_doc["summary"]["kpis"]["requests_served"].as_u64().unwrap() > 0, "KPIs stay");
    let log = call(&app, "GET", "/api/audit", PLANNER, None).await.1;
    assert!(log.as_array().unwrap().iter().any(|e| e["action"] == "purge"), "the purge is audited");
    let again = state.store.purge(90, false, "system").await.unwrap();
    assert!(again.requests.is_empty() && again.itinerary_days == 0, "nothing left to erase");
}

#[tokio::test]
async fn a_backup_taken_during_writes_restores_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let writer = {
        let (app, acknowledged) = (app.clone(), acknowledged.clone());
        tokio::spawn(async move {
            for i in 0..120 {
                let id = format!("hall-{i:03}");
                let stop = json!({ "id": id, "name": format!("集会所{i}"), "district": "東町",
                                   "lon": 139.3 + f64::from(i) * 1e-4, "lat": 36.53,
                                   "windows": { "weekdays": [["09:00", "12:00"]] }, "hosts": ["admin"],
                                   "visit_rule": { "min_per_week": 0, "max_per_week": 1 } });
                let (status, body) = call(&app, "POST", "/api/stops", PLANNER, Some(stop)).await;
                assert_eq!(status, StatusCode::CREATED, "{body}");
                acknowledged.lock().unwrap().push(id);
            }
        })
    };
    while acknowledged.lock().unwrap().len() < 40 {
        assert!(!writer.is_finished(), "the writer stopped early");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let backup = dir.path().join("backup.sqlite");
    state.store.backup(&backup).await.unwrap();
    writer.await.unwrap();
    assert!(state.store.backup(&backup).await.is_err(), "a backup never overwrites a file");

    // Restore into a fresh database file and read it back.
    let restored = dir.path().join("restored.sqlite");
    restore(&backup, &restored).await.unwrap();
    let store = Store::open(&restored, common::clock()).await.unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&store.pool).await.unwrap();
    assert_eq!(integrity, "ok");
    let stops: Vec<String> = store.stops().await.unwrap().into_iter().map(|s| s.id).collect();
    for id in &before {
        assert!(stops.contains(id), "{id} was acknowledged before the backup and is in it");
    }
    let all = acknowledged.lock().unwrap().clone();
    assert!(stops.iter().filter(|s| s.starts_with("hall-")).all(|s| all.contains(s)), "nothing unacknowledged");
    assert!(store.user_by_name("planner").await.unwrap().is_some(), "accounts come back too");

    // A restore over the running server's database is refused; so is a file that is no backup.
    let refused = restore(&backup, &dir.path().join("junkai.sqlite")).await.unwrap_err();
    assert!(refused.to_string().starts_with("E4006"), "{refused}");
    // Restoring over an existing database keeps the replaced one beside it.
    store.pool.close().await;
    restore(&backup, &restored).await.unwrap();
    assert!(dir.path().join("restored.sqlite.before-restore").is_file());
    std::fs::write(dir.path().join("junk.sqlite"), "not a database").unwrap();
    let junk = restore(&dir.path().join("junk.sqlite"), &dir.path().join("other.sqlite")).await.unwrap_err();
    assert!(junk.to_string().starts_with("E4008"), "{junk}");
}

#[tokio::test]
async fn a_second_server_on_the_same_database_stops_before_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    let (_, started) = call(&app, "POST", "/api/plans", PLANNER, Some(json!({ "week": shifted("2026-12-07") }))).await;
    let id = started["id"].as_i64().unwrap();
    let second = AppState::open(config(dir.path(), "junkai.sqlite")).await;
    let error = second.err().expect("the second server does not start").to_string();
    assert!(error.starts_with("E4006"), "{error}");
    let row = state.store.plan(id).await.unwrap().unwrap();
    assert_ne!(row.status, junkai::server::store::PlanStatus::Failed, "the running server's solve is left alone");
}

/// A stop saved far outside the data set's boundary is kept, with a W2001 warning header
/// naming it; one inside the boundary gets none.
#[tokio::test]
async fn a_stop_saved_far_outside_the_boundary_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::rename(common::tiny_fixture(dir.path()), data.join("problem.json")).unwrap();
    std::fs::copy(common::repo("data/midori/boundary.geojson"), data.join("boundary.geojson")).unwrap();
    let state = AppState::open(ServeConfig { data: Some(data), ..config(dir.path(), "junkai.sqlite") }).await.unwrap();
    common::add_staff(&state, "planner", Role::Planner, None, PLANNER).await;
    let app = router(state);
    let (_, stops) = call(&app, "GET", "/api/stops", PLANNER, None).await;
    let mut stop = stops[1].clone();
    let id = stop["id"].as_str().unwrap().to_string();

    let put = |stop: Value| {
        let app = app.clone();
        let uri = format!("/api/stops/{id}");
        async move {
            let req = axum::http::Request::builder()
                .method("PUT")
                .uri(uri)
                .header("authorization", format!("Bearer {PLANNER}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(stop.to_string()))
                .unwrap();
            let res = tower::ServiceExt::oneshot(app, req).await.unwrap();
            let warnings: Vec<String> =
                res.headers().get_all("junkai-warning").iter().map(|v| v.to_str().unwrap().to_string()).collect();
            (res.status(), warnings)
        }
    };
    let (status, warnings) = put(stop.clone()).await;
    assert_eq!((status, warnings), (StatusCode::OK, vec![]), "the fixture's halls lie in the city");
    // A hall typed with Tokyo's position: about 90 km outside the city.
    stop["lon"] = json!(139.76);
    stop["lat"] = json!(35.68);
    let (status, warnings) = put(stop).await;
    assert_eq!(status, StatusCode::OK, "a warning does not stop the save");
    assert_eq!(warnings, vec!["W2001 stops[1]".to_string()]);
    let (_, saved) = call(&app, "GET", &format!("/api/stops/{id}"), PLANNER, None).await;
    assert_eq!(saved["lon"], json!(139.76));
}

/// A declined application keeps its reason and phone digits for the resident's check only
/// until the retention period has passed; a pending one goes once its dates have passed.
#[tokio::test]
async fn online_applications_are_erased_after_the_retention_period() {
    use junkai::server::store::ApplicationStatus;
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = app(dir.path()).await;
    let body = |latest: &str| {
        serde_json::from_value(json!({ "id": "", "kind": "admin", "stop": "konaka", "earliest": shifted("2026-12-07"),
            "latest": shifted(latest), "resident": { "name": "申込 太郎", "phone": "0277-00-1234" } }))
        .unwrap()
    };
    let declined = state.store.add_application(body("2026-12-11"), "1234").await.unwrap();
    let pending = state.store.add_application(body("2026-12-18"), "1234").await.unwrap();
    assert!(state.store.decide_application(&declined, ApplicationStatus::Declined, "planner", "満員").await.unwrap());
    let decided = state.store.application(&declined).await.unwrap().unwrap();
    assert_eq!(decided.request, None, "a decided application keeps no name or phone");
    let stored: String = sqlx::query_scalar("SELECT body_json FROM applications WHERE id = ?")
        .bind(&declined)
        .fetch_one(&state.store.pool)
        .await
        .unwrap();
    assert_eq!(stored, "{}");

    state.config.clock.advance(Duration::days(89));
    assert_eq!(state.store.purge(90, false, "system").await.unwrap().applications, 0, "not before 90 days");
    state.config.clock.advance(Duration::days(1));
    assert_eq!(state.store.purge(90, false, "system").await.unwrap().applications, 1);
    assert!(state.store.application(&declined).await.unwrap().is_none());
    assert!(state.store.application(&pending).await.unwrap().is_some(), "its latest date is within the period");
    // A pending application goes 90 days after its latest date.
    state.config.clock.advance(Duration::days(16));
    assert_eq!(state.store.purge(90, false, "system").await.unwrap().applications, 0);
    state.config.clock.advance(Duration::days(1));
    assert_eq!(state.store.purge(90, false, "system").await.unwrap().applications, 1);
    assert!(state.store.application(&pending).await.unwrap().is_none());
}

/// A cancelled request's record (its phone's last four digits) goes after the retention
/// period, counted from the day it was cancelled.
#[tokio::test]
async fn records_of_cancelled_requests_are_erased_after_the_retention_period() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = app(dir.path()).await;
    assert!(state.store.cancel_request("R1", "planner", "本人の希望").await.unwrap());
    assert!(!state.store.cancel_request("R1", "planner", "again").await.unwrap(), "it is gone already");
    let record = state.store.cancellation("R1").await.unwrap().expect("the record");
    assert_eq!((record.reason.as_str(), record.cancelled_by.as_str()), ("本人の希望", "planner"));
    let stored: String = sqlx::query_scalar("SELECT summary_json FROM cancelled_requests WHERE id = 'R1'")
        .fetch_one(&state.store.pool)
        .await
        .unwrap();
    assert!(!stored.contains("resident") && !stored.contains("試験") && !stored.contains("0001"), "{stored}");
    state.config.clock.advance(Duration::days(89));
    assert_eq!(state.store.purge(90, false, "system").await.unwrap().cancellations, 0, "not before 90 days");
    state.config.clock.advance(Duration::days(1));
    assert_eq!(state.store.purge(90, false, "system").await.unwrap().cancellations, 1);
    assert!(state.store.cancellation("R1").await.unwrap().is_none());
    // An import that takes a cancelled number again ends its record too.
    let r2 = state.store.request("R2").await.unwrap().expect("R2");
    assert!(state.store.cancel_request("R2", "planner", "").await.unwrap());
    state.store.add_requests(&[r2], "planner").await.unwrap();
    assert!(state.store.cancellation("R2").await.unwrap().is_none());
}

#[tokio::test]
async fn a_damaged_stored_row_is_an_error_naming_it_never_a_silently_shorter_list() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    let (status, before) = call(&app, "GET", "/api/stops", PLANNER, None).await;
    assert_eq!(status, StatusCode::OK);
    let id = before[0]["id"].as_str().unwrap().to_string();
    sqlx::query("UPDATE stops SET body_json = '{\"id\": ' WHERE id = ?")
        .bind(&id)
        .execute(&state.store.pool)
        .await
        .unwrap();
    let (status, answer) = call(&app, "GET", "/api/stops", PLANNER, None).await;
    assert_eq!((status, answer["code"].as_str()), (StatusCode::INTERNAL_SERVER_ERROR, Some("A500")), "{answer}");
    let (status, _) = call(&app, "GET", &format!("/api/stops/{id}"), PLANNER, None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "the damaged stop is not reported missing");
    // The other stops still read one by one.
    let other = before[1]["id"].as_str().unwrap();
    assert_eq!(call(&app, "GET", &format!("/api/stops/{other}"), PLANNER, None).await.0, StatusCode::OK);
}

/// Every field of the requests format survives the typed store: what the API accepted is
/// what it answers, a stop request and a home visit alike.
#[tokio::test]
async fn a_request_with_every_field_reads_back_as_it_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let full = json!({ "id": "T-full", "kind": "medical", "stop": "zama", "minutes": 25,
        "earliest": shifted("2026-12-07"), "latest": shifted("2026-12-18"),
        "preferred_weekdays": ["tue", "weekdays"], "preferred_time": ["09:00", "12:00"], "priority": 5,
        "resident": { "name": "試験 次郎", "phone": "0277-00-0002" }, "note": "車椅子",
        "channel": "counter", "follow_up_of": "R1" });
    let home = json!({ "id": "T-home", "kind": "admin", "home": { "lon": 139.33, "lat": 36.45, "address": "東町 1-2" },
        "earliest": shifted("2026-12-07"), "latest": shifted("2026-12-11") });
    for body in [full, home] {
        let (status, answer) = call(&app, "POST", "/api/requests", PLANNER, Some(body.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        let id = body["id"].as_str().unwrap();
        assert_eq!(call(&app, "GET", &format!("/api/requests/{id}"), PLANNER, None).await.1, body);
        let (_, list) = call(&app, "GET", "/api/requests", PLANNER, None).await;
        assert!(list.as_array().unwrap().contains(&body), "{list}");
    }
}

/// A new database takes only a data set that passes the checks: a stop with an unknown
/// field stops the server at start with the coded problem, before anything is stored.
#[tokio::test]
async fn a_new_database_refuses_a_data_set_with_problems() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::tiny_fixture(dir.path());
    let mut problem: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    problem["stops"][0]["colour"] = json!("red");
    let bad = dir.path().join("bad-problem.json");
    std::fs::write(&bad, problem.to_string()).unwrap();
    let config = ServeConfig { data: Some(bad), ..config(dir.path(), "junkai.sqlite") };
    let error = AppState::open(config).await.err().expect("refused").to_string();
    assert!(error.contains("E1001") && error.contains("stops[0]"), "{error}");
}
