//! Hostile text in every stored free-text field (the data set's name and credits, a depot's
//! name, a stop's name, reading, district and address, a unit's and a service's names, a
//! resident's name, phone and note, an API token's label) comes out escaped on every page, and every page
//! carries the Content-Security-Policy and hardening headers.

use std::path::Path;

use axum::Router;
use axum::http::{StatusCode, header};
use junkai::server::store::Role;
use junkai::server::{AppState, ServeConfig, router};
use serde_json::{Value, json};

mod common;
use common::staff::{self, Page};
use common::{PASSWORD, shifted};

const PLANNER: &str = "planner-token-for-escaping-1";
/// Markup, quotes and a script URL. (Direction overrides and control characters are
/// refused when text is stored, E1027: tested below; pages drop them as well.)
const HOSTILE: &str = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>javascript:alert(3)";

/// The tiny fixture with hostile text in the fields only the data file sets.
fn hostile_fixture(dir: &Path) -> std::path::PathBuf {
    let path = common::tiny_fixture(dir);
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["name"] = json!(HOSTILE);
    doc["credits"] = json!([HOSTILE]);
    doc["service_kinds"][0]["name"] = json!(HOSTILE);
    doc["service_kinds"][0]["name_en"] = json!(HOSTILE);
    doc["depots"][0]["name"] = json!(HOSTILE);
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

async fn api(app: &Router, method: &str, uri: &str, body: Value) -> (StatusCode, String) {
    common::staff::bearer(app, method, uri, PLANNER, Some(body)).await
}

/// Whether a page lets any part of the hostile text through unescaped.
fn leaks(page: &Page) -> Vec<&'static str> {
    let mut found = Vec::new();
    for (what, needle) in [
        ("a script element", "<script>alert"),
        ("an img element", "<img src=x"),
        ("an event attribute", "onerror=alert(2)>"),
        ("an attribute break-out", "\"'><"),
        ("a javascript: link", "href=\"javascript:"),
        ("a direction override", "\u{202E}"),
    ] {
        if page.text.contains(needle) {
            found.push(what);
        }
    }
    found
}

fn assert_headers(uri: &str, page: &Page) {
    let csp = page.headers.get(header::CONTENT_SECURITY_POLICY).map(|v| v.to_str().unwrap()).unwrap_or_default();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe"),
        "{uri}: {csp}"
    );
    // Images from this origin and the base map's tile server only.
    assert!(csp.contains("img-src 'self' data: https://cyberjapandata.gsi.go.jp;"), "{uri}: {csp}");
    assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
    assert_eq!(page.headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
}

#[tokio::test]
async fn hostile_text_in_every_free_text_field_is_escaped_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let config = ServeConfig {
        db: dir.path().join("junkai.sqlite"),
        data: Some(hostile_fixture(dir.path())),
        clock: common::clock(),
        ..ServeConfig::default()
    };
    let state = AppState::open(config).await.unwrap();
    common::add_staff(&state, "admin", Role::Admin, None, PLANNER).await;
    common::add_staff(&state, "driver", Role::Driver, Some("gyosei"), "driver-token-for-escaping-1").await;
    let app = router(state);

    let (_, stop) = api(&app, "GET", "/api/stops/konaka", json!({})).await;
    let mut stop: Value = serde_json::from_str(&stop).unwrap();
    for key in ["name", "reading", "district", "address"] {
        stop[key] = json!(HOSTILE);
    }
    assert_eq!(api(&app, "PUT", "/api/stops/konaka", stop.clone()).await.0, StatusCode::OK);
    let mut spoofed = stop.clone();
    spoofed["name"] = json!("\u{202E}gpj.exe");
    let (status, text) = api(&app, "PUT", "/api/stops/konaka", spoofed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a direction override is refused: {text}");
    assert!(text.contains("E1027"), "{text}");
    let (_, unit) = api(&app, "GET", "/api/units/gyosei", json!({})).await;
    let mut unit: Value = serde_json::from_str(&unit).unwrap();
    unit["name"] = json!(HOSTILE);
    assert_eq!(api(&app, "PUT", "/api/units/gyosei", unit).await.0, StatusCode::OK);
    let request = json!({ "id": "R1", "kind": "admin", "stop": "konaka", "earliest": shifted("2026-12-07"),
                          "latest": shifted("2026-12-11"), "note": HOSTILE, "resident": { "name": HOSTILE, "phone": HOSTILE } });
    let (status, text) = api(&app, "PUT", "/api/requests/R1", request).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (_, started) = api(&app, "POST", "/api/plans", json!({ "week": shifted("2026-12-07") })).await;
    let id = serde_json::from_str::<Value>(&started).unwrap()["id"].as_i64().unwrap();
    loop {
        let (_, plan) = api(&app, "GET", &format!("/api/plans/{id}"), json!({})).await;
        if serde_json::from_str::<Value>(&plan).unwrap()["status"] == "draft" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(api(&app, "POST", &format!("/api/plans/{id}/publish"), json!({})).await.0, StatusCode::OK);

    let admin = staff::sign_in(&app, "admin", PASSWORD).await;
    let label = format!("label={}", url(HOSTILE));
    assert_eq!(admin.post(&app, "/account/tokens", &label).await.status, StatusCode::OK);
    let driver = staff::sign_in(&app, "driver", PASSWORD).await;
    let q = url(HOSTILE);
    let public = [
        "/".to_string(),
        format!("/?q={q}"),
        "/stops/konaka".into(),
        format!("/timetable?district={q}"),
        "/login".into(),
    ];
    let mut shown = 0;
    for uri in &public {
        let page = staff::send(&app, "GET", uri, None, None).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(leaks(&page).is_empty(), "{uri} lets through {:?}", leaks(&page));
        assert_headers(uri, &page);
        shown += usize::from(page.text.contains("&lt;script&gt;alert(1)"));
    }
    for uri in ["/planner", &format!("/planner?plan={id}"), "/account", "/admin/users", "/logout"] {
        let page = admin.get(&app, uri).await;
        assert_eq!(page.headers[header::CACHE_CONTROL], "no-store", "{uri}: staff pages are never cached");
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(leaks(&page).is_empty(), "{uri} lets through {:?}", leaks(&page));
        assert_headers(uri, &page);
        shown += usize::from(page.text.contains("&lt;script&gt;alert(1)"));
    }
    let itinerary = driver.get(&app, "/driver").await;
    assert!(leaks(&itinerary).is_empty(), "/driver lets through {:?}", leaks(&itinerary));
    assert!(itinerary.text.contains("&lt;script&gt;alert(1)"), "the resident's name is shown, escaped");
    assert!(shown >= 8, "the hostile text is shown (escaped) on most pages: {shown}");
}

fn url(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap().trim_start_matches("x=").to_string()
}
