//! Crew records through the service: a crew's entries are stored once however often the
//! phone sends them, entries for a unit the account does not drive are refused, a later
//! correction wins by the device's clock, and no-shows and wishes for another date come
//! back to the planners as follow-ups that one click turns into a linked request.

use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use junkai::server::store::Role;
use junkai::server::{AppState, ServeConfig, router};
use serde_json::{Value, json};

mod common;
use common::shifted;
use common::staff::bearer;

const PLANNER: &str = "planner-token-for-records-1";
const DRIVER: &str = "driver-token-for-records-01";
/// A second crew of the same unit (two shifts, two phones).
const OTHER_DRIVER: &str = "driver-token-for-records-02";

async fn app(dir: &Path) -> (AppState, Router) {
    let config = ServeConfig {
        db: dir.join("junkai.sqlite"),
        data: Some(common::tiny_fixture(dir)),
        clock: common::clock(),
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.unwrap();
    common::add_staff(&state, "planner", Role::Planner, None, PLANNER).await;
    common::add_staff(&state, "driver", Role::Driver, Some("gyosei"), DRIVER).await;
    common::add_staff(&state, "driver2", Role::Driver, Some("gyosei"), OTHER_DRIVER).await;
    (state.clone(), router(state))
}

async fn call(app: &Router, method: &str, uri: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, text) = bearer(app, method, uri, token, body).await;
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{method} {uri}: {status} {text}")))
}

/// Plans the tiny week and publishes it.
async fn publish(app: &Router) {
    publish_week(app, &shifted("2026-12-07")).await;
}

/// Plans the week of `week` and publishes it (superseding the published plan).
async fn publish_week(app: &Router, week: &str) {
    let (_, made) = call(app, "POST", "/api/plans", PLANNER, Some(json!({ "week": week }))).await;
    let id = made["id"].as_i64().unwrap();
    for _ in 0..600 {
        let (_, status) = call(app, "GET", &format!("/api/plans/{id}"), PLANNER, None).await;
        if status["status"] == "draft" {
            call(app, "POST", &format!("/api/plans/{id}/publish"), PLANNER, Some(json!({}))).await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the plan did not finish");
}

/// The unit's first day with a booking: its date and the first stop with one.
async fn a_day_with_a_booking(app: &Router) -> (String, Value) {
    let (_, days) = call(app, "GET", "/api/driver/days", DRIVER, None).await;
    for date in days["dates"].as_array().unwrap() {
        let uri = format!("/api/driver/itinerary?date={}", date.as_str().unwrap());
        let (_, day) = call(app, "GET", &uri, DRIVER, None).await;
        if let Some(stop) =
            day["stops"].as_array().unwrap().iter().find(|s| !s["requests"].as_array().unwrap().is_empty())
        {
            return (date.as_str().unwrap().to_string(), stop.clone());
        }
    }
    panic!("the tiny week gives the administrative unit a booking");
}

/// An entry of 行政MaaS (`gyosei`, the driver's unit) made at `at` on `date`.
fn entry(id: &str, date: &str, order: &Value, field: &str, request: &str, value: &str, at: &str) -> Value {
    json!({ "client_id": id, "date": date, "unit_id": "gyosei", "stop_order": order, "field": field,
            "request_id": request, "value": value, "note": "", "recorded_at": format!("{date}T{at}+09:00") })
}

async fn send(app: &Router, entries: Vec<Value>) -> Vec<Value> {
    let (status, answer) = call(app, "POST", "/api/driver/records", DRIVER, Some(json!({ "entries": entries }))).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["results"].as_array().unwrap().clone()
}

fn statuses(results: &[Value]) -> Vec<&str> {
    results.iter().map(|r| r["status"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_client_id_is_one_accounts_own() {
    // Another account's device that picks (or copies) the same id stores its own entry
    // instead of silently shadowing, or being shadowed by, the first crew's.
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    publish(&app).await;
    let (date, stop) = a_day_with_a_booking(&app).await;
    let arrival = entry("device-a-0001", &date, &stop["order"], "arrival", "", "10:02", "10:02:10");
    assert_eq!(statuses(&send(&app, vec![arrival.clone()]).await), ["stored"]);
    let body = Some(json!({ "entries": [arrival] }));
    let (status, answer) = call(&app, "POST", "/api/driver/records", OTHER_DRIVER, body.clone()).await;
    assert_eq!((status, answer["results"][0]["status"].as_str()), (StatusCode::OK, Some("stored")), "{answer}");
    let (_, again) = call(&app, "POST", "/api/driver/records", OTHER_DRIVER, body).await;
    assert_eq!(again["results"][0]["status"], "duplicate", "still idempotent per account");
    assert_eq!(state.store.day_entries(&date, "gyosei").await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_entry_sent_three_times_is_stored_once_and_other_units_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    publish(&app).await;
    let (date, stop) = a_day_with_a_booking(&app).await;
    let order = &stop["order"];
    let arrival = entry("device-a-0001", &date, order, "arrival", "", "10:02", "10:02:10");
    // The phone sends its queue, loses the answer, sends again, and a second batch repeats it.
    for expected in ["stored", "duplicate", "duplicate"] {
        assert_eq!(statuses(&send(&app, vec![arrival.clone()]).await), [expected]);
    }
    assert_eq!(statuses(&send(&app, vec![arrival.clone(), arrival.clone()]).await), ["duplicate", "duplicate"]);
    let held = state.store.day_entries(&date, "gyosei").await.unwrap();
    assert_eq!(held.len(), 1, "one entry however often it came");
    assert_eq!(held[0].published.0, stop["published"][0].as_str().unwrap(), "the announced window is kept with it");

    // The medical unit is not this account's: refused, nothing stored.
    let mut other = entry("device-a-0002", &date, order, "arrival", "", "10:05", "10:05:00");
    other["unit_id"] = json!("iryo");
    let refused = send(&app, vec![other]).await;
    assert_eq!((refused[0]["status"].as_str(), refused[0]["code"].as_str()), (Some("refused"), Some("R4003")));
    assert!(state.store.day_entries(&date, "iryo").await.unwrap().is_empty());

    // Checked against the day: no such visit, a wrong time, a booking of another visit.
    let bad = [
        (entry("device-a-0003", &date, &json!(99), "arrival", "", "10:05", "10:05:00"), "R4004"),
        (entry("device-a-0004", &date, order, "departure", "", "25:00", "10:05:00"), "R4005"),
        (entry("device-a-0005", &date, order, "outcome", "R404", "done", "10:05:00"), "R4004"),
        (entry("short", &date, order, "arrival", "", "10:05", "10:05:00"), "R4001"),
    ];
    for (e, code) in bad {
        let got = send(&app, vec![e]).await;
        assert_eq!(got[0]["code"].as_str(), Some(code), "{got:?}");
    }
    assert_eq!(state.store.day_entries(&date, "gyosei").await.unwrap().len(), 1);

    // One malformed entry does not hold up the others of its batch.
    let mut broken = entry("device-a-0006", &date, order, "departure", "", "10:30", "10:30:00");
    broken["stop_order"] = json!(-1);
    let good = entry("device-a-0007", &date, order, "departure", "", "10:31", "10:31:00");
    let got = send(&app, vec![broken, good]).await;
    assert_eq!((statuses(&got), got[0]["code"].as_str()), (vec!["refused", "stored"], Some("R4001")));
    // An entry naming its stop follows the stop when the position it was made at is wrong.
    let mut moved = entry("device-a-0008", &date, &json!(99), "departure", "", "10:32", "10:32:00");
    moved["stop_id"] = stop["stop_id"].clone();
    assert_eq!(statuses(&send(&app, vec![moved]).await), ["stored"]);
    let held = state.store.day_entries(&date, "gyosei").await.unwrap();
    assert_eq!(
        held.last().unwrap().entry.stop_order,
        order.as_u64().unwrap() as usize,
        "stored at its stop's position"
    );

    // Next week's plan is published: entries of this week, sent late, still find their day.
    publish_week(&app, &shifted("2026-12-14")).await;
    let late = entry("device-a-0009", &date, order, "departure", "", "10:33", "10:33:00");
    assert_eq!(statuses(&send(&app, vec![late]).await), ["stored"], "the superseded plan's day");
}

#[tokio::test]
async fn the_later_tap_wins_and_a_no_show_comes_back_as_a_linked_request() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    publish(&app).await;
    let (date, stop) = a_day_with_a_booking(&app).await;
    let order = &stop["order"];
    let request = stop["requests"][0]["id"].as_str().unwrap().to_string();

    // Two phones of one crew: B corrects the arrival at 10:20 but reaches the server first.
    let a = entry("device-a-0101", &date, order, "arrival", "", "10:02", "10:02:00");
    let b = entry("device-b-0101", &date, order, "arrival", "", "10:04", "10:20:00");
    send(&app, vec![b]).await;
    send(&app, vec![a]).await;
    let uri = format!("/api/driver/records?date={date}&unit=gyosei");
    let (_, day) = call(&app, "GET", &uri, DRIVER, None).await;
    assert_eq!(day["entries"].as_array().unwrap().len(), 2, "both entries are kept");
    let arrival = day["current"].as_array().unwrap().iter().find(|e| e["field"] == "arrival").unwrap().clone();
    assert_eq!(arrival["value"], "10:04", "the later device time wins: {day}");

    // 不在, then corrected to 完了: no follow-up; 延期希望 again: one follow-up.
    let outcome = |id: &str, value: &str, at: &str| entry(id, &date, order, "outcome", &request, value, at);
    send(&app, vec![outcome("device-a-0102", "no_show", "10:10:00")]).await;
    assert_eq!(state.store.pending_follow_ups().await.unwrap().len(), 1);
    send(&app, vec![outcome("device-a-0103", "done", "10:11:00")]).await;
    assert!(state.store.pending_follow_ups().await.unwrap().is_empty(), "corrected to done");
    send(&app, vec![outcome("device-a-0104", "postponed", "10:12:00")]).await;
    let pending = state.store.pending_follow_ups().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].request_id.as_str(), pending[0].date.as_str()), (request.as_str(), date.as_str()));

    // The planner confirms it: a new request linked to the old one, dated after the visit.
    let (status, made) =
        call(&app, "POST", &format!("/api/follow-ups/{request}/{date}/confirm"), PLANNER, Some(json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let new_id = made["id"].as_str().unwrap();
    let (_, body) = call(&app, "GET", &format!("/api/requests/{new_id}"), PLANNER, None).await;
    assert_eq!(body["follow_up_of"].as_str(), Some(request.as_str()));
    assert!(body["earliest"].as_str().unwrap() > date.as_str(), "{body}");
    assert!(state.store.pending_follow_ups().await.unwrap().is_empty());
    // Confirming twice makes nothing more.
    let (again, _) =
        call(&app, "POST", &format!("/api/follow-ups/{request}/{date}/confirm"), PLANNER, Some(json!({}))).await;
    assert_eq!(again, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_month_report_counts_what_the_crew_recorded_and_exports_open_data() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    publish(&app).await;
    let (date, stop) = a_day_with_a_booking(&app).await;
    let order = &stop["order"];
    let request = stop["requests"][0]["id"].as_str().unwrap();
    let from = stop["published"][0].as_str().unwrap();
    send(
        &app,
        vec![
            entry("device-a-0201", &date, order, "arrival", "", from, "09:00:00"),
            entry("device-a-0202", &date, order, "outcome", request, "done", "09:30:00"),
        ],
    )
    .await;
    let month = &date[..7];
    let (status, r) = call(&app, "GET", &format!("/api/report?month={month}"), PLANNER, None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["done"], 1, "{r}");
    assert_eq!((r["punctuality"]["recorded"].as_u64(), r["punctuality"]["on_time"].as_u64()), (Some(1), Some(1)));
    assert!(r["bookings_planned"].as_u64().unwrap() >= 1 && r["routes_run"] == 1, "{r}");

    let (bad, answer) = call(&app, "GET", "/api/report?month=2026-13", PLANNER, None).await;
    assert_eq!((bad, answer["code"].as_str()), (StatusCode::BAD_REQUEST, Some("A400")));

    let (status, page) = bearer(&app, "GET", &format!("/planner/report?month={month}"), PLANNER, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.matches("<svg").count() >= 4 && page.contains("年間目標 300人"), "four charts with the class target");
    let (_, open) = bearer(&app, "GET", &format!("/planner/open-data.csv?month={month}"), PLANNER, None).await;
    assert!(open.starts_with('\u{feff}'), "UTF-8 with BOM for Excel");
    assert!(open.contains("年月,地区,サービス種別コード"), "{open}");
    assert!(!open.contains("resident") && !open.contains(request), "no personal data or request ids: {open}");
    let (_, figures) = bearer(&app, "GET", &format!("/planner/report.csv?month={month}"), PLANNER, None).await;
    assert!(figures.starts_with('\u{feff}') && figures.contains("平均待ち日数"), "{figures}");
}
