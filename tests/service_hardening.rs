//! Findings of a hostile probe of the service, each with the regression test that failed
//! before its fix (issue 28): sign-in locks that a dropped connection left without expiry,
//! account names told apart by their answers, login CSRF from another port of the same
//! host, handlers that panicked on JSON bodies that are not objects, and a resident's
//! status check that guessers could block.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration as StdDuration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chrono::Duration;
use junkai::server::store::Role;
use junkai::server::{AppState, ServeConfig, router, router_with};
use serde_json::Value;
use tower::ServiceExt;

mod common;
use common::PASSWORD;
use common::staff::{self, Page, send};

const PLANNER_TOKEN: &str = "planner-token-for-hardening-01";

async fn state(dir: &Path, public_url: &str) -> AppState {
    let config = ServeConfig {
        db: dir.join("junkai.sqlite"),
        data: Some(common::tiny_fixture(dir)),
        clock: common::clock(),
        public_url: public_url.into(),
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.unwrap();
    common::add_staff(&state, "admin", Role::Admin, None, "admin-token-for-hardening-001").await;
    common::add_staff(&state, "planner", Role::Planner, None, PLANNER_TOKEN).await;
    state
}

async fn app(dir: &Path) -> (AppState, Router) {
    let state = state(dir, "http://127.0.0.1:8080/").await;
    (state.clone(), router(state))
}

/// A request as it comes off the network: from `peer`, with `headers`.
fn from_peer(method: &str, uri: &str, peer: &str, headers: &[(&str, &str)], form: Option<&str>) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if form.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let mut req = req.body(form.map_or(Body::empty(), |f| Body::from(f.to_string()))).unwrap();
    let peer: SocketAddr = peer.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    req
}

async fn answer(app: &Router, req: Request<Body>) -> Page {
    let res = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    Page { status, headers, text: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
}

/// The sign-in form's cookie and the body of a sign-in as `name`.
async fn sign_in_form(app: &Router, name: &str, password: &str) -> (String, String) {
    let form = send(app, "GET", "/login", None, None).await;
    let cookie = form.set_cookie("junkai_login_csrf").expect("the sign-in form's cookie");
    let body =
        serde_urlencoded::to_string([("name", name), ("password", password), ("csrf", &form.csrf().unwrap())]).unwrap();
    (cookie, body)
}

async fn audit_actions(app: &Router) -> Vec<String> {
    let (_, text) = staff::bearer(app, "GET", "/api/audit", PLANNER_TOKEN, None).await;
    let rows: Vec<Value> = serde_json::from_str(&text).unwrap_or_default();
    rows.iter().filter_map(|r| r["action"].as_str().map(str::to_string)).collect()
}

async fn account_row(state: &AppState, name: &str) -> (i64, Option<i64>) {
    let (a, _) = state.store.user_by_name(name).await.unwrap().unwrap();
    (a.failed_logins, a.locked_until)
}

#[tokio::test]
async fn sign_ins_whose_client_goes_away_still_lock_with_an_expiry_and_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    // Wrong passwords whose client gives up after a few milliseconds, while the password
    // is being hashed, until the account has used its five attempts.
    for _ in 0..50 {
        let (failed, locked) = account_row(&state, "planner").await;
        if failed >= 5 || locked.is_some() {
            break;
        }
        let (cookie, body) = sign_in_form(&app, "planner", "not-the-password-at-all").await;
        let req = from_peer("POST", "/login", "192.0.2.1:5000", &[("cookie", &cookie)], Some(&body));
        let _ = tokio::time::timeout(StdDuration::from_millis(3), app.clone().oneshot(req)).await;
    }
    // The attempts finish on their own: the lock has its expiry and is audited.
    let mut waited = 0;
    while !audit_actions(&app).await.contains(&"account-locked".to_string()) && waited < 100 {
        tokio::time::sleep(StdDuration::from_millis(50)).await;
        waited += 1;
    }
    let (_, locked_until) = account_row(&state, "planner").await;
    assert!(locked_until.is_some(), "the lock has an expiry");
    assert!(audit_actions(&app).await.contains(&"account-locked".to_string()), "the lock is audited");
    assert_eq!(staff::try_sign_in(&app, "planner", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    state.config.clock.advance(Duration::minutes(16));
    staff::sign_in(&app, "planner", PASSWORD).await;
}

#[tokio::test]
async fn a_stale_count_without_a_lock_becomes_a_lock_that_ends() {
    // What dropped attempts of an earlier version left in databases: five failures and no
    // expiry (a lock for ever). The next wrong password turns it into an ordinary lock.
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    sqlx::query("UPDATE users SET failed_logins = 5, locked_until = NULL WHERE name = 'planner'")
        .execute(&state.store.pool)
        .await
        .unwrap();
    assert_eq!(staff::try_sign_in(&app, "planner", "not-the-password-at-all").await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff::try_sign_in(&app, "planner", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(account_row(&state, "planner").await.1.is_some(), "the lock has an expiry");
    state.config.clock.advance(Duration::minutes(16));
    staff::sign_in(&app, "planner", PASSWORD).await;
}

#[tokio::test]
async fn known_and_unknown_names_get_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let mut answers = Vec::new();
    for name in ["planner", "nobody-by-this-name"] {
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(staff::try_sign_in(&app, name, "not-the-password-at-all").await.status.as_u16());
        }
        answers.push(statuses);
    }
    assert_eq!(answers[0], answers[1], "{answers:?}");
    assert_eq!(answers[0], [403, 403, 403, 403, 403, 429]);
}

#[tokio::test]
async fn a_page_on_another_port_cannot_sign_the_browser_in_or_write() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let host = ("host", "127.0.0.1:8080");
    let (cookie, body) = sign_in_form(&app, "planner", PASSWORD).await;
    // The attacker's page on port 9999 posts the form with a cookie it planted: refused.
    for foreign in [[("origin", "http://127.0.0.1:9999"), host], [("sec-fetch-site", "same-site"), host]] {
        let headers = [("cookie", cookie.as_str()), foreign[0], foreign[1]];
        let refused = answer(&app, from_peer("POST", "/login", "127.0.0.1:40000", &headers, Some(&body))).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{foreign:?}: {}", refused.text);
        assert!(refused.text.contains("A4031"), "{}", refused.text);
    }
    // The service's own page signs in.
    let own = [("cookie", cookie.as_str()), ("origin", "http://127.0.0.1:8080"), host];
    let signed_in = answer(&app, from_peer("POST", "/login", "127.0.0.1:40000", &own, Some(&body))).await;
    assert!(signed_in.status.is_redirection(), "{} {}", signed_in.status, signed_in.text);
    // A signed-in browser's write from another origin is refused too, token or not.
    let session = staff::sign_in(&app, "planner", PASSWORD).await;
    let form = format!("weeks=1&csrf={}", session.csrf);
    let headers = [("cookie", session.cookie.as_str()), ("origin", "http://127.0.0.1:9999"), host];
    let write = answer(&app, from_peer("POST", "/planner/plans", "127.0.0.1:40000", &headers, Some(&form))).await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "{}", write.text);
}

#[tokio::test]
async fn over_https_the_sign_in_cookies_are_bound_to_this_origin() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path(), "https://junkai.example.jp/").await;
    let app = router(state);
    let form = send(&app, "GET", "/login", None, None).await;
    let set = form.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("__Host-junkai_login_csrf=") && set.contains("Secure") && set.contains("Path=/"), "{set}");
    // A plain-named cookie (which another origin could plant) is not taken.
    let token = form.csrf().unwrap();
    let planted = format!("junkai_login_csrf={token}");
    let body = format!("name=planner&password={PASSWORD}&csrf={token}");
    assert_eq!(send(&app, "POST", "/login", Some(&planted), Some(&body)).await.status, StatusCode::FORBIDDEN);
    let own = form.set_cookie("__Host-junkai_login_csrf").unwrap();
    let signed_in = send(&app, "POST", "/login", Some(&own), Some(&body)).await;
    assert!(signed_in.set_cookie("__Host-junkai_session").is_some(), "{} {}", signed_in.status, signed_in.text);
}

#[tokio::test]
async fn json_bodies_that_are_not_objects_get_the_error_shape() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    for (method, uri) in [
        ("PUT", "/api/stops/konaka"),
        ("PUT", "/api/units/x"),
        ("PUT", "/api/requests/R1"),
        ("POST", "/api/stops"),
        ("POST", "/api/units"),
        ("POST", "/api/requests"),
        ("POST", "/api/plans"),
        ("POST", "/api/replan"),
    ] {
        for body in ["\"x\"", "1", "true", "[null]", "null", "[]"] {
            let req = Request::builder()
                .method(method)
                .uri(uri)
                .header(header::AUTHORIZATION, format!("Bearer {PLANNER_TOKEN}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap();
            let page = answer(&app, req).await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{method} {uri} {body}: {}", page.text);
            let error: Value = serde_json::from_str(&page.text).unwrap();
            assert_eq!(error["code"], "A400", "{method} {uri} {body}");
        }
    }
}

#[tokio::test]
async fn a_handler_that_panics_answers_500_in_the_error_shape() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path(), "http://127.0.0.1:8080/").await;
    let boom = Router::new().route("/api/boom", axum::routing::get(|| async { panic!("boom") as &'static str }));
    let app = router_with(state, boom);
    let page = send(&app, "GET", "/api/boom", None, None).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    let error: Value = serde_json::from_str(&page.text).unwrap();
    assert_eq!(error["code"], "A500");
    assert!(!page.text.contains("boom"), "the panic's text stays in the log: {}", page.text);
    // The service goes on answering.
    assert_eq!(send(&app, "GET", "/api/health", None, None).await.status, StatusCode::OK);
}

/// Status checks of request `number`, one from each address at once: their statuses.
async fn status_checks(app: &Router, number: &str, digits: &str, peers: Vec<String>) -> Vec<StatusCode> {
    let tasks: Vec<_> = peers
        .into_iter()
        .map(|peer| {
            let (app, form) = (app.clone(), format!("number={number}&digits={digits}"));
            tokio::spawn(
                async move { answer(&app, from_peer("POST", "/status", &peer, &[], Some(&form))).await.status },
            )
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses
}

#[tokio::test]
async fn guessers_cannot_block_a_residents_own_status_check() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let guessers = (0..10).map(|i| format!("198.51.100.{i}:5000")).collect();
    assert!(status_checks(&app, "R1", "9999", guessers).await.iter().all(|s| *s == StatusCode::NOT_FOUND));
    // The resident, who knows the digits, still gets the answer (a little later).
    let form = "number=R1&digits=0001";
    let own = answer(&app, from_peer("POST", "/status", "203.0.113.7:5000", &[], Some(form))).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    assert!(own.text.contains("受付中"), "{}", own.text);
    // One address that keeps guessing is paused, whatever the numbers.
    for i in 0..10 {
        status_checks(&app, &format!("nosuch{i}"), "1111", vec!["198.51.100.200:5000".into()]).await;
    }
    let paused = status_checks(&app, "R1", "0001", vec!["198.51.100.200:5000".into()]).await;
    assert_eq!(paused, [StatusCode::TOO_MANY_REQUESTS]);
}

/// One write through the API with the planner's token: status and answer.
async fn api(app: &Router, method: &str, uri: &str, body: Value) -> (StatusCode, Value) {
    let (status, text) = staff::bearer(app, method, uri, PLANNER_TOKEN, Some(body)).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The codes and paths of a 422 answer's problems.
fn problems(answer: &Value) -> Vec<(String, String)> {
    let list = answer["problems"].as_array().cloned().unwrap_or_default();
    list.iter().map(|p| (p["code"].as_str().unwrap().to_string(), p["path"].as_str().unwrap().to_string())).collect()
}

#[tokio::test]
async fn staff_text_and_lists_have_limits_named_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path()).await;
    let (_, stop) = api(&app, "GET", "/api/stops/konaka", Value::Null).await;
    let mut long_name = stop.clone();
    long_name["name"] = Value::String("あ".repeat(100_000));
    let (status, answer) = api(&app, "PUT", "/api/stops/konaka", long_name).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(problems(&answer).iter().any(|(c, p)| c == "E1030" && p.ends_with(".name")), "{answer}");
    let mut many = stop.clone();
    many["closed"] = serde_json::json!(vec![serde_json::json!({"from": "2026-12-08", "to": "2026-12-08"}); 5_000]);
    let (status, answer) = api(&app, "PUT", "/api/stops/konaka", many).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problems(&answer).iter().any(|(c, p)| c == "E1030" && p.ends_with(".closed")), "{answer}");
    let mut long_id = stop.clone();
    long_id["id"] = Value::String("a".repeat(10_000));
    let (status, answer) = api(&app, "POST", "/api/stops", long_id).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problems(&answer).iter().any(|(c, p)| c == "E1030" && p.ends_with(".id")), "{answer}");
    let (_, request) = api(&app, "GET", "/api/requests/R1", Value::Null).await;
    let mut long_resident = request.clone();
    long_resident["resident"]["name"] = Value::String("x".repeat(300_000));
    let (status, answer) = api(&app, "PUT", "/api/requests/R1", long_resident).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problems(&answer).iter().any(|(c, p)| c == "E1030" && p.ends_with("resident.name")), "{answer}");
    // Nothing was stored.
    assert_eq!(api(&app, "GET", "/api/stops/konaka", Value::Null).await.1, stop);
    assert_eq!(api(&app, "GET", "/api/requests/R1", Value::Null).await.1, request);
}

#[tokio::test]
async fn tokens_do_not_make_tokens_and_pages_answer_like_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path()).await;
    common::add_staff(&state, "rover", Role::Driver, None, "driver-token-for-hardening-01").await;
    let admin_token = "admin-token-for-hardening-001";
    for (token, uri, form) in [
        (PLANNER_TOKEN, "/account/tokens", "label=more"),
        (PLANNER_TOKEN, "/account/password", "current=x&new=y"),
        (admin_token, "/admin/users", "name=mallory&role=admin&unit="),
        (admin_token, "/admin/users/1/password", ""),
    ] {
        let req = Request::builder()
            .method("POST")
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let page = answer(&app, req).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{uri}: {}", page.text);
        assert!(page.text.contains("A4032"), "{}", page.text);
    }
    let planner = staff::sign_in(&app, "planner", PASSWORD).await;
    let unknown = planner.post(&app, "/planner/plans/99999/publish", "").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "as the API answers: {}", unknown.text);
    // The plan form names what it cannot use instead of planning another week.
    for (form, expected) in [
        ("week=0000-01-01&weeks=1000000000", vec![("E3001", "week"), ("E1015", "weeks")]),
        ("week=2026-13-01&weeks=x", vec![("E1017", "week"), ("E1015", "weeks")]),
    ] {
        let refused = planner.post(&app, "/planner/plans", form).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{form}: {}", refused.text);
        let got = problems(&serde_json::from_str(&refused.text).unwrap());
        let want: Vec<(String, String)> = expected.iter().map(|(c, p)| (c.to_string(), p.to_string())).collect();
        assert_eq!(got, want, "{form}");
    }
    assert!(state.store.plans().await.unwrap().is_empty(), "no plan was started");
    // A crew day for a unit that does not exist is refused.
    let admin = staff::sign_in(&app, "admin", PASSWORD).await;
    let rover = state.store.user_by_name("rover").await.unwrap().unwrap().0.id;
    let day = admin.post(&app, "/admin/crew-days", &format!("user={rover}&date=2026-12-08&unit=no-such-unit")).await;
    assert_eq!(day.status, StatusCode::BAD_REQUEST, "{}", day.text);
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    let dir = tempfile::tempdir().unwrap();
    let config = ServeConfig {
        db: dir.path().join("junkai.sqlite"),
        data: Some(common::tiny_fixture(dir.path())),
        clock: common::clock(),
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.unwrap();
    common::add_staff(&state, "planner", Role::Planner, None, PLANNER_TOKEN).await;
    let app = router(state);
    // Twenty failures (unknown names, so that no name locks first) pause an address.
    let fail_from = |peer: &'static str, forwarded: &'static str, i: usize| {
        let app = app.clone();
        async move {
            let (cookie, body) = sign_in_form(&app, &format!("guess{i}"), "whatever-password").await;
            let headers = [("cookie", cookie.as_str()), ("x-forwarded-for", forwarded)];
            answer(&app, from_peer("POST", "/login", peer, &headers, Some(&body))).await.status
        }
    };
    for i in 0..20 {
        fail_from("127.0.0.1:5000", "198.51.100.1", i).await;
    }
    assert_eq!(fail_from("127.0.0.1:5000", "198.51.100.1", 99).await, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is its own bucket.
    assert_eq!(fail_from("127.0.0.1:5000", "198.51.100.2", 98).await, StatusCode::FORBIDDEN);
    // From an untrusted peer the header is ignored: changing it escapes nothing.
    for i in 0..20 {
        fail_from("203.0.113.5:5000", ["198.51.100.3", "198.51.100.4"][i % 2], 100 + i).await;
    }
    assert_eq!(fail_from("203.0.113.5:5000", "198.51.100.5", 200).await, StatusCode::TOO_MANY_REQUESTS);
}
