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
        data: Some(common::tiny_folder(dir)),
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

    let stale =
        planner.post(&app, "/planner/availability/remove", "target=unit%3Agyosei&index=0&from=2020-01-01").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "a page out of date removes nothing");
    let removed = planner
        .post(&app, "/planner/availability/remove", &format!("target=unit%3Agyosei&index=0&from={tuesday}"))
        .await;
    assert!(removed.status.is_redirection(), "{}", removed.text);
    assert!(api(&app, "GET", "/api/units/gyosei", None).await.1.get("out_of_service").is_none());

    let driver = staff::sign_in(&app, "driver", common::PASSWORD).await;
    let refused = driver.post(&app, "/planner/availability", &format!("target=stop%3Azama&from={tuesday}")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// A resident's application form, filled in.
fn application(name: &str, phone: &str) -> String {
    serde_urlencoded::to_string([
        ("stop", "konaka"),
        ("kind", "admin"),
        ("earliest", &shifted("2026-12-07")),
        ("latest", &shifted("2026-12-11")),
        ("name", name),
        ("phone", phone),
        ("consent", "yes"),
        ("website", ""),
    ])
    .unwrap()
}

/// Posts a resident's form (no session).
async fn resident_post(app: &Router, uri: &str, form: &str) -> staff::Page {
    staff::send(app, "POST", uri, None, Some(form)).await
}

/// The request number on the answer page.
fn request_number(page: &staff::Page) -> String {
    let at = page.text.find("data-testid=\"request-number\"").expect("a request number") + 1;
    let text = &page.text[at..];
    let start = text.find("W-").expect("a W- number");
    text[start..start + 11].to_string()
}

async fn status_of(app: &Router, number: &str, digits: &str) -> staff::Page {
    resident_post(app, "/status", &format!("number={number}&digits={digits}")).await
}

#[tokio::test]
async fn a_residents_application_is_queued_accepted_planned_and_its_status_checked_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let form = staff::send(&app, "GET", "/apply", None, None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("action=\"/apply\"") && form.text.contains("小中集会所"), "{}", form.text);

    let answer = resident_post(&app, "/apply", &application("みどり 花子", "０２７７－７６－１２３４")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let number = request_number(&answer);
    assert_eq!(api(&app, "GET", &format!("/api/requests/{number}"), None).await.0, StatusCode::NOT_FOUND, "pending");
    let waiting = status_of(&app, &number, "1234").await;
    assert!(waiting.text.contains("受付中"), "{}", waiting.text);
    assert_eq!(status_of(&app, &number, "4321").await.status, StatusCode::NOT_FOUND, "wrong digits tell nothing");
    assert!(!status_of(&app, &number, "4321").await.text.contains("受付中"));

    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let queue = planner.get(&app, "/planner").await;
    assert!(queue.text.contains(&number) && queue.text.contains("みどり 花子"), "the planner sees the application");
    let accepted = planner.post(&app, &format!("/planner/applications/{number}/accept"), "").await;
    assert!(accepted.status.is_redirection(), "{} {}", accepted.status, accepted.text);
    let (_, request) = api(&app, "GET", &format!("/api/requests/{number}"), None).await;
    assert_eq!(
        (request["channel"].as_str(), request["resident"]["phone"].as_str()),
        (Some("online"), Some("0277-76-1234"))
    );
    let share = planner.get(&app, "/planner/requests").await;
    assert!(share.text.contains("11%（1 / 9 件"), "one online of nine: {}", share.text);
    let again = planner.post(&app, &format!("/planner/applications/{number}/accept"), "").await;
    assert_eq!(again.status, StatusCode::CONFLICT, "decided once");
    // Two planners accepting at the same moment: one wins, the request is made once.
    let third = request_number(&resident_post(&app, "/apply", &application("同時 三子", "090-0000-9999")).await);
    let uri = format!("/planner/applications/{third}/accept");
    let (a, b) = tokio::join!(planner.post(&app, &uri, ""), planner.post(&app, &uri, ""));
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 409], "{} / {}", a.text, b.text);
    let (_, log) = api(&app, "GET", "/api/audit", None).await;
    let made = log.as_array().unwrap().iter().filter(|e| e["target"] == format!("requests/{third}")).count();
    assert_eq!(made, 1, "one create of the request: {log}");
    assert_eq!(api(&app, "DELETE", &format!("/api/requests/{third}"), None).await.0, StatusCode::NO_CONTENT);

    let plan = plan_the_week(&app).await;
    let (_, plans) = api(&app, "GET", "/api/plans", None).await;
    let id = plans[0]["id"].as_i64().unwrap();
    assert_eq!(api(&app, "POST", &format!("/api/plans/{id}/publish"), None).await.0, StatusCode::OK);
    let visit_day = plan["days"].as_array().unwrap().iter().find(|d| {
        d["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["visits"].as_array().unwrap())
            .any(|v| v["requests"].as_array().unwrap().iter().any(|r| r["id"] == number.as_str()))
    });
    let scheduled = status_of(&app, &number, "1234").await;
    let date = visit_day.expect("the application is planned")["date"].as_str().unwrap().to_string();
    let day = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap().format("%-m月%-d日").to_string();
    assert!(scheduled.text.contains("予定あり") && scheduled.text.contains(&day), "{day}: {}", scheduled.text);
    assert!(scheduled.text.contains("小中集会所"));
    assert!(!scheduled.text.contains("みどり 花子"), "nothing else is shown");

    let second = request_number(&resident_post(&app, "/apply", &application("桐生 次郎", "090-0000-5678")).await);
    let declined = planner
        .post(
            &app,
            &format!("/planner/applications/{second}/decline"),
            "reason=%E5%AE%9A%E5%93%A1%E3%81%AB%E9%81%94%E3%81%97%E3%81%BE%E3%81%97%E3%81%9F",
        )
        .await;
    assert!(declined.status.is_redirection(), "{}", declined.text);
    let told = status_of(&app, &second, "5678").await;
    assert!(told.text.contains("取消") && told.text.contains("定員に達しました"), "{}", told.text);
    // An accepted application whose request is cancelled tells the resident so.
    let cancel = planner.post(&app, &format!("/planner/requests/{number}/cancel"), "reason=%E5%8F%96%E6%B6%88").await;
    assert!(cancel.status.is_redirection(), "{}", cancel.text);
    let gone = status_of(&app, &number, "1234").await;
    assert!(gone.text.contains("data-testid=\"request-state\">取消"), "{}", gone.text);
}

#[tokio::test]
async fn abusive_or_careless_applications_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let good = application("みどり 花子", "0277-76-1234");
    // A robot fills in the hidden field: a thanks page, no number, nothing queued.
    let robot = resident_post(&app, "/apply", &good.replace("website=", "website=http%3A%2F%2Fspam")).await;
    assert_eq!(robot.status, StatusCode::OK);
    assert!(!robot.text.contains("data-testid=\"request-number\""));
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    assert!(planner.get(&app, "/planner").await.text.contains("確認待ちの申し込みはありません"));

    for (form, expect) in [
        (good.replace("consent=yes", "consent="), "同意"),
        (good.replace("0277-76-1234", "12"), "電話番号"),
        (good.replace(&shifted("2026-12-07"), "2020-01-06"), "今日以降"),
        (good.replace("kind=admin", "kind=medical").replace("stop=konaka", "stop=nowhere"), "一覧から選んで"),
    ] {
        let answer = resident_post(&app, "/apply", &form).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        assert!(answer.text.contains(expect), "{expect}: {}", answer.text);
        assert!(!answer.text.contains("E10"), "plain words, no codes: {}", answer.text);
    }
    let huge = format!("{good}&name={}", "あ".repeat(20_000));
    assert_eq!(resident_post(&app, "/apply", &huge).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Refused forms do not count, the robot's does: four more applications reach the
    // limit of five an hour, the next one is refused.
    for _ in 0..4 {
        assert_eq!(resident_post(&app, "/apply", &good).await.status, StatusCode::OK);
    }
    let limited = resident_post(&app, "/apply", &good).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.text);

    // Guessing numbers: after ten wrong answers from one address, it must wait.
    for n in 0..10 {
        assert_eq!(status_of(&app, &format!("W-0000-{n:04}"), "1234").await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(status_of(&app, "W-0000-0011", "1234").await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_requests_page_lists_filters_exports_and_cancels_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let before = planner.get(&app, "/planner/requests").await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(
        before.text.contains("試験 花子") && before.text.contains("<td>未計画</td>"),
        "no plan yet: {}",
        before.text
    );
    plan_the_week(&app).await;

    let listed = planner.get(&app, "/planner/requests").await;
    assert!(listed.text.contains("オンラインでの事前申請割合: 0%（0 / 8 件"), "the KPI: {}", listed.text);
    assert!(
        listed.text.contains("<td>未計画<br><span class=\"note\">下書きでは: 予定あり 2"),
        "nothing announced yet, and the draft's state beside it: {}",
        listed.text
    );
    let only_class = planner.get(&app, "/planner/requests?kind=class").await;
    assert!(only_class.text.contains("R3") && !only_class.text.contains(">R1<"), "{}", only_class.text);
    let by_district =
        planner.get(&app, &format!("/planner/requests?district={}", "%E5%A4%A7%E9%96%93%E3%80%85%E7%94%BA")).await;
    assert!(by_district.text.contains("R5") && !by_district.text.contains(">R7<"), "大間々町 only");

    let csv = planner.get(&app, "/planner/requests.csv").await;
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.text.starts_with('\u{feff}') && csv.text.contains("試験 花子") && csv.text.contains("\r\n"));
    assert_eq!(csv.text.lines().count(), 9, "a heading and the fixture's eight requests: {}", csv.text);

    let (_, mut r8) = api(&app, "GET", "/api/requests/R8", None).await;
    let (phone, last4) = ("0277-76-4321", "4321");
    r8["resident"] = json!({ "name": "取消 三郎", "phone": phone });
    assert_eq!(api(&app, "PUT", "/api/requests/R8", Some(r8)).await.0, StatusCode::OK);
    let missing = planner.post(&app, "/planner/requests/R8/cancel", "reason=").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST, "a reason is needed");
    let cancelled =
        planner.post(&app, "/planner/requests/R8/cancel", "reason=%E6%9C%AC%E4%BA%BA%E3%81%AE%E5%B8%8C%E6%9C%9B").await;
    assert!(cancelled.status.is_redirection(), "{}", cancelled.text);
    assert_eq!(api(&app, "GET", "/api/requests/R8", None).await.0, StatusCode::NOT_FOUND);
    let (_, log) = api(&app, "GET", "/api/audit", None).await;
    let entries = log.as_array().unwrap();
    assert!(entries.iter().any(|e| e["action"] == "cancel" && e["detail"] == "本人の希望"), "{log}");
    assert!(entries.iter().any(|e| e["action"] == "read-personal" && e["detail"] == "csv"), "downloads are audited");
    // The cancelled request stays on the list as 取消 with its reason, and its resident
    // sees 取消 by number (the reason stays inside).
    let gone = planner.get(&app, "/planner/requests?state=cancelled").await;
    assert!(
        gone.text.contains(">R8<") && gone.text.contains("本人の希望") && !gone.text.contains(">R1<"),
        "{}",
        gone.text
    );
    assert!(!gone.text.contains(phone), "the record keeps no phone number");
    let status = status_of(&app, "R8", last4).await;
    assert!(status.text.contains("data-testid=\"request-state\">取消"), "{}", status.text);
    assert!(!status.text.contains("本人の希望"));
    assert!(!status_of(&app, "R8", "0000").await.text.contains("取消"), "wrong digits tell nothing");
    // Taking the number again ends the record.
    let again = json!({ "id": "R8", "kind": "admin", "stop": "konaka", "earliest": shifted("2026-12-07"),
                        "latest": shifted("2026-12-11") });
    assert_eq!(api(&app, "POST", "/api/requests", Some(again)).await.0, StatusCode::CREATED);
    assert!(!planner.get(&app, "/planner/requests?state=cancelled").await.text.contains(">R8<"));

    let driver = staff::sign_in(&app, "driver", common::PASSWORD).await;
    assert_eq!(driver.get(&app, "/planner/requests").await.status, StatusCode::FORBIDDEN);
}

/// Publishes the newest draft and waits for nothing (publishing is immediate).
async fn publish_newest(app: &Router) -> i64 {
    let (_, plans) = api(app, "GET", "/api/plans", None).await;
    let id = plans[0]["id"].as_i64().unwrap();
    assert_eq!(api(app, "POST", &format!("/api/plans/{id}/publish"), None).await.0, StatusCode::OK);
    id
}

/// `(stop id, request ids)` of every visit `unit` makes on `date`.
fn unit_visits(plan: &Value, date: &str, unit: &str) -> Vec<(String, Vec<String>)> {
    let days = plan["days"].as_array().unwrap().iter().filter(|d| d["date"] == date);
    let routes = days.flat_map(|d| d["routes"].as_array().unwrap()).filter(|r| r["vehicle_id"] == unit);
    routes
        .flat_map(|r| r["visits"].as_array().unwrap())
        .map(|v| {
            let ids = v["requests"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string());
            (v["stop_id"].as_str().unwrap_or("").to_string(), ids.collect())
        })
        .collect()
}

#[tokio::test]
async fn a_breakdown_is_replanned_the_difference_read_and_residents_told_after_publishing() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let tuesday = shifted("2026-12-08");
    let first = plan_the_week(&app).await;
    let first_id = publish_newest(&app).await;
    let broken = unit_visits(&first, &tuesday, "gyosei");
    assert!(!broken.is_empty(), "gyosei works on Tuesday");

    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let marked = planner
        .post(&app, "/planner/availability", &format!("target=unit%3Agyosei&from={tuesday}&reason=%E6%95%85%E9%9A%9C"))
        .await;
    assert!(marked.status.is_redirection());
    let replan = planner.post(&app, "/planner/replan", "").await;
    assert!(replan.status.is_redirection(), "{}", replan.text);
    let draft =
        replan.headers["location"].to_str().unwrap().trim_start_matches("/planner?plan=").parse::<i64>().unwrap();
    loop {
        let (_, p) = api(&app, "GET", &format!("/api/plans/{draft}"), None).await;
        if p["status"] == "draft" {
            break;
        }
        assert_ne!(p["status"], "failed", "{p}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // Before publishing: the difference names the moved visits and whose booking moves.
    let page = planner.get(&app, &format!("/planner?plan={draft}")).await;
    assert!(page.text.contains("お知らせ済みの予定との違い"), "{}", page.text);
    assert!(page.text.contains("予約が動く住民") && page.text.contains("試験 花子"), "R1's resident is named");
    let stops: Vec<String> = broken.iter().map(|(s, _)| s.clone()).filter(|s| !s.is_empty()).collect();
    let mut before = Vec::new();
    for stop in &stops {
        before.extend(calendar_events(&app, stop).await);
    }
    let version_before = feed_version(&app, dir.path()).await;
    let second = publish_newest(&app).await;
    assert_eq!(second, draft);

    // Calendar files keep each visit's UID: a moved visit comes with a higher SEQUENCE, a
    // cancelled one as CANCELLED; no UID is duplicated. The GTFS feed gets a new version.
    let mut after = Vec::new();
    for stop in &stops {
        after.extend(calendar_events(&app, stop).await);
    }
    for (uid, _, _) in &before {
        assert!(after.iter().any(|(u, ..)| u == uid), "{uid} is updated, not dropped: {after:?}");
    }
    let mut uids: Vec<&String> = after.iter().map(|(u, ..)| u).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), after.len(), "no UID twice: {after:?}");
    assert!(after.iter().any(|(_, seq, _)| *seq >= 1), "a changed event raises its SEQUENCE: {after:?}");
    for (uid, seq, status) in &after {
        if status == "CANCELLED" {
            assert!(*seq >= 1 && before.iter().any(|(u, ..)| u == uid), "{uid}");
        }
    }
    assert_ne!(feed_version(&app, dir.path()).await, version_before);

    // After publishing: the call list and its CSV, and a notice on each affected hall.
    let calls = planner.get(&app, "/planner/calls").await;
    for (_, requests) in &broken {
        for r in requests {
            assert!(calls.text.contains(&format!("<td>{r}</td>")), "{r} is on the call list: {}", calls.text);
        }
    }
    assert!(calls.text.contains("tel:000-0000-0001"), "R1's phone, to call with a tap");
    let csv = planner.get(&app, "/planner/calls.csv").await;
    assert!(csv.text.starts_with('\u{feff}') && csv.text.contains("試験 花子"));
    for (stop, _) in broken.iter().filter(|(stop, _)| !stop.is_empty()) {
        let hall = staff::send(&app, "GET", &format!("/stops/{stop}"), None, None).await;
        assert!(hall.text.contains("data-testid=\"change-notice\""), "{stop} tells of the change: {}", hall.text);
        assert!(hall.text.contains("に変更になりました") || hall.text.contains("取りやめになりました"));
        assert!(!hall.text.contains("試験 花子"), "no names on public pages");
    }
    let district = staff::send(&app, "GET", "/timetable?district=%E6%9D%B1%E7%94%BA", None, None).await;
    assert!(district.text.contains("data-testid=\"change-notice\""), "the A4 timetable too");
    let (_, log) = api(&app, "GET", "/api/audit", None).await;
    assert!(log.as_array().unwrap().iter().any(|e| e["detail"] == "call-list"), "the call list read is audited");

    // Rolling back to the first plan: the first plan's events come back under their UIDs
    // with a SEQUENCE above the one just sent, none CANCELLED any more.
    assert_eq!(api(&app, "POST", &format!("/api/plans/{first_id}/publish"), None).await.0, StatusCode::OK);
    let mut back = Vec::new();
    for stop in &stops {
        back.extend(calendar_events(&app, stop).await);
    }
    for (uid, seq, _) in &before {
        let now = back.iter().find(|(u, ..)| u == uid).unwrap_or_else(|| panic!("{uid} is back: {back:?}"));
        let sent = after.iter().find(|(u, ..)| u == uid).map_or(0, |(_, s, _)| *s);
        assert!(now.2 != "CANCELLED" && now.1 >= *seq, "{uid}: {now:?}");
        if sent > *seq {
            assert!(now.1 > sent, "{uid} changed and changed back: SEQUENCE {} after {sent}", now.1);
        }
    }
}

/// `(UID, SEQUENCE, STATUS)` of every event in a stop's calendar file.
async fn calendar_events(app: &Router, stop: &str) -> Vec<(String, u32, String)> {
    let ics = staff::send(app, "GET", &format!("/api/public/stops/{stop}/calendar.ics"), None, None).await;
    common::calendar_events(&ics.text)
}

/// The GTFS feed's `feed_version` (read with gtfs-structures).
async fn feed_version(app: &Router, dir: &Path) -> String {
    let zip = staff::send(app, "GET", "/api/public/gtfs.zip", None, None).await;
    assert_eq!(zip.status, StatusCode::OK);
    let path = dir.join("gtfs.zip");
    std::fs::write(&path, &zip.bytes).unwrap();
    let feed = gtfs_structures::Gtfs::from_path(&path).expect("the GTFS feed parses");
    feed.feed_info[0].version.clone().expect("a feed_version")
}

#[tokio::test]
async fn the_day_before_list_names_whom_to_phone_for_each_unit() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let plan = plan_the_week(&app).await;
    publish_newest(&app).await;
    let r1_day = plan["days"].as_array().unwrap().iter().find(|d| d.to_string().contains("\"R1\"")).unwrap();
    let date = r1_day["date"].as_str().unwrap();
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let list = planner.get(&app, &format!("/planner/day-before?date={date}")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("試験 花子") && list.text.contains("tel:000-0000-0001"), "{}", list.text);
    for route in r1_day["routes"].as_array().unwrap() {
        assert!(list.text.contains(route["vehicle_name"].as_str().unwrap()), "every unit of the day");
    }
    let empty = planner.get(&app, "/planner/day-before?date=2020-01-01").await;
    assert!(empty.text.contains("公開済みの訪問はありません"));
    let (_, log) = api(&app, "GET", "/api/audit", None).await;
    assert!(log.as_array().unwrap().iter().any(|e| e["detail"] == format!("day-before {date}")), "audited");
}

#[tokio::test]
async fn a_request_is_edited_from_its_row_and_keeps_what_the_form_does_not_show() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let (_, mut r1) = api(&app, "GET", "/api/requests/R1", None).await;
    r1["preferred_weekdays"] = json!(["tue"]);
    r1["preferred_time"] = json!(["09:00", "12:00"]);
    assert_eq!(api(&app, "PUT", "/api/requests/R1", Some(r1)).await.0, StatusCode::OK);
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let list = planner.get(&app, "/planner/requests").await;
    assert!(list.text.contains("href=\"/planner/requests/R1/edit\""), "each row links to its form");
    let form = planner.get(&app, "/planner/requests/R1/edit").await;
    assert!(form.text.contains("value=\"試験 花子\"") && form.text.contains("readonly"), "{}", form.text);
    assert!(form.text.contains("id=\"r-wd-tue\" name=\"wd_tue\" value=\"1\" checked"), "Tuesday ticked");

    let edited = serde_urlencoded::to_string([
        ("id", "R1"),
        ("kind", "admin"),
        ("stop", "zama"),
        ("earliest", &shifted("2026-12-08")),
        ("latest", &shifted("2026-12-10")),
        ("priority", "5"),
        ("name", "試験 花子"),
        ("phone", "000-0000-0001"),
        ("note", "車いす"),
        ("channel", "counter"),
        ("wd_tue", "1"),
        ("wd_thu", "1"),
    ])
    .unwrap();
    let saved = planner.post(&app, "/planner/requests/R1", &edited).await;
    assert!(saved.status.is_redirection(), "{} {}", saved.status, saved.text);
    let (_, stored) = api(&app, "GET", "/api/requests/R1", None).await;
    assert_eq!(
        (stored["stop"].as_str(), stored["note"].as_str(), stored["priority"].as_u64()),
        (Some("zama"), Some("車いす"), Some(5))
    );
    assert_eq!(stored["preferred_weekdays"], json!(["tue", "thu"]), "the ticked weekdays");
    assert_eq!(stored["preferred_time"], json!(["09:00", "12:00"]), "fields the form does not show stay");

    let reversed = edited.replace(&shifted("2026-12-10"), "2020-01-01");
    let refused = planner.post(&app, "/planner/requests/R1", &reversed).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("E1013") || refused.text.contains("E3001"), "{}", refused.text);
    assert_eq!(api(&app, "GET", "/api/requests/R1", None).await.1, stored, "nothing changed");
    let renamed = planner.post(&app, "/planner/requests/R1", &edited.replace("id=R1", "id=R9")).await;
    assert_eq!(renamed.status, StatusCode::BAD_REQUEST);
    // R6 is a home visit: its form shows the position, and a move of the home is saved.
    let (_, r6) = api(&app, "GET", "/api/requests/R6", None).await;
    let form = planner.get(&app, "/planner/requests/R6/edit").await;
    let lat = r6["home"]["lat"].as_f64().unwrap();
    assert!(
        form.text.contains(&format!("value=\"{lat}\"")) && form.text.contains("value=\"home\" checked"),
        "{}",
        form.text
    );
    let moved = serde_urlencoded::to_string([
        ("id", "R6"),
        ("kind", r6["kind"].as_str().unwrap()),
        ("place", "home"),
        ("home_address", "みどり市東町沢入1"),
        ("home_lat", "36.5501"),
        ("home_lon", "139.3502"),
        ("earliest", r6["earliest"].as_str().unwrap()),
        ("latest", r6["latest"].as_str().unwrap()),
    ])
    .unwrap();
    assert!(planner.post(&app, "/planner/requests/R6", &moved).await.status.is_redirection());
    let (_, r6) = api(&app, "GET", "/api/requests/R6", None).await;
    assert_eq!(r6["home"], json!({ "lat": 36.5501, "lon": 139.3502, "address": "みどり市東町沢入1" }));
    // Online applications' numbers are not for staff-made requests.
    let taken = json!({ "id": "W-0000-0001", "kind": "admin", "stop": "konaka",
                        "earliest": shifted("2026-12-07"), "latest": shifted("2026-12-11") });
    assert_eq!(api(&app, "POST", "/api/requests", Some(taken)).await.0, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_halls_opening_hours_and_visit_rule_are_edited_from_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    assert!(planner.get(&app, "/planner").await.text.contains("href=\"/planner/stops/konaka/edit\""));
    let form = planner.get(&app, "/planner/stops/konaka/edit").await;
    assert!(form.text.contains("value=\"09:30-11:30, 13:30-15:30\""), "the weekday windows: {}", form.text);
    let hours = |mon: &str| {
        serde_urlencoded::to_string([
            ("mon", mon),
            ("tue", "09:30-11:30, 13:30-15:30"),
            ("wed", ""),
            ("thu", "09:30〜11:30"),
            ("fri", "09:30-11:30"),
            ("sat", ""),
            ("sun", ""),
            ("min_per_week", "1"),
            ("max_per_week", "3"),
            ("min_gap_days", "1"),
        ])
        .unwrap()
    };
    let saved = planner.post(&app, "/planner/stops/konaka", &hours("10:00-12:00")).await;
    assert!(saved.status.is_redirection(), "{} {}", saved.status, saved.text);
    let (_, stop) = api(&app, "GET", "/api/stops/konaka", None).await;
    assert_eq!(stop["windows"]["mon"], json!([["10:00", "12:00"]]));
    assert_eq!(stop["windows"]["wed"], json!([]), "closed on Wednesdays");
    assert_eq!(stop["visit_rule"]["max_per_week"], json!(3));
    assert_eq!(stop["name"], "小中集会所", "the rest of the stop stays");
    let refused = planner.post(&app, "/planner/stops/konaka", &hours("12:00-10:00")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("E1003"), "a reversed window is named: {}", refused.text);
    assert_eq!(api(&app, "GET", "/api/stops/konaka", None).await.1, stop, "nothing stored");
}

#[tokio::test]
async fn requests_are_imported_from_a_pasted_table_all_or_none_with_problems_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let (from, until) = (shifted("2026-12-07"), shifted("2026-12-11"));
    let table = |rows: &[String]| {
        let text = format!("予約番号\tサービス種別\t訪問先\tいつから\tいつまで\t氏名\t電話番号\n{}\n", rows.join("\n"));
        serde_urlencoded::to_string([("table", text)]).unwrap()
    };
    let bad = table(&[
        format!("T1\tadmin\tnowhere\t{from}\t{until}\t表 一郎\t0277-00-0001"),
        format!("T2\tadmin\tkonaka\t{until}\t{from}\t表 二郎\t0277-00-0002"),
        format!("R1\tadmin\tkonaka\t{from}\t{until}\t\t"),
    ]);
    let refused = planner.post(&app, "/planner/requests/import?lang=en", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    for expected in ["E1007 table: line 2", "E1013 table: line 3", "E1006 table: line 4"] {
        assert!(refused.text.contains(expected), "{expected}: {}", refused.text);
    }
    assert_eq!(api(&app, "GET", "/api/requests/T2", None).await.0, StatusCode::NOT_FOUND, "all or none");

    let good = table(&[
        format!("T1\tadmin\tkonaka\t{from}\t{until}\t表 一郎\t0277-00-0001"),
        format!("T2\tmedical\tzama\t{from}\t{until}\t表 二郎\t0277-00-0002"),
    ]);
    let imported = planner.post(&app, "/planner/requests/import", &good).await;
    assert!(imported.status.is_redirection(), "{} {}", imported.status, imported.text);
    let (_, t2) = api(&app, "GET", "/api/requests/T2", None).await;
    assert_eq!((t2["stop"].as_str(), t2["resident"]["name"].as_str()), (Some("zama"), Some("表 二郎")));
    let (_, log) = api(&app, "GET", "/api/audit", None).await;
    assert_eq!(log.as_array().unwrap().iter().filter(|e| e["detail"] == "import").count(), 2, "each row audited");
}

/// The phone intake form's fields for a request `id`, with `extra` pairs.
fn intake(id: &str, extra: &[(&str, &str)]) -> String {
    let (from, until) = (shifted("2026-12-07"), shifted("2026-12-11"));
    let mut pairs = vec![("id", id), ("kind", "admin"), ("earliest", &from), ("latest", &until)];
    pairs.extend_from_slice(&[("name", "電話 次郎"), ("phone", "0277-76-0002"), ("channel", "phone")]);
    pairs.extend_from_slice(extra);
    serde_urlencoded::to_string(pairs).unwrap()
}

#[tokio::test]
async fn staff_take_a_home_visit_and_find_halls_by_their_reading() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let page = planner.get(&app, "/planner").await;
    assert!(
        page.text.contains("data-pick=\"r-home\"") && page.text.contains("<datalist id=\"r-stops\">"),
        "{}",
        page.text
    );

    // A home visit: address, position and preferred weekdays; the receipt names the home.
    let home = [
        ("place", "home"),
        ("home_address", "みどり市東町花輪100"),
        ("home_lat", "36.4912"),
        ("home_lon", "139.3340"),
        ("wd_tue", "1"),
        ("wd_fri", "1"),
        ("stop", "konaka"),
    ];
    let taken = planner.post(&app, "/planner/requests", &intake("TEL-H1", &home)).await;
    assert_eq!(taken.location(), Some("/planner/requests/TEL-H1/receipt"), "{}", taken.text);
    let (_, stored) = api(&app, "GET", "/api/requests/TEL-H1", None).await;
    assert_eq!(stored["home"], json!({ "lat": 36.4912, "lon": 139.334, "address": "みどり市東町花輪100" }));
    assert_eq!((stored.get("stop"), &stored["preferred_weekdays"]), (None, &json!(["tue", "fri"])));
    let receipt = planner.get(&app, "/planner/requests/TEL-H1/receipt").await;
    assert!(receipt.text.contains("自宅訪問（みどり市東町花輪100）"), "{}", receipt.text);
    // Planned and published, the home's address is on the crew's day (and nowhere public).
    let plan = plan_the_week(&app).await;
    assert!(!plan.to_string().contains("花輪100"), "the plan document holds no address");
    publish_newest(&app).await;
    let day = plan["days"].as_array().unwrap().iter().find(|d| d.to_string().contains("\"TEL-H1\"")).unwrap();
    let uri = format!("/api/driver/itinerary?date={}", day["date"].as_str().unwrap());
    let (_, itinerary) = staff::bearer(&app, "GET", &uri, "driver-token-for-cycle-tests-01", None).await;
    assert!(itinerary.contains("みどり市東町花輪100"), "{itinerary}");
    // A home far outside the city is stored with the warning on the receipt.
    let far = [("place", "home"), ("home_lat", "35.0"), ("home_lon", "139.334")];
    let taken = planner.post(&app, "/planner/requests", &intake("TEL-H2", &far)).await;
    assert_eq!(taken.location(), Some("/planner/requests/TEL-H2/receipt?far=1"));
    assert!(planner.get(&app, "/planner/requests/TEL-H2/receipt?far=1").await.text.contains("W2001"));
    // A position that is not a number is refused with the field named.
    let typo = [("place", "home"), ("home_lat", "36.49N"), ("home_lon", "139.334")];
    let refused = planner.post(&app, "/planner/requests", &intake("TEL-H3", &typo)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The form comes back with what was typed and the problem under the latitude.
    let lat_field = refused.text.find("id=\"r-home-lat\"").expect("the form again");
    let problem = refused.text[lat_field..].find("field-problem").expect("a problem after the field");
    assert!(refused.text[lat_field + problem..].starts_with("field-problem\" role=\"alert\">E"), "{}", refused.text);
    assert!(refused.text.contains("home.lat") && refused.text.contains("value=\"36.49N\""), "{}", refused.text);
    assert!(refused.text.contains("value=\"電話 次郎\""), "nothing typed is lost");

    // Halls by reading in katakana, or by name; several matches are listed, none stored.
    let by_reading = planner.post(&app, "/planner/requests", &intake("TEL-S1", &[("stop", "ザマ")])).await;
    assert!(by_reading.status.is_redirection(), "{}", by_reading.text);
    assert_eq!(api(&app, "GET", "/api/requests/TEL-S1", None).await.1["stop"], json!("zama"));
    let by_name = planner.post(&app, "/planner/requests", &intake("TEL-S2", &[("stop", "神戸生活改善センター")])).await;
    assert!(by_name.status.is_redirection());
    assert_eq!(api(&app, "GET", "/api/requests/TEL-S2", None).await.1["stop"], json!("godo"));
    let several = planner.post(&app, "/planner/requests", &intake("TEL-S3", &[("stop", "集会所")])).await;
    assert_eq!(several.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(several.text.contains("— konaka") && several.text.contains("— zama"), "{}", several.text);
    assert_eq!(api(&app, "GET", "/api/requests/TEL-S3", None).await.0, StatusCode::NOT_FOUND);
    let unknown = planner.post(&app, "/planner/requests", &intake("TEL-S4", &[("stop", "存在しない館")])).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text.contains("E10"), "the data checks' coded problem: {}", unknown.text);
}
