//! Remote staff in the service: with the tiny data set's consultations needing a doctor, a
//! published plan's sessions reach the crew's itinerary (who to call, when) and each
//! doctor's own page, API and calendar — a doctor sees their own sessions only, with the
//! residents' names of those sessions (audited), and the calendar file carries no names.

use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use junkai::server::store::Role;
use junkai::server::{AppState, ServeConfig, router};
use serde_json::{Value, json};
use tower::ServiceExt;

mod common;
use common::shifted;

const PLANNER: &str = "planner-token-for-remote-01";
const DRIVER: &str = "driver-token-for-remote-001";
const KIMURA: &str = "kimura-token-for-remote-001";
const SATO: &str = "sato-token-for-remote-00001";

/// The tiny data set, its consultations (`medical`) held with one of two doctors.
fn with_doctors(dir: &Path) -> std::path::PathBuf {
    let path = common::tiny_fixture(dir);
    let mut problem: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let kinds = problem["service_kinds"].as_array_mut().unwrap();
    let medical = kinds.iter_mut().find(|k| k["id"] == "medical").unwrap();
    medical["remote_kind"] = json!("doctor");
    let doctor = |id: &str, name: &str, from: &str, to: &str| {
        json!({ "id": id, "name": name, "kind": "doctor", "organisation": format!("{name}内科"),
                "contact": "0277-00-1234", "hours": { "weekdays": [[from, to]] } })
    };
    problem["remote_staff"] =
        json!([doctor("dr-kimura", "木村", "09:00", "12:00"), doctor("dr-sato", "佐藤", "13:00", "16:30")]);
    problem["session_buffer_minutes"] = json!(5);
    for r in problem["requests"].as_array_mut().unwrap().iter_mut().filter(|r| r["id"] == "R2") {
        r["resident"] = json!({ "name": "受診 一郎", "phone": "000-0000-0002" });
    }
    std::fs::write(&path, problem.to_string()).unwrap();
    path
}

async fn app(dir: &Path) -> (AppState, Router) {
    let config = ServeConfig {
        db: dir.join("junkai.sqlite"),
        data: Some(with_doctors(dir)),
        clock: common::clock(),
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.unwrap();
    common::add_staff(&state, "planner", Role::Planner, None, PLANNER).await;
    common::add_staff(&state, "driver", Role::Driver, Some("iryo"), DRIVER).await;
    common::add_staff(&state, "kimura", Role::Remote, Some("dr-kimura"), KIMURA).await;
    common::add_staff(&state, "sato", Role::Remote, Some("dr-sato"), SATO).await;
    (state.clone(), router(state))
}

async fn get(app: &Router, uri: &str, token: &str) -> (StatusCode, String) {
    let req = Request::builder().uri(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn post(app: &Router, uri: &str, body: Value) -> Value {
    let req = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {PLANNER}"))
        .header(header::CONTENT_TYPE, "application/json");
    let res = app.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Starts a plan (`uri`: `/api/plans` or `/api/replan`), waits for its draft and returns
/// its id and plan document.
async fn draft(app: &Router, uri: &str, body: Value) -> (i64, Value) {
    let id = post(app, uri, body).await["id"].as_i64().unwrap();
    for _ in 0..600 {
        let status: Value = serde_json::from_str(&get(app, &format!("/api/plans/{id}"), PLANNER).await.1).unwrap();
        if status["status"] == "draft" {
            let plan = get(app, &format!("/api/plans/{id}/plan.json"), PLANNER).await.1;
            return (id, serde_json::from_str(&plan).unwrap());
        }
        assert!(status["status"] == "queued" || status["status"] == "running", "{status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the plan did not finish");
}

/// Plans the week and publishes it; returns the plan document.
async fn publish(app: &Router) -> Value {
    let (id, plan) = draft(app, "/api/plans", json!({ "week": shifted("2026-12-07") })).await;
    post(app, &format!("/api/plans/{id}/publish"), json!({})).await;
    plan
}

/// `(date, request, person, start)` of every session of the plan document.
fn plan_sessions(plan: &Value) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for day in plan["days"].as_array().unwrap() {
        for visit in day["routes"].as_array().unwrap().iter().flat_map(|r| r["visits"].as_array().unwrap()) {
            for s in visit["sessions"].as_array().unwrap() {
                let text = |k: &str| s[k].as_str().unwrap().to_string();
                out.push((
                    day["date"].as_str().unwrap().to_string(),
                    text("request_id"),
                    text("remote_id"),
                    text("start"),
                ));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn each_doctor_sees_their_own_sessions_and_the_crew_sees_whom_to_call() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let plan = publish(&app).await;
    let all = plan_sessions(&plan);
    assert!(!all.is_empty(), "the tiny week has consultations with a doctor: {plan}");
    // Re-planning keeps every published session: same day, request, doctor and time.
    let (_, replanned) = draft(&app, "/api/replan", json!({})).await;
    assert_eq!(plan_sessions(&replanned), all);

    for (token, person) in [(KIMURA, "dr-kimura"), (SATO, "dr-sato")] {
        let (status, text) = get(&app, "/api/remote/sessions", token).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let answer: Value = serde_json::from_str(&text).unwrap();
        let mut got: Vec<(String, String, String, String)> = answer["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let text = |k: &str| s[k].as_str().unwrap().to_string();
                (text("date"), text("request_id"), person.to_string(), text("start"))
            })
            .collect();
        got.sort();
        let own: Vec<_> = all.iter().filter(|s| s.2 == person).cloned().collect();
        assert_eq!(got, own, "{person} sees exactly their sessions");

        let (status, ics) = get(&app, "/api/remote/calendar.ics", token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(common::calendar_events(&ics).len(), own.len(), "one event per session");
        assert!(!ics.contains("試験"), "the calendar file names no resident");
    }
    // R2's resident is named to R2's doctor only.
    let r2 = all.iter().find(|s| s.1 == "R2").expect("R2's consultation is planned");
    for (token, person) in [(KIMURA, "dr-kimura"), (SATO, "dr-sato")] {
        let names = get(&app, "/api/remote/sessions", token).await.1.contains("受診 一郎");
        assert_eq!(names, r2.2 == person, "{person}");
    }

    // Others may not read a doctor's sessions; every read was audited.
    assert_eq!(get(&app, "/api/remote/sessions", DRIVER).await.0, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, "/api/remote/sessions", PLANNER).await.0, StatusCode::FORBIDDEN);
    let (_, audit) = get(&app, "/api/audit", PLANNER).await;
    assert!(audit.contains("remote-sessions/dr-kimura") && audit.contains("remote-sessions/dr-sato"), "{audit}");

    // The crew's day names the doctor to call and when.
    let (_, days) = get(&app, "/api/driver/days", DRIVER).await;
    let days: Value = serde_json::from_str(&days).unwrap();
    let mut shown = 0;
    for date in days["dates"].as_array().unwrap() {
        let (_, day) = get(&app, &format!("/api/driver/itinerary?date={}", date.as_str().unwrap()), DRIVER).await;
        let day: Value = serde_json::from_str(&day).unwrap();
        for r in day["stops"].as_array().unwrap().iter().flat_map(|s| s["requests"].as_array().unwrap()) {
            if let Some(s) = r["session"].as_object() {
                shown += 1;
                let expected = all.iter().find(|x| x.1 == r["id"].as_str().unwrap()).expect("a planned session");
                assert_eq!(s["start"].as_str().unwrap(), expected.3);
                assert_eq!(s["contact"], "0277-00-1234");
                let line = format!(
                    "{} {}–{} {}",
                    "オンライン",
                    expected.3,
                    s["end"].as_str().unwrap(),
                    s["remote_name"].as_str().unwrap()
                );
                assert!(day["itinerary_ja"].as_str().unwrap().contains(&line), "the printed itinerary says {line}");
            }
        }
    }
    assert_eq!(shown, all.len(), "every session is on the crew's day");
}
