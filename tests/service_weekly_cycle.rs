//! The week run from the planner's pages (through the router, no sockets): a unit marked
//! out of service and a hall closed for a date are stored through the validated write,
//! respected by the next plan, listed, and removable.

use std::path::Path;

use axum::Router;
use axum::http::StatusCode;
use junkai::server::store::Role;
use junkai::server::{AppState, ServeConfig, router};
use serde_json::{Value, json};

mod common;
use common::shifted;
use common::staff::{self, Session};

const PLANNER: &str = "planner-token-for-cycle-tests-1";

async fn app(dir: &Path) -> Router {
    let config = ServeConfig {
        db: dir.join("junkai.sqlite"),
        data: Some(common::tiny_fixture(dir)),
        clock: common::clock(),
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.unwrap();
    common::add_staff(&state, "planner", Role::Planner, None, PLANNER).await;
    common::add_staff(&state, "driver", Role::Driver, Some("gyosei"), "driver-token-for-cycle-tests-01").await;
    router(state)
}

async fn api(app: &Router, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, text) = staff::bearer(app, method, uri, PLANNER, body).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Plans the fixture's week through the API and returns the draft's plan document.
async fn plan_the_week(app: &Router) -> Value {
    let (status, started) = api(app, "POST", "/api/plans", Some(json!({ "week": shifted("2026-12-07") }))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_i64().unwrap();
    loop {
        let (_, plan) = api(app, "GET", &format!("/api/plans/{id}"), None).await;
        match plan["status"].as_str() {
            Some("draft") => break,
            Some("failed") => panic!("the solve failed: {plan}"),
            _ => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
    api(app, "GET", &format!("/api/plans/{id}/plan.json"), None).await.1
}

/// `(vehicle, stop ids)` of every route on `date`.
fn routes_on(plan: &Value, date: &str) -> Vec<(String, Vec<String>)> {
    let days = plan["days"].as_array().unwrap().iter().filter(|d| d["date"] == date);
    days.flat_map(|d| d["routes"].as_array().unwrap())
        .map(|r| {
            let stops = r["visits"].as_array().unwrap().iter().filter_map(|v| v["stop_id"].as_str().map(String::from));
            (r["vehicle_id"].as_str().unwrap().to_string(), stops.collect())
        })
        .collect()
}

async fn mark(planner: &Session, app: &Router, form: &str) -> staff::Page {
    planner.post(app, "/planner/availability?lang=en", form).await
}

#[tokio::test]
async fn a_unit_out_of_service_and_a_closed_hall_are_set_from_the_page_and_planned_around() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let (tuesday, thursday) = (shifted("2026-12-08"), shifted("2026-12-10"));
    let before = plan_the_week(&app).await;
    assert!(routes_on(&before, &tuesday).iter().any(|(unit, _)| unit == "gyosei"), "gyosei runs on Tuesday");
    assert!(routes_on(&before, &thursday).iter().any(|(_, stops)| stops.contains(&"zama".to_string())));

    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let page = planner.get(&app, "/planner").await;
    assert!(page.text.contains("action=\"/planner/availability\""), "the page has the forms");
    let answer =
        mark(&planner, &app, &format!("target=unit%3Agyosei&from={tuesday}&to=&reason=%E6%95%85%E9%9A%9C")).await;
    assert!(answer.status.is_redirection(), "{} {}", answer.status, answer.text);
    assert!(mark(&planner, &app, &format!("target=stop%3Azama&from={thursday}&reason=")).await.status.is_redirection());
    let (_, unit) = api(&app, "GET", "/api/units/gyosei", None).await;
    assert_eq!(unit["out_of_service"], json!([{ "from": tuesday, "reason": "故障" }]));

    // Dates the wrong way round: E1013 on the page, nothing stored.
    let reversed = format!("target=unit%3Airyo&from={thursday}&to={tuesday}");
    let answer = mark(&planner, &app, &reversed).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.text.contains("E1013"), "{}", answer.text);
    assert!(api(&app, "GET", "/api/units/iryo", None).await.1.get("out_of_service").is_none());

    let listed = planner.get(&app, "/planner?lang=en").await;
    assert!(listed.text.contains(&format!("out of service {tuesday} (故障)")), "{}", listed.text);
    let after = plan_the_week(&app).await;
    assert!(routes_on(&after, &tuesday).iter().all(|(unit, _)| unit != "gyosei"), "{:?}", routes_on(&after, &tuesday));
    assert!(routes_on(&after, &thursday).iter().all(|(_, stops)| !stops.contains(&"zama".to_string())));

    let removed = planner.post(&app, "/planner/availability/remove", "target=unit%3Agyosei&index=0").await;
    assert!(removed.status.is_redirection(), "{}", removed.text);
    assert!(api(&app, "GET", "/api/units/gyosei", None).await.1.get("out_of_service").is_none());

    let driver = staff::sign_in(&app, "driver", common::PASSWORD).await;
    let refused = driver.post(&app, "/planner/availability", &format!("target=stop%3Azama&from={tuesday}")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
