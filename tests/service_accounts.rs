//! Staff accounts end to end through the router: sign-in and sessions (expiry, sign-out,
//! password change), CSRF on every cookie-authenticated write, throttling of sign-in
//! bursts, API tokens, the admin page, and the audit of who read residents' data.

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Duration;
use junkai::server::store::Role;
use junkai::server::{AppState, ServeConfig, router};
use serde_json::Value;
use tower::ServiceExt;

mod common;
use common::PASSWORD;
use common::staff::{self, send};

const PLANNER_TOKEN: &str = "planner-token-for-accounts-01";

async fn app(dir: &Path, public_url: &str) -> (AppState, Router) {
    let config = ServeConfig {
        db: dir.join("junkai.sqlite"),
        data: Some(common::tiny_fixture(dir)),
        clock: common::clock(),
        public_url: public_url.into(),
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.unwrap();
    common::add_staff(&state, "admin", Role::Admin, None, "admin-token-for-accounts-0001").await;
    common::add_staff(&state, "planner", Role::Planner, None, PLANNER_TOKEN).await;
    common::add_staff(&state, "driver", Role::Driver, Some("gyosei"), "driver-token-for-accounts-01").await;
    (state.clone(), router(state))
}

async fn bearer(app: &Router, method: &str, uri: &str, token: &str) -> (StatusCode, Value) {
    let body = (method != "GET").then(|| serde_json::json!({}));
    let (status, text) = staff::bearer(app, method, uri, token, body).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn audit(app: &Router) -> Vec<Value> {
    bearer(app, "GET", "/api/audit", PLANNER_TOKEN).await.1.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_cross_site_post_without_the_csrf_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path(), "http://127.0.0.1:8080/").await;
    let planner = staff::sign_in(&app, "planner", PASSWORD).await;
    // What another site's form can send: the cookie (if the browser sends it) but no token.
    for body in ["weeks=1", "weeks=1&csrf=", "weeks=1&csrf=0123456789abcdef"] {
        let forged = send(&app, "POST", "/planner/plans", Some(&planner.cookie), Some(body)).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{body}");
        let error: Value = serde_json::from_str(&forged.text).unwrap();
        assert_eq!(error["code"], "A4030");
        assert!(error["message"].as_str().unwrap().contains("CSRF") && !error["hint"].as_str().unwrap().is_empty());
    }
    // A JSON API call by cookie needs the header too; by bearer token it does not.
    let req = |csrf: Option<&str>| {
        let mut r = Request::builder()
            .method("POST")
            .uri("/api/replan")
            .header(header::COOKIE, &planner.cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = csrf {
            r = r.header("x-csrf-token", c);
        }
        r.body(Body::from("{}")).unwrap()
    };
    assert_eq!(app.clone().oneshot(req(None)).await.unwrap().status(), StatusCode::FORBIDDEN);
    let with_header = app.clone().oneshot(req(Some(&planner.csrf))).await.unwrap().status();
    assert_eq!(with_header, StatusCode::CONFLICT, "past the CSRF check: nothing is published yet");
    assert_eq!(bearer(&app, "POST", "/api/replan", PLANNER_TOKEN).await.0, StatusCode::CONFLICT);
    // The sign-in form has its own token: a forged sign-in is refused too.
    let body = format!("name=planner&password={PASSWORD}&csrf=forged");
    assert_eq!(send(&app, "POST", "/login", None, Some(&body)).await.status, StatusCode::FORBIDDEN);
    // With the token the same form works.
    let ok = planner.post(&app, "/planner/plans", "weeks=1").await;
    assert!(ok.status.is_redirection(), "{} {}", ok.status, ok.text);
}

#[tokio::test]
async fn a_logged_out_or_expired_session_is_not_accepted_again() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path(), "https://junkai.example.jp/").await;
    let answer = staff::try_sign_in(&app, "planner", PASSWORD).await;
    assert!(answer.headers[header::SET_COOKIE].to_str().unwrap().contains("Secure"), "https: Secure cookie");
    let planner = staff::sign_in(&app, "planner", PASSWORD).await;
    assert_eq!(planner.get(&app, "/planner").await.status, StatusCode::OK);
    let out = planner.post(&app, "/logout", "").await;
    assert_eq!(out.location(), Some("/login"));
    let cleared = out.set_cookie("__Host-junkai_session");
    assert!(cleared.is_some_and(|c| c == "__Host-junkai_session="), "the cookie is cleared");
    // The old cookie, replayed: the server has forgotten the session.
    assert_eq!(planner.get(&app, "/planner").await.location(), Some("/login"));
    assert_eq!(planner.post(&app, "/planner/plans", "weeks=1").await.status, StatusCode::UNAUTHORIZED);

    // Idle expiry: an hour without a request ends the session.
    let idle = staff::sign_in(&app, "planner", PASSWORD).await;
    state.config.clock.advance(Duration::minutes(59));
    assert_eq!(idle.get(&app, "/planner").await.status, StatusCode::OK);
    state.config.clock.advance(Duration::minutes(61));
    assert_eq!(idle.get(&app, "/planner").await.location(), Some("/login"));
    // Absolute expiry: 12 hours after sign-in, however busy.
    let busy = staff::sign_in(&app, "planner", PASSWORD).await;
    for _ in 0..14 {
        state.config.clock.advance(Duration::minutes(50));
        assert_eq!(busy.get(&app, "/planner").await.status, StatusCode::OK);
    }
    state.config.clock.advance(Duration::minutes(50));
    assert_eq!(busy.get(&app, "/planner").await.location(), Some("/login"), "over 12 h");

    // A password change ends every session of the account, the changing one included.
    let first = staff::sign_in(&app, "planner", PASSWORD).await;
    let second = staff::sign_in(&app, "planner", PASSWORD).await;
    let weak = first.post(&app, "/account/password", &format!("current={PASSWORD}&new=password1234")).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text.contains("よく使われるパスワード"), "a common password is refused in Japanese");
    let new = "another-long-staff-secret-42";
    let changed = first.post(&app, "/account/password", &format!("current={PASSWORD}&new={new}")).await;
    assert_eq!(changed.location(), Some("/login"));
    for s in [&first, &second] {
        assert_eq!(s.get(&app, "/planner").await.location(), Some("/login"));
    }
    assert_eq!(staff::try_sign_in(&app, "planner", PASSWORD).await.status, StatusCode::FORBIDDEN);
    staff::sign_in(&app, "planner", new).await;
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_locks_the_account_until_time_or_an_admin() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path(), "http://127.0.0.1:8080/").await;
    for _ in 0..5 {
        let wrong = staff::try_sign_in(&app, "planner", "not-the-password-at-all").await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        assert!(wrong.text.contains("アカウント名またはパスワードが違います"), "{}", wrong.text);
    }
    // Locked: even the right password is refused, with a clear Japanese message.
    let locked = staff::try_sign_in(&app, "planner", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    let error: Value = serde_json::from_str(&locked.text).unwrap();
    assert_eq!(error["code"], "A4290");
    assert!(error["message"].as_str().unwrap().contains("一時的に"), "{error}");
    let actions: Vec<String> = audit(&app).await.iter().map(|e| e["action"].as_str().unwrap().to_string()).collect();
    assert!(actions.contains(&"account-locked".to_string()) && actions.contains(&"sign-in-locked".to_string()));
    // Unlocked by time…
    state.config.clock.advance(Duration::minutes(16));
    staff::sign_in(&app, "planner", PASSWORD).await;
    // …or by an admin (saving the account clears its lock).
    for _ in 0..5 {
        staff::try_sign_in(&app, "planner", "not-the-password-at-all").await;
    }
    assert_eq!(staff::try_sign_in(&app, "planner", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    let admin = staff::sign_in(&app, "admin", PASSWORD).await;
    let users = admin.get(&app, "/admin/users").await;
    assert!(users.text.contains("ロック中"), "the admin page shows the lock");
    let id = state.store.user_by_name("planner").await.unwrap().unwrap().0.id;
    let saved = admin.post(&app, &format!("/admin/users/{id}"), "role=planner&unit=").await;
    assert!(saved.status.is_redirection(), "{}", saved.text);
    staff::sign_in(&app, "planner", PASSWORD).await;

    // One address guessing many names is paused as a whole (20 failures).
    for i in 0..20 {
        staff::try_sign_in(&app, &format!("guess{i}"), "whatever-password").await;
    }
    assert_eq!(staff::try_sign_in(&app, "driver", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    state.config.clock.advance(Duration::minutes(16));
    staff::sign_in(&app, "driver", PASSWORD).await;
}

#[tokio::test]
async fn admins_manage_accounts_and_tokens_are_per_account_and_revocable() {
    let dir = tempfile::tempdir().unwrap();
    let (state, app) = app(dir.path(), "http://127.0.0.1:8080/").await;
    let admin = staff::sign_in(&app, "admin", PASSWORD).await;
    let added = admin.post(&app, "/admin/users", "name=suzuki&role=viewer&unit=").await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text);
    let at = added.text.find("data-testid=\"new-password\">").expect("the password is shown once") + 27;
    let password = added.text[at..].split('<').next().unwrap().to_string();
    assert_eq!(password.len(), 20);
    let suzuki = staff::sign_in(&app, "suzuki", &password).await;
    assert_eq!(suzuki.get(&app, "/planner").await.status, StatusCode::OK);
    let dup = admin.post(&app, "/admin/users", "name=suzuki&role=viewer&unit=").await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    let hostile = admin.post(&app, "/admin/users", "name=%3Cscript%3E&role=viewer&unit=").await;
    assert_eq!(hostile.status, StatusCode::UNPROCESSABLE_ENTITY, "names are letters, digits, . _ -");

    // An API token from the account page works as a bearer token until revoked.
    let issued = suzuki.post(&app, "/account/tokens", "label=script").await;
    let at = issued.text.find("data-testid=\"new-token\">").unwrap() + 24;
    let token = issued.text[at..].split('<').next().unwrap().to_string();
    assert_eq!(bearer(&app, "GET", "/api/plans", &token).await.0, StatusCode::OK);
    assert_eq!(
        bearer(&app, "GET", "/api/requests", &token).await.0,
        StatusCode::FORBIDDEN,
        "viewers see no personal data"
    );
    let listed = state.store.tokens(None).await.unwrap();
    let mine = listed.iter().find(|t| t.user == "suzuki").expect("listed");
    assert!(!format!("{listed:?}").contains(&token), "tokens are listed without their secret");
    let revoked = suzuki.post(&app, &format!("/account/tokens/{}/revoke", mine.id), "").await;
    assert!(revoked.status.is_redirection());
    assert_eq!(bearer(&app, "GET", "/api/plans", &token).await.0, StatusCode::UNAUTHORIZED);

    // Disabling an account ends its sessions.
    let id = state.store.user_by_name("suzuki").await.unwrap().unwrap().0.id;
    admin.post(&app, &format!("/admin/users/{id}"), "role=viewer&unit=&disabled=1").await;
    assert_eq!(suzuki.get(&app, "/planner").await.location(), Some("/login"));
    assert_eq!(staff::try_sign_in(&app, "suzuki", &password).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_write_names_the_person_and_reads_of_personal_data_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path(), "http://127.0.0.1:8080/").await;
    assert_eq!(bearer(&app, "GET", "/api/requests/R1", PLANNER_TOKEN).await.0, StatusCode::OK);
    let planner = staff::sign_in(&app, "planner", PASSWORD).await;
    planner.post(&app, "/planner/plans", "weeks=1").await;
    let log = audit(&app).await;
    let find = |action: &str, target: &str| {
        log.iter()
            .find(|e| e["action"] == action && e["target"].as_str().is_some_and(|t| t.starts_with(target)))
            .cloned()
    };
    let read = find("read-personal", "requests/R1").expect("the read of R1 is audited");
    assert_eq!(read["actor"], "user:planner");
    assert_eq!(find("plan", "plans/").expect("the plan is audited")["actor"], "user:planner");
    assert_eq!(find("sign-in", "users/planner").expect("sign-ins are audited")["actor"], "user:planner");
}

#[tokio::test]
async fn browsers_get_refusals_as_a_page_with_the_same_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path(), "http://127.0.0.1:8080/").await;
    let driver = staff::sign_in(&app, "driver", PASSWORD).await;
    let req = Request::builder()
        .method("POST")
        .uri("/planner/plans")
        .header(header::COOKIE, &driver.cookie)
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("weeks=1&csrf={}", driver.csrf)))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    let html = String::from_utf8_lossy(&bytes);
    assert!(html.contains("このアカウントの役割では利用できません") && html.contains("(A403)"), "{html}");
    assert!(html.contains("<html lang=\"ja\">"));
}

#[tokio::test]
async fn a_parallel_burst_gets_no_more_guesses_than_a_sequential_one() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path(), "http://127.0.0.1:8080/").await;
    let burst: Vec<_> = (0..12)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { staff::try_sign_in(&app, "planner", "not-the-password-at-all").await.status })
        })
        .collect();
    let mut guesses = 0;
    for task in burst {
        let status = task.await.unwrap();
        assert!(status == StatusCode::FORBIDDEN || status == StatusCode::TOO_MANY_REQUESTS, "{status}");
        guesses += usize::from(status == StatusCode::FORBIDDEN);
    }
    assert!(guesses <= 5, "{guesses} passwords were checked; the account allows 5");
    assert_eq!(staff::try_sign_in(&app, "planner", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_browser_with_a_session_can_sign_in_again_and_the_old_session_ends() {
    let dir = tempfile::tempdir().unwrap();
    let (_, app) = app(dir.path(), "http://127.0.0.1:8080/").await;
    let old = staff::sign_in(&app, "planner", PASSWORD).await;
    let form = send(&app, "GET", "/login", Some(&old.cookie), None).await;
    let login_cookie = form.set_cookie("junkai_login_csrf").unwrap();
    let body = format!("name=driver&password={PASSWORD}&csrf={}", form.csrf().unwrap());
    let cookies = format!("{}; {login_cookie}", old.cookie);
    let again = send(&app, "POST", "/login", Some(&cookies), Some(&body)).await;
    assert_eq!(again.location(), Some("/driver"), "{} {}", again.status, again.text);
    assert_eq!(old.get(&app, "/planner").await.location(), Some("/login"), "the old session is closed");
}
