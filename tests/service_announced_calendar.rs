//! The announced calendar through the service (issue 29): what is announced for a date is
//! the latest publication covering it. Publishing next week while this week runs leaves
//! this week exactly as announced — the crew's day, the hall pages and calendar files,
//! the timetable feed, the residents' status and the call list — and no page claims a
//! change that did not happen; re-publishing this week's plan changes this week only.

use std::path::Path;

use axum::Router;
use axum::http::StatusCode;
use chrono::Duration;
use junkai::server::store::Role;
use junkai::server::{AppState, ServeConfig, router};
use serde_json::{Value, json};

mod common;
use common::shifted;
use common::staff::{self, send};

const PLANNER: &str = "planner-token-for-announced-01";
const DRIVER: &str = "driver-token-for-announced-001";
const STOPS: [&str; 4] = ["konaka", "zama", "godo", "nagaone"];

async fn app(dir: &Path) -> (AppState, Router) {
    let config = ServeConfig {
        db: dir.join("junkai.sqlite"),
        data: Some(common::tiny_folder(dir)),
        clock: common::clock(),
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.unwrap();
    common::add_staff(&state, "planner", Role::Planner, None, PLANNER).await;
    common::add_staff(&state, "driver", Role::Driver, Some("gyosei"), DRIVER).await;
    (state.clone(), router(state))
}

async fn api(app: &Router, token: &str, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, text) = staff::bearer(app, method, uri, token, body).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Plans the week of `week`; the draft's id.
async fn draft_of(app: &Router, week: &str) -> i64 {
    let (status, started) = api(app, PLANNER, "POST", "/api/plans", Some(json!({ "week": week }))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_i64().unwrap();
    for _ in 0..1200 {
        let (_, plan) = api(app, PLANNER, "GET", &format!("/api/plans/{id}"), None).await;
        match plan["status"].as_str() {
            Some("draft") => return id,
            Some("failed") => panic!("the solve failed: {plan}"),
            _ => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
    panic!("the plan did not finish")
}

async fn publish(app: &Router, id: i64) {
    let (status, answer) = api(app, PLANNER, "POST", &format!("/api/plans/{id}/publish"), Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

/// Everything a resident or a crew sees of the dates `from..=to`.
#[derive(Debug, PartialEq)]
struct Seen {
    visits: Vec<Value>,
    calendars: Vec<Vec<(String, u32, String)>>,
    notices: usize,
    itineraries: Vec<Value>,
    status: String,
}

async fn seen(app: &Router, from: &str, to: &str) -> Seen {
    let mut visits = Vec::new();
    let mut calendars = Vec::new();
    let mut notices = 0;
    for stop in STOPS {
        let uri = format!("/api/public/stops/{stop}/visits?from={from}&to={to}");
        let (_, answer) = api(app, PLANNER, "GET", &uri, None).await;
        visits.extend(answer["visits"].as_array().cloned().unwrap_or_default());
        let ics = send(app, "GET", &format!("/api/public/stops/{stop}/calendar.ics"), None, None).await;
        // Events of these dates (a first UID names its date: `junkai-YYYY-MM-DD-…`).
        let of_dates = |uid: &str| uid.get(7..17).is_some_and(|d| d >= from && d <= to);
        calendars.push(common::calendar_events(&ics.text).into_iter().filter(|(uid, _, _)| of_dates(uid)).collect());
        let page = send(app, "GET", &format!("/stops/{stop}"), None, None).await;
        notices += page.text.matches("data-testid=\"change-notice\"").count();
    }
    let (_, days) = api(app, DRIVER, "GET", "/api/driver/days", None).await;
    let mut itineraries = Vec::new();
    for date in days["dates"].as_array().cloned().unwrap_or_default() {
        let date = date.as_str().unwrap().to_string();
        if date.as_str() >= from && date.as_str() <= to {
            let (_, day) = api(app, DRIVER, "GET", &format!("/api/driver/itinerary?date={date}"), None).await;
            // What the crew was told: each stop's announced window and bookings (a re-plan may
            // re-time the drive between them).
            let stops: Vec<Value> = day["stops"]
                .as_array()
                .unwrap()
                .iter()
                .map(|st| {
                    json!([
                        st["stop_id"],
                        st["published"],
                        st["requests"].as_array().unwrap().iter().map(|r| r["id"].clone()).collect::<Vec<_>>()
                    ])
                })
                .collect();
            itineraries.push(json!({ "date": day["date"], "unit": day["unit_id"], "stops": stops }));
        }
    }
    let status = send(app, "POST", "/status", None, Some("number=R1&digits=0001")).await;
    let at = status.text.find("data-testid=\"request-state\"").map_or(0, |i| i);
    Seen { visits, calendars, notices, itineraries, status: status.text[at..].chars().take(200).collect() }
}

#[tokio::test]
async fn publishing_next_week_leaves_this_week_as_announced() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    let (monday, friday) = (shifted("2026-12-07"), shifted("2026-12-11"));
    let this_week = draft_of(&app, &monday).await;
    publish(&app, this_week).await;
    // The week is running: Tuesday morning.
    state.config.clock.advance(Duration::days(7));
    let before = seen(&app, &monday, &friday).await;
    assert!(!before.visits.is_empty() && !before.itineraries.is_empty(), "{before:?}");
    assert_eq!(before.notices, 0);

    let next_week = draft_of(&app, &shifted("2026-12-14")).await;
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let page = planner.get(&app, &format!("/planner?plan={next_week}")).await;
    assert!(!page.text.contains("取りやめ:"), "the draft cancels nothing of this week: {}", page.text);
    publish(&app, next_week).await;

    let after = seen(&app, &monday, &friday).await;
    assert_eq!(after, before, "this week is as it was announced");
    let (_, next) =
        api(&app, PLANNER, "GET", &format!("/api/public/stops/konaka/visits?from={}", shifted("2026-12-14")), None)
            .await;
    let (_, plan) = api(&app, PLANNER, "GET", &format!("/api/plans/{next_week}/plan.json"), None).await;
    let planned_at_konaka = plan["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["routes"].as_array().unwrap())
        .flat_map(|r| r["visits"].as_array().unwrap())
        .filter(|v| v["stop_id"] == "konaka")
        .count();
    assert_eq!(next["visits"].as_array().unwrap().len(), planned_at_konaka, "next week is announced too");
    let requests = planner.get(&app, "/planner/requests").await;
    let r1 = requests.text.split("<td>R1</td>").nth(1).expect("R1 is listed");
    let tuesday = shifted("2026-12-08");
    assert!(
        r1.starts_with(&format!("<td>予定あり {tuesday}")),
        "R1 as residents are told: {}",
        &r1[..200.min(r1.len())]
    );
    let calls = planner.get(&app, "/planner/calls").await;
    assert!(
        calls.text.contains("お知らせした予約で、日時が変わったものや訪問がなくなったものはありません"),
        "{}",
        calls.text
    );

    // This week's plan published again: this week reads from it, next week stays.
    publish(&app, this_week).await;
    assert_eq!(seen(&app, &monday, &friday).await, before, "a rollback of this week changes nothing that was true");
    let (_, still) =
        api(&app, PLANNER, "GET", &format!("/api/public/stops/konaka/visits?from={}", shifted("2026-12-14")), None)
            .await;
    assert_eq!(still, next, "next week keeps its own publication");
}

/// Waits for plan `id` to become a draft.
async fn wait_for_draft(app: &Router, id: i64) {
    for _ in 0..1200 {
        let (_, plan) = api(app, PLANNER, "GET", &format!("/api/plans/{id}"), None).await;
        match plan["status"].as_str() {
            Some("draft") => return,
            Some("failed") => panic!("the solve failed: {plan}"),
            _ => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
    panic!("the plan did not finish")
}

#[tokio::test]
async fn a_replan_of_this_week_starts_from_what_is_announced_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    let (monday, friday, next_monday) = (shifted("2026-12-07"), shifted("2026-12-11"), shifted("2026-12-14"));
    let this_week = draft_of(&app, &monday).await;
    publish(&app, this_week).await;
    state.config.clock.advance(Duration::days(7));
    let next_week = draft_of(&app, &next_monday).await;
    publish(&app, next_week).await;
    let before = seen(&app, &monday, &friday).await;
    let next_before =
        api(&app, PLANNER, "GET", &format!("/api/public/stops/konaka/visits?from={next_monday}"), None).await.1;

    // Re-planned this week (the latest publication is next week's).
    let (status, started) = api(&app, PLANNER, "POST", "/api/replan", Some(json!({ "week": monday }))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_i64().unwrap();
    wait_for_draft(&app, id).await;
    let (_, draft) = api(&app, PLANNER, "GET", &format!("/api/plans/{id}/plan.json"), None).await;
    assert_eq!((draft["first_monday"].as_str(), draft["weeks"].as_i64()), (Some(monday.as_str()), Some(1)));
    publish(&app, id).await;
    // Nothing changed (no new request, no event): everything announced is as it was.
    assert_eq!(seen(&app, &monday, &friday).await, before);
    let next_after =
        api(&app, PLANNER, "GET", &format!("/api/public/stops/konaka/visits?from={next_monday}"), None).await.1;
    assert_eq!(next_after, next_before, "next week is untouched");
    // Weeks outside 1–8 are refused with the field named.
    let (status, refused) =
        api(&app, PLANNER, "POST", "/api/replan", Some(json!({ "week": monday, "weeks": 9 }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
}

#[tokio::test]
async fn a_stop_or_unit_with_announced_visits_is_not_deleted_in_silence() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    let this_week = draft_of(&app, &shifted("2026-12-07")).await;
    publish(&app, this_week).await;
    let (_, plan) = api(&app, PLANNER, "GET", &format!("/api/plans/{this_week}/plan.json"), None).await;
    let dates_of = |unit: &str| -> Vec<String> {
        let days = plan["days"].as_array().unwrap().iter();
        days.filter(|d| d["routes"].as_array().unwrap().iter().any(|r| r["vehicle_id"] == unit))
            .map(|d| d["date"].as_str().unwrap().to_string())
            .collect()
    };
    let iryo = dates_of("iryo");
    assert!(!iryo.is_empty(), "the medical unit runs this week");
    let (status, refused) = api(&app, PLANNER, "DELETE", "/api/units/iryo", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["code"], "A4091");
    assert!(iryo.iter().all(|d| refused["message"].as_str().unwrap().contains(d.as_str())), "{refused}");
    let (status, refused) = api(&app, PLANNER, "DELETE", "/api/stops/nagaone", None).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::CONFLICT, Some("A4091")), "{refused}");
    assert_eq!(api(&app, PLANNER, "GET", "/api/units/iryo", None).await.0, StatusCode::OK, "nothing was deleted");
    // Once its announced days have passed, the unit can go.
    let last: chrono::NaiveDate = iryo.last().unwrap().parse().unwrap();
    let days = (last - common::today()).num_days() + 1;
    state.config.clock.advance(Duration::days(days));
    let (status, answer) = api(&app, PLANNER, "DELETE", "/api/units/iryo", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
}

/// The requests a plan's visits serve.
fn served(plan: &Value) -> Vec<String> {
    let days = plan["days"].as_array().unwrap().iter();
    let visits = days.flat_map(|d| d["routes"].as_array().unwrap()).flat_map(|r| r["visits"].as_array().unwrap());
    visits.flat_map(|v| v["requests"].as_array().unwrap()).map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_request_served_by_an_announced_visit_is_not_booked_again() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    let this_week = draft_of(&app, &shifted("2026-12-07")).await;
    publish(&app, this_week).await;
    let (_, first) = api(&app, PLANNER, "GET", &format!("/api/plans/{this_week}/plan.json"), None).await;
    let booked = served(&first);
    assert!(booked.contains(&"R8".to_string()), "R8 (open until the 24th) is served this week: {booked:?}");
    // Next week's plan leaves alone what this week's announced visits serve.
    let next_week = draft_of(&app, &shifted("2026-12-14")).await;
    let (_, next) = api(&app, PLANNER, "GET", &format!("/api/plans/{next_week}/plan.json"), None).await;
    let twice: Vec<String> = served(&next).into_iter().filter(|r| booked.contains(r)).collect();
    assert!(twice.is_empty(), "booked twice: {twice:?}");
    // This week planned again on Wednesday: Monday's and Tuesday's visits stay announced,
    // so what they serve is not planned again; the rest of the week is.
    state.config.clock.advance(Duration::days(8));
    let again = draft_of(&app, &shifted("2026-12-07")).await;
    let (_, replanned) = api(&app, PLANNER, "GET", &format!("/api/plans/{again}/plan.json"), None).await;
    let wednesday = shifted("2026-12-09");
    let early: Vec<String> = first["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["date"].as_str().unwrap() < wednesday.as_str())
        .flat_map(|d| served(&json!({ "days": [d] })))
        .collect();
    assert!(served(&replanned).iter().all(|r| !early.contains(r)), "{early:?} were served before Wednesday");
}

#[tokio::test]
async fn a_draft_that_uses_a_unit_deleted_since_is_not_published() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let draft = draft_of(&app, &shifted("2026-12-07")).await;
    let (_, plan) = api(&app, PLANNER, "GET", &format!("/api/plans/{draft}/plan.json"), None).await;
    assert!(plan.to_string().contains("\"vehicle_id\":\"iryo\""), "the draft uses the medical unit");
    let (status, answer) = api(&app, PLANNER, "DELETE", "/api/units/iryo", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "nothing is announced yet: {answer}");
    let (status, refused) = api(&app, PLANNER, "POST", &format!("/api/plans/{draft}/publish"), Some(json!({}))).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::CONFLICT, Some("A4093")), "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("iryo"), "{refused}");
}

/// Every announced visit of the dates `from..=to` on the hall pages, as (date, stop, window).
async fn announced_windows(app: &Router, from: &str, to: &str) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for stop in STOPS {
        let uri = format!("/api/public/stops/{stop}/visits?from={from}&to={to}");
        let (_, answer) = api(app, PLANNER, "GET", &uri, None).await;
        for v in answer["visits"].as_array().cloned().unwrap_or_default() {
            out.push((v["date"].as_str().unwrap_or("").to_string(), stop.to_string(), v["window"].clone()));
        }
    }
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out
}

#[tokio::test]
async fn a_replan_for_a_unit_out_of_service_moves_only_its_visits_and_says_why_before_publishing() {
    let dir = tempfile::tempdir().unwrap();
    let (_state, app) = app(dir.path()).await;
    let (monday, friday) = (shifted("2026-12-07"), shifted("2026-12-11"));
    let week = draft_of(&app, &monday).await;
    publish(&app, week).await;
    let (_, plan) = api(&app, PLANNER, "GET", &format!("/api/plans/{week}/plan.json"), None).await;
    // The medical unit's busiest day breaks down.
    let days = plan["days"].as_array().unwrap();
    let iryo_visits = |d: &Value| -> usize {
        let routes = d["routes"].as_array().unwrap().iter().filter(|r| r["vehicle_id"] == "iryo");
        routes.map(|r| r["visits"].as_array().unwrap().len()).sum()
    };
    let day = days.iter().max_by_key(|d| iryo_visits(d)).unwrap();
    let (date, unit_name) = (day["date"].as_str().unwrap().to_string(), "医療MaaS");
    assert!(iryo_visits(day) > 0, "the medical unit runs this week");
    let (_, mut unit) = api(&app, PLANNER, "GET", "/api/units/iryo", None).await;
    unit["out_of_service"] = json!([{ "from": date, "to": date, "reason": "故障" }]);
    assert!(api(&app, PLANNER, "PUT", "/api/units/iryo", Some(unit)).await.0.is_success());
    let before = announced_windows(&app, &monday, &friday).await;

    let (status, started) = api(&app, PLANNER, "POST", "/api/replan", Some(json!({ "week": monday }))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_i64().unwrap();
    wait_for_draft(&app, id).await;
    let (status, review) = api(&app, PLANNER, "GET", &format!("/api/plans/{id}/review"), None).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    let changes = review["changes"].as_array().unwrap();
    assert_eq!(changes.len(), iryo_visits(day), "exactly the broken unit's visits of {date} change: {review}");
    for c in changes {
        assert_eq!((c["from"]["date"].as_str(), c["cause"].as_str()), (Some(date.as_str()), Some("unit_not_working")));
        assert!(c["from"]["unit"].as_str().is_some_and(|u| u.contains(unit_name)), "{c}");
        assert_eq!(c["why"]["ja"], "車両がその日・その時間は運行しないため");
    }
    // The planner page lists them with the cause above the publish button.
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let page = planner.get(&app, &format!("/planner?plan={id}")).await.text;
    let (why, button) = (page.find("理由：車両がその日・その時間は運行しないため"), page.find("この計画を公開する"));
    assert!(why.is_some() && why < button, "the cause is shown before the publish button");

    publish(&app, id).await;
    let after = announced_windows(&app, &monday, &friday).await;
    let untouched: Vec<_> = before.iter().filter(|(d, _, _)| *d != date).collect();
    assert!(untouched.iter().all(|v| after.contains(v)), "every other announced visit keeps its date and window");
}

/// The dates of a plan's visits to `stop`.
fn visit_dates(plan: &Value, stop: &str) -> Vec<chrono::NaiveDate> {
    let days = plan["days"].as_array().unwrap().iter();
    days.filter(|d| {
        d["routes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["visits"].as_array().unwrap().iter().any(|v| v["stop_id"] == stop))
    })
    .map(|d| d["date"].as_str().unwrap().parse().unwrap())
    .collect()
}

#[tokio::test]
async fn next_weeks_plan_keeps_a_halls_spacing_from_this_weeks_announced_visits() {
    let dir = tempfile::tempdir().unwrap();
    let (_state, app) = app(dir.path()).await;
    let this_week = draft_of(&app, &shifted("2026-12-07")).await;
    publish(&app, this_week).await;
    let (_, plan) = api(&app, PLANNER, "GET", &format!("/api/plans/{this_week}/plan.json"), None).await;
    // Of the halls with a weekly minimum, the one visited latest this week now wants six
    // days between visits.
    let (stop, last) = ["konaka", "zama"]
        .iter()
        .filter_map(|s| visit_dates(&plan, s).into_iter().max().map(|d| (*s, d)))
        .max_by_key(|(_, d)| *d)
        .expect("halls are visited this week");
    let (_, mut body) = api(&app, PLANNER, "GET", &format!("/api/stops/{stop}"), None).await;
    body["visit_rule"]["min_gap_days"] = json!(6);
    let (status, answer) = api(&app, PLANNER, "PUT", &format!("/api/stops/{stop}"), Some(body)).await;
    assert!(status.is_success(), "{answer}");

    let next_week = draft_of(&app, &shifted("2026-12-14")).await;
    let (_, next) = api(&app, PLANNER, "GET", &format!("/api/plans/{next_week}/plan.json"), None).await;
    let dates = visit_dates(&next, stop);
    assert!(!dates.is_empty(), "{stop} keeps its weekly visit");
    assert!(dates.iter().all(|d| (*d - last).num_days() >= 6), "{stop} last visited {last}, next on {dates:?}");
}

/// A plan's visits by date as (stop, window, unit) — what residents and crews are told.
fn told(plan: &Value) -> std::collections::BTreeMap<String, Vec<Value>> {
    let mut out = std::collections::BTreeMap::new();
    for day in plan["days"].as_array().unwrap() {
        let visits: &mut Vec<Value> = out.entry(day["date"].as_str().unwrap().to_string()).or_default();
        for route in day["routes"].as_array().unwrap() {
            for v in route["visits"].as_array().unwrap() {
                let requests: Vec<Value> = v["requests"].as_array().unwrap().iter().map(|r| r["id"].clone()).collect();
                visits.push(json!([v["stop_id"], v["published"], route["vehicle_id"], requests]));
            }
        }
    }
    out
}

/// Plans the week of `week` with `open` dates planned again; the draft's document.
async fn plan_opening(app: &Router, week: &str, open: &[&str]) -> (i64, Value) {
    let body = json!({ "week": week, "open": open });
    let (status, started) = api(app, PLANNER, "POST", "/api/plans", Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_i64().unwrap();
    wait_for_draft(app, id).await;
    (id, api(app, PLANNER, "GET", &format!("/api/plans/{id}/plan.json"), None).await.1)
}

#[tokio::test]
async fn a_new_plan_keeps_announced_dates_unless_the_planner_opens_them() {
    let dir = tempfile::tempdir().unwrap();
    let (_state, app) = app(dir.path()).await;
    let monday = shifted("2026-12-07");
    let first = draft_of(&app, &monday).await;
    publish(&app, first).await;
    let announced = told(&api(&app, PLANNER, "GET", &format!("/api/plans/{first}/plan.json"), None).await.1);
    // A new phone request for the week arrives.
    let body = json!({ "id": "P1", "kind": "admin", "stop": "konaka", "earliest": monday,
        "latest": shifted("2026-12-11"), "resident": { "name": "電話 一郎", "phone": "0277-00-0001" } });
    assert_eq!(api(&app, PLANNER, "POST", "/api/requests", Some(body)).await.0, StatusCode::CREATED);

    // Planned again without opening a date: every announced date stays as it was.
    let (id, again) = plan_opening(&app, &monday, &[]).await;
    let again = told(&again);
    for (date, visits) in &announced {
        assert_eq!(again.get(date), Some(visits), "{date} is locked");
    }
    let (_, review) = api(&app, PLANNER, "GET", &format!("/api/plans/{id}/review"), None).await;
    assert_eq!(review["changes"], json!([]), "{review}");

    // One date opened: the others stay, that one may change.
    let open = announced.keys().next().unwrap().clone();
    let (_, opened) = plan_opening(&app, &monday, &[open.as_str()]).await;
    let opened = told(&opened);
    for (date, visits) in announced.iter().filter(|(d, _)| **d != open) {
        assert_eq!(opened.get(date), Some(visits), "{date} is locked, only {open} is open");
    }
    // A date that is not a date is refused with the field named.
    let (status, refused) =
        api(&app, PLANNER, "POST", "/api/plans", Some(json!({ "week": monday, "open": ["12/08"] }))).await;
    assert!(status.is_client_error(), "{refused}");
}

#[tokio::test]
async fn a_request_left_unserved_stays_listed_until_an_announced_visit_serves_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_state, app) = app(dir.path()).await;
    let tuesday = shifted("2026-12-08");
    // A request for one day on which its hall is closed.
    let (_, mut hall) = api(&app, PLANNER, "GET", "/api/stops/nagaone", None).await;
    hall["closed"] = json!([{ "from": tuesday, "reason": "行事" }]);
    assert!(api(&app, PLANNER, "PUT", "/api/stops/nagaone", Some(hall.clone())).await.0.is_success());
    let body = json!({ "id": "U1", "kind": "admin", "stop": "nagaone", "earliest": tuesday, "latest": tuesday,
        "resident": { "name": "未対応 花子", "phone": "0277-00-0002" } });
    assert_eq!(api(&app, PLANNER, "POST", "/api/requests", Some(body)).await.0, StatusCode::CREATED);
    let listed = |answer: &Value| answer["unserved"].as_array().unwrap().iter().any(|u| u["id"] == "U1");
    let this_week = draft_of(&app, &shifted("2026-12-07")).await;
    publish(&app, this_week).await;
    assert!(listed(&api(&app, PLANNER, "GET", "/api/unserved", None).await.1), "U1 waits");
    // Next week's publication does not make it disappear.
    let next_week = draft_of(&app, &shifted("2026-12-14")).await;
    publish(&app, next_week).await;
    let (_, answer) = api(&app, PLANNER, "GET", "/api/unserved", None).await;
    assert!(listed(&answer), "U1 still waits after next week is published: {answer}");
    // The hall opens again; a re-plan of this week serves it, and it leaves the list.
    hall["closed"] = json!([]);
    assert!(api(&app, PLANNER, "PUT", "/api/stops/nagaone", Some(hall)).await.0.is_success());
    let (status, started) =
        api(&app, PLANNER, "POST", "/api/replan", Some(json!({ "week": shifted("2026-12-07") }))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_i64().unwrap();
    wait_for_draft(&app, id).await;
    let (_, replanned) = api(&app, PLANNER, "GET", &format!("/api/plans/{id}/plan.json"), None).await;
    assert!(served(&replanned).contains(&"U1".to_string()), "the re-plan serves U1: {}", replanned["unserved"]);
    publish(&app, id).await;
    assert!(!listed(&api(&app, PLANNER, "GET", "/api/unserved", None).await.1), "U1 is served now");
}
