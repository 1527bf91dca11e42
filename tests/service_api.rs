//! The HTTP service through its router (`oneshot`, no sockets): every route and role,
//! the error shape, planning in the background, publishing, re-planning, calendars, and
//! that public answers never contain residents' data.

use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use junkai::server::openapi::{OPERATIONS, Role};
use junkai::server::store::Role as StaffRole;
use junkai::server::{AppState, ServeConfig, router};
use serde_json::{Value, json};
use tower::ServiceExt;

mod common;
use common::shifted;
use common::staff::{self, send};

const PLANNER: &str = "planner-token-for-tests-0001";
const DRIVER: &str = "driver-token-for-tests-00001";
const VIEWER: &str = "viewer-token-for-tests-00001";
const REMOTE: &str = "remote-token-for-tests-00001";

async fn app(dir: &Path) -> (AppState, Router) {
    let config = ServeConfig {
        db: dir.join("junkai.sqlite"),
        data: Some(common::tiny_fixture(dir)),
        clock: common::clock(),
        max_body_bytes: 64 * 1024,
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.unwrap();
    common::add_staff(&state, "planner", StaffRole::Planner, None, PLANNER).await;
    common::add_staff(&state, "driver", StaffRole::Driver, Some("gyosei"), DRIVER).await;
    common::add_staff(&state, "viewer", StaffRole::Viewer, None, VIEWER).await;
    common::add_staff(&state, "doctor", StaffRole::Remote, Some("dr-kimura"), REMOTE).await;
    (state.clone(), router(state))
}

struct Answer {
    status: StatusCode,
    content_type: String,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

async fn call(app: &Router, method: &str, uri: &str, token: Option<&str>, body: Option<Value>) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = match body {
        Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let content_type =
        res.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    Answer { status, content_type, text: String::from_utf8_lossy(&bytes).into_owned() }
}

async fn call_bytes(app: &Router, uri: &str) -> Vec<u8> {
    let res = app.clone().oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{uri}");
    axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()
}

/// Every 4xx answer has the one error shape.
fn assert_error_shape(a: &Answer) {
    let v = a.json();
    for key in ["code", "message", "hint"] {
        assert!(v[key].as_str().is_some_and(|s| !s.is_empty()), "{key} missing: {}", a.text);
    }
}

/// Starts a plan and waits until it leaves queued/running; returns its final status.
async fn plan_and_wait(app: &Router, uri: &str, body: Value) -> Value {
    let started = call(app, "POST", uri, Some(PLANNER), Some(body)).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.text);
    let id = started.json()["id"].as_i64().unwrap();
    for _ in 0..600 {
        let s = call(app, "GET", &format!("/api/plans/{id}"), Some(PLANNER), None).await.json();
        if s["status"] != "queued" && s["status"] != "running" {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("plan {id} did not finish");
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "konaka")
}

#[tokio::test]
async fn every_documented_route_exists_and_enforces_its_role() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let doc = call(&app, "GET", "/api/openapi.json", None, None).await.json();
    for op in OPERATIONS {
        assert!(doc["paths"][op.path][op.method].is_object(), "{} {} not in the OpenAPI document", op.method, op.path);
        let uri = concrete(op.path);
        let method = op.method.to_uppercase();
        let body = matches!(op.method, "post" | "put").then(|| json!({}));
        match op.role {
            Role::Public => {
                let a = call(&app, &method, &uri, None, body).await;
                assert!(a.status.is_success(), "{method} {uri}: {} {}", a.status, a.text);
            }
            Role::Viewer | Role::Planner | Role::Driver | Role::Remote | Role::Admin => {
                let none = call(&app, &method, &uri, None, body.clone()).await;
                assert_eq!(none.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
                assert_error_shape(&none);
                let others: &[&str] = match op.role {
                    Role::Viewer => &[DRIVER, REMOTE],
                    Role::Planner => &[VIEWER, DRIVER, REMOTE],
                    Role::Driver => &[PLANNER, VIEWER, REMOTE],
                    Role::Remote => &[PLANNER, VIEWER, DRIVER],
                    _ => &[PLANNER, VIEWER, DRIVER, REMOTE],
                };
                for other in others {
                    let wrong = call(&app, &method, &uri, Some(other), body.clone()).await;
                    assert_eq!(wrong.status, StatusCode::FORBIDDEN, "{method} {uri} with another role's token");
                    assert_error_shape(&wrong);
                }
                let bad = call(&app, &method, &uri, Some("not-a-valid-token-at-all"), body).await;
                assert_eq!(bad.status, StatusCode::UNAUTHORIZED, "{method} {uri} with an unknown token");
            }
        }
    }
    let fallback = call(&app, "GET", "/api/no-such-route?lang=en", None, None).await;
    assert_eq!(fallback.status, StatusCode::NOT_FOUND);
    assert_error_shape(&fallback);
    assert!(fallback.json()["message"].as_str().unwrap().contains("not found"), "English on request");
}

#[tokio::test]
async fn plan_publish_and_serve_residents_without_private_data() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    // Nothing is published yet: residents see stops without visits, an empty map.
    let stops = call(&app, "GET", "/api/public/stops", None, None).await.json();
    assert_eq!(stops.as_array().unwrap().len(), 4);
    assert!(stops.as_array().unwrap().iter().all(|s| s["next_visits"].as_array().unwrap().is_empty()));

    let done = plan_and_wait(&app, "/api/plans", json!({ "week": shifted("2026-12-07") })).await;
    assert_eq!(done["status"], "draft", "{done}");
    assert!(done["summary"]["kpis"]["requests_served"].as_u64().unwrap() > 0, "{done}");
    let id = done["id"].as_i64().unwrap();
    // A draft is not public.
    let visits = call(&app, "GET", "/api/public/stops/konaka/visits", None, None).await.json();
    assert!(visits["visits"].as_array().unwrap().is_empty());
    let published = call(&app, "POST", &format!("/api/plans/{id}/publish"), Some(PLANNER), None).await;
    assert_eq!(published.json()["status"], "published", "{}", published.text);
    let again = call(&app, "POST", &format!("/api/plans/{id}/publish"), Some(PLANNER), None).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a published plan is not a draft");

    let visits = call(
        &app,
        "GET",
        &format!("/api/public/stops/konaka/visits?from={}&to={}", shifted("2026-12-07"), shifted("2026-12-11")),
        None,
        None,
    )
    .await;
    let list = visits.json()["visits"].as_array().unwrap().clone();
    assert!(!list.is_empty(), "{}", visits.text);
    assert!(list.iter().all(|v| v["stop_id"] == "konaka" && v["from"].as_str().unwrap() < v["to"].as_str().unwrap()));
    let none =
        call(&app, "GET", &format!("/api/public/stops/konaka/visits?from={}", shifted("2027-01-01")), None, None)
            .await
            .json();
    assert!(none["visits"].as_array().unwrap().is_empty(), "the date range filters");

    // The calendar file parses back with the same visits, in Asia/Tokyo.
    let ics = call(&app, "GET", "/api/public/stops/konaka/calendar.ics", None, None).await;
    assert!(ics.content_type.starts_with("text/calendar"));
    let reader = ical::IcalParser::new(ics.text.as_bytes());
    let cal = reader.into_iter().next().unwrap().expect("the .ics parses");
    assert_eq!(cal.events.len(), list.len());
    let first = &cal.events[0];
    let dtstart = first.properties.iter().find(|p| p.name == "DTSTART").unwrap();
    let tzid = dtstart.params.as_ref().unwrap().iter().find(|(k, _)| k == "TZID").unwrap();
    assert_eq!(tzid.1, vec!["Asia/Tokyo".to_string()]);
    let expected = format!(
        "{}T{}00",
        list[0]["date"].as_str().unwrap().replace('-', ""),
        list[0]["from"].as_str().unwrap().replace(':', "")
    );
    assert_eq!(dtstart.value.as_deref(), Some(expected.as_str()));

    // The GTFS feed reads back with gtfs-structures: one route per unit, trips per day,
    // stop times at the announced windows.
    let zip = call_bytes(&app, "/api/public/gtfs.zip").await;
    let path = dir.path().join("gtfs.zip");
    std::fs::write(&path, &zip).unwrap();
    let feed = gtfs_structures::Gtfs::from_path(&path).expect("the GTFS feed parses");
    assert_eq!(feed.agencies[0].timezone, "Asia/Tokyo");
    assert!(!feed.routes.is_empty() && feed.routes.len() <= 2, "one route per unit");
    let konaka_times: Vec<String> = feed
        .trips
        .values()
        .flat_map(|t| &t.stop_times)
        .filter(|st| st.stop.id == "konaka")
        .map(|st| format!("{:02}:{:02}", st.arrival_time.unwrap() / 3600, st.arrival_time.unwrap() % 3600 / 60))
        .collect();
    let announced: Vec<String> = list.iter().map(|v| v["from"].as_str().unwrap().to_string()).collect();
    let mut sorted = konaka_times.clone();
    sorted.sort();
    let mut expected = announced.clone();
    expected.sort();
    assert_eq!(sorted, expected, "GTFS times are the announced windows");
    assert!(!feed.calendar_dates.is_empty());

    // Search by kana (katakana finds the hiragana reading) and by district.
    let hits = call(&app, "GET", "/api/public/search?q=%E3%82%B3%E3%83%8A%E3%82%AB", None, None).await.json();
    assert_eq!(hits[0]["id"], "konaka", "コナカ → こなかしゅうかいじょ");
    let district = call(&app, "GET", "/api/public/search?q=%E6%9D%B1%E7%94%BA", None, None).await.json();
    assert_eq!(district.as_array().unwrap().len(), 3, "東町 has three stops");

    // Drivers see residents' names; residents never do.
    let days = call(&app, "GET", "/api/driver/days", Some(DRIVER), None).await.json();
    let date = days["dates"][0].as_str().unwrap().to_string();
    let it = call(&app, "GET", &format!("/api/driver/itinerary?date={date}"), Some(DRIVER), None).await.json();
    assert_eq!(it["unit_id"], "gyosei");
    assert!(
        it["geometry"]["features"].is_array() && it["stops"][0]["navigation"].as_str().unwrap().starts_with("https://")
    );
    let requests = call(&app, "GET", "/api/requests", Some(PLANNER), None).await.json();
    let private: Vec<String> = requests
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            [r["id"].as_str(), r["resident"]["name"].as_str(), r["resident"]["phone"].as_str(), r["note"].as_str()]
        })
        .flatten()
        .map(str::to_string)
        .collect();
    assert!(private.iter().any(|p| p.contains('花')), "the fixture has a named resident");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).unwrap();
        for p in &private {
            assert!(!text.contains(p.as_str()), "gtfs.zip/{} leaks `{p}`", file.name());
        }
    }
    let all_itineraries = days["dates"].as_array().unwrap().len();
    assert!(all_itineraries > 0);
    for uri in [
        "/api/public/stops",
        "/api/public/stops/konaka/visits",
        "/api/public/stops/konaka/calendar.ics",
        "/api/public/search?q=%E6%9D%B1%E7%94%BA",
        "/api/public/map.geojson",
    ] {
        let a = call(&app, "GET", uri, None, None).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        for p in &private {
            assert!(!a.text.contains(p.as_str()), "{uri} leaks `{p}`");
        }
    }
}

#[tokio::test]
async fn writes_are_validated_like_files_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let before = call(&app, "GET", "/api/stops", Some(PLANNER), None).await.json();
    // A reversed window: the CLI's E1003, nothing stored.
    let mut stop = before[3].clone();
    stop["id"] = json!("new-hall");
    stop["windows"] = json!({ "weekdays": [["12:00", "09:00"]] });
    let bad = call(&app, "POST", "/api/stops?lang=en", Some(PLANNER), Some(stop.clone())).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_error_shape(&bad);
    assert_eq!(bad.json()["problems"][0]["code"], "E1003", "{}", bad.text);
    assert_eq!(call(&app, "GET", "/api/stops", Some(PLANNER), None).await.json(), before, "nothing half-written");

    stop["windows"] = json!({ "weekdays": [["09:00", "12:00"]] });
    let created = call(&app, "POST", "/api/stops", Some(PLANNER), Some(stop.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let dup = call(&app, "POST", "/api/stops", Some(PLANNER), Some(stop)).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    // Deleting a stop that requests use is refused with E1007 (unknown stop in requests).
    let refused = call(&app, "DELETE", "/api/stops/konaka", Some(PLANNER), None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    assert!(refused.text.contains("E1007"));
    let deleted = call(&app, "DELETE", "/api/stops/new-hall", Some(PLANNER), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let missing = call(&app, "GET", "/api/stops/new-hall", Some(PLANNER), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_error_shape(&missing);

    let audit = call(&app, "GET", "/api/audit", Some(PLANNER), None).await.json();
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[..2], ["delete", "create"], "{audit}");
    assert_eq!(audit[0]["actor"], "user:planner", "the person who acted: {audit}");
    assert!(!audit.to_string().contains(PLANNER), "the token itself is never logged");

    // Oversized bodies are refused before they are read.
    let huge = json!({ "id": "x", "name": "x".repeat(100_000) });
    let too_big = call(&app, "POST", "/api/stops", Some(PLANNER), Some(huge)).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error_shape(&too_big);
    // Malformed JSON and a wrong method get the same shape.
    let req = Request::builder()
        .method("POST")
        .uri("/api/stops")
        .header(header::AUTHORIZATION, format!("Bearer {PLANNER}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{ not json"))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value =
        serde_json::from_slice(&axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap()).unwrap();
    assert_eq!(body["code"], "A400", "{body}");
    let wrong_method = call(&app, "PATCH", "/api/stops", Some(PLANNER), None).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_shape(&wrong_method);
}

#[tokio::test]
async fn a_second_solve_is_refused_while_one_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    let _running = state.jobs.try_reserve().expect("a free slot");
    let busy = call(&app, "POST", "/api/plans", Some(PLANNER), Some(json!({}))).await;
    assert_eq!(busy.status, StatusCode::TOO_MANY_REQUESTS);
    assert_error_shape(&busy);
    assert_eq!(busy.json()["code"], "A429");
}

#[tokio::test]
async fn replanning_keeps_published_windows_and_serves_new_requests() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let no_plan = call(&app, "POST", "/api/replan", Some(PLANNER), Some(json!({}))).await;
    assert_eq!(no_plan.status, StatusCode::CONFLICT, "nothing published yet");
    let first = plan_and_wait(&app, "/api/plans", json!({ "week": shifted("2026-12-07") })).await;
    let id = first["id"].as_i64().unwrap();
    call(&app, "POST", &format!("/api/plans/{id}/publish"), Some(PLANNER), None).await;
    let request = json!({ "id": "NEW-1", "kind": "admin", "stop": "konaka", "earliest": shifted("2026-12-07"), "latest": shifted("2026-12-11"),
                          "resident": { "name": "新規 太郎", "phone": "000-0000-9999" } });
    let created = call(&app, "POST", "/api/requests", Some(PLANNER), Some(request)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);

    let replanned = plan_and_wait(&app, "/api/replan", json!({})).await;
    assert_eq!(replanned["status"], "draft", "{replanned}");
    assert_eq!(replanned["kind"], "replan");
    assert_eq!(replanned["based_on"], id);
    let summary = &replanned["summary"];
    assert_eq!(summary["changed_windows"], json!([]), "no published window moves: {summary}");
    assert!(summary["published_visits"].as_u64().unwrap() > 0);
    let plan = call(&app, "GET", &format!("/api/plans/{}/plan.json", replanned["id"]), Some(PLANNER), None).await;
    assert!(plan.text.contains("NEW-1"), "the new request is served (or listed unserved)");
    // The planner page reports the published windows the re-plan keeps.
    let page = call(&app, "GET", &format!("/planner?plan={}&lang=en", replanned["id"]), Some(PLANNER), None).await;
    let published = summary["published_visits"].as_u64().unwrap();
    assert!(page.text.contains(&format!("0 of {published} published windows change")), "{}", page.text);
}

#[tokio::test]
async fn staff_pages_need_a_sign_in_of_the_right_role() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    // Without a sign-in the pages send staff to the sign-in page.
    for uri in ["/planner", "/driver", "/account", "/admin/users"] {
        let answer = send(&app, "GET", uri, None, None).await;
        assert!(answer.status.is_redirection(), "{uri}: {}", answer.status);
        assert_eq!(answer.location(), Some("/login"));
    }
    // Signing in sets an HttpOnly, SameSite cookie and opens the page of the account's role.
    for (name, home) in [("planner", "/planner"), ("driver", "/driver"), ("viewer", "/planner")] {
        let answer = staff::try_sign_in(&app, name, common::PASSWORD).await;
        assert_eq!(answer.location(), Some(home), "{name}");
        let cookie = answer.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain http: not Secure");
    }
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let driver = staff::sign_in(&app, "driver", common::PASSWORD).await;
    let viewer = staff::sign_in(&app, "viewer", common::PASSWORD).await;
    // A driver may not use the planner's page or its actions, nor a planner the driver's.
    assert!(driver.get(&app, "/planner").await.status.is_redirection());
    assert_eq!(driver.post(&app, "/planner/plans", "weeks=1").await.status, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, "POST", "/planner/plans/1/publish", None, Some("")).await.status, StatusCode::UNAUTHORIZED);
    assert!(planner.get(&app, "/driver").await.status.is_redirection());
    assert_eq!(planner.get(&app, "/planner").await.status, StatusCode::OK);
    assert_eq!(driver.get(&app, "/driver").await.status, StatusCode::OK);
    // A viewer sees the plans, without the forms, and may not act.
    let page = viewer.get(&app, "/planner").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains("action=\"/planner/plans\""), "no plan form for viewers");
    assert_eq!(viewer.post(&app, "/planner/plans", "weeks=1").await.status, StatusCode::FORBIDDEN);
    // Only admins reach the accounts page.
    assert_eq!(planner.get(&app, "/admin/users").await.status, StatusCode::FORBIDDEN);

    // Pages are Japanese first; the switch keeps English in a cookie.
    let home = call(&app, "GET", "/", None, None).await;
    assert!(home.text.contains("<html lang=\"ja\">"));
    let res = app.clone().oneshot(Request::builder().uri("/?lang=en").body(Body::empty()).unwrap()).await.unwrap();
    assert!(res.headers()[header::SET_COOKIE].to_str().unwrap().starts_with("junkai_lang=en"));
}

#[tokio::test]
async fn planners_add_requests_from_the_page_with_the_same_checks() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let planner = staff::sign_in(&app, "planner", common::PASSWORD).await;
    let page = planner.get(&app, "/planner").await;
    assert!(page.text.contains("action=\"/planner/requests\""), "the page has the form");
    let good = format!(
        "id=WEB-1&kind=admin&stop=konaka&earliest={}&latest={}&priority=4&name=Web+Taro&phone=&channel=phone",
        shifted("2026-12-07"),
        shifted("2026-12-11")
    );
    let answer = planner.post(&app, "/planner/requests?lang=en", &good).await;
    assert!(answer.status.is_redirection(), "{} {}", answer.status, answer.text);
    assert_eq!(answer.headers["location"], "/planner/requests/WEB-1/receipt");
    let receipt = planner.get(&app, "/planner/requests/WEB-1/receipt").await;
    assert!(receipt.text.contains("受付票") && receipt.text.contains("WEB-1") && receipt.text.contains("Web Taro"));
    let stored = call(&app, "GET", "/api/requests/WEB-1", Some(PLANNER), None).await.json();
    assert_eq!((stored["resident"]["name"].as_str(), stored["channel"].as_str()), (Some("Web Taro"), Some("phone")));
    assert!(stored["resident"].get("phone").is_none(), "empty fields are left out");
    // Dates the wrong way round: the CLI's E1013, shown on the page; nothing stored.
    let bad =
        format!("id=WEB-2&kind=admin&stop=konaka&earliest={}&latest={}", shifted("2026-12-11"), shifted("2026-12-07"));
    let answer = planner.post(&app, "/planner/requests?lang=en", &bad).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.text.contains("E1013"), "{}", answer.text);
    assert_eq!(call(&app, "GET", "/api/requests/WEB-2", Some(PLANNER), None).await.status, StatusCode::NOT_FOUND);
    let answer = planner.post(&app, "/planner/requests?lang=en", &good).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "a duplicate id is refused: {}", answer.text);
    let driver = staff::sign_in(&app, "driver", common::PASSWORD).await;
    assert_eq!(driver.post(&app, "/planner/requests", &good).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_superseded_plan_can_be_published_again_and_a_past_plan_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let first =
        plan_and_wait(&app, "/api/plans", json!({ "week": shifted("2026-12-07") })).await["id"].as_i64().unwrap();
    let second = plan_and_wait(&app, "/api/plans", json!({ "week": shifted("2026-12-07"), "seed": 2 })).await["id"]
        .as_i64()
        .unwrap();
    for id in [first, second] {
        let answer = call(&app, "POST", &format!("/api/plans/{id}/publish"), Some(PLANNER), None).await;
        assert_eq!(answer.json()["status"], "published", "{}", answer.text);
    }
    // Roll back to the first version: it is published again, the second superseded.
    let back = call(&app, "POST", &format!("/api/plans/{first}/publish"), Some(PLANNER), None).await;
    assert_eq!(back.json()["status"], "published", "{}", back.text);
    let second_now = call(&app, "GET", &format!("/api/plans/{second}"), Some(PLANNER), None).await.json();
    assert_eq!(second_now["status"], "superseded");
    let audit = call(&app, "GET", "/api/audit", Some(PLANNER), None).await.json();
    assert_eq!(audit[0]["action"], "republish", "the rollback is audited: {}", audit[0]);
    // A plan of a week that has passed is refused, with a reason in Japanese.
    let past =
        plan_and_wait(&app, "/api/plans", json!({ "week": shifted("2026-11-16") })).await["id"].as_i64().unwrap();
    let refused = call(&app, "POST", &format!("/api/plans/{past}/publish"), Some(PLANNER), None).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.json()["message"].as_str().unwrap().contains("期間はもう終わっています"), "{}", refused.text);
}
