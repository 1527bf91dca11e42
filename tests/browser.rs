//! The web pages in a real headless Chromium, driven through ChromeDriver (W3C WebDriver):
//! a resident finds a hall and reads its next visit; a planner signs in and the plan's
//! map is drawn; on a phone, the crew's day, and a resident's online application that a
//! planner accepts; a planner's week (a phone request, a unit out of service, a closed
//! hall, re-plan, the difference, publish, the call list); a doctor's own video sessions
//! and the medical unit's crew seeing whom to call. Needs Debian's `chromium` and `chromium-driver` (installed by `.ci/run`);
//! paths can be overridden with `JUNKAI_CHROMEDRIVER` and `JUNKAI_CHROMIUM`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, header};
use junkai::server::{AppState, ServeConfig, router};
use serde_json::{Value, json};
use tower::ServiceExt;

mod common;
use common::http::free_port;
use common::shifted;

const PLANNER: &str = "planner-token-for-browser-01";
const DRIVER: &str = "driver-token-for-browser-001";
const IRYO: &str = "iryo-driver-token-for-browser";
const KIMURA: &str = "kimura-token-for-browser-001";
/// The W3C WebDriver key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One exchange with ChromeDriver (its answers are JSON).
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<Value> {
    common::http::request(port, method, path, None, body).map(|(_, v)| v)
}

struct WebDriver {
    port: u16,
    session: String,
    process: Child,
}

impl WebDriver {
    fn start(profile: &Path) -> WebDriver {
        let driver = std::env::var("JUNKAI_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("JUNKAI_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(
            Path::new(&driver).exists() && Path::new(&chromium).exists(),
            "the browser test needs {driver} and {chromium}: apt-get install chromium chromium-driver (as .ci/run does)"
        );
        let port = free_port();
        let process = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while http(port, "GET", "/status", None).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not come up");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({ "capabilities": { "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1200,900", format!("--user-data-dir={}", profile.display())]
        } } } });
        let created = http(port, "POST", "/session", Some(&caps)).unwrap();
        let session =
            created["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {created}")).to_string();
        let browser = WebDriver { port, session, process };
        // The base map's tiles are never fetched: pages would otherwise wait on a network
        // this machine may not have, and the tests check the maps without tiles anyway.
        browser.cdp("Network.enable", json!({}));
        browser.cdp("Network.setBlockedURLs", json!({ "urls": ["*cyberjapandata.gsi.go.jp*"] }));
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let v = http(self.port, method, &format!("/session/{}{path}", self.session), body.as_ref())
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert!(v["value"].get("error").is_none(), "{method} {path}: {v}");
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Waits up to 10 s for an element matching `css`.
    fn find(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            let v = http(
                self.port,
                "POST",
                &format!("/session/{}/element", self.session),
                Some(&json!({ "using": "css selector", "value": css })),
            )
            .unwrap();
            if let Some(id) = v["value"][ELEMENT].as_str() {
                return id.to_string();
            }
            assert!(started.elapsed() < Duration::from_secs(10), "no element {css}: {v}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits up to 10 s until no element matches `css` (e.g. after a form reloads the page).
    fn wait_until_gone(&self, css: &str) {
        let started = Instant::now();
        while self.count(css) > 0 {
            assert!(started.elapsed() < Duration::from_secs(10), "{css} is still there");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Clicks a form's button and waits until the next page has loaded.
    fn submit(&self, css: &str) {
        self.script("window.junkaiOldPage = true;");
        self.click(css);
        let started = Instant::now();
        let js = "return window.junkaiOldPage === undefined && document.readyState === 'complete';";
        while self.script(js) != json!(true) {
            assert!(started.elapsed() < Duration::from_secs(10), "{css} did not lead to a new page");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits up to 30 s until the page's text holds `text` (pages that refresh themselves).
    fn wait_for_text(&self, text: &str) {
        let started = Instant::now();
        let js = format!("return document.body && document.body.innerText.includes({});", json!(text));
        while self.script(&js) != json!(true) {
            if started.elapsed() > Duration::from_secs(30) {
                let shown = self.script("return location.href + '\\n' + document.body.innerText;");
                panic!("the page never shows `{text}`: {}", shown.as_str().unwrap_or_default());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn count(&self, css: &str) -> usize {
        self.call("POST", "/elements", Some(json!({ "using": "css selector", "value": css })))
            .as_array()
            .map_or(0, Vec::len)
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/value"), Some(json!({ "text": text })));
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    fn text(&self, css: &str) -> String {
        let id = self.find(css);
        self.call("GET", &format!("/element/{id}/text"), None).as_str().unwrap_or_default().to_string()
    }

    fn script(&self, js: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({ "script": js, "args": [] })))
    }

    /// One Chrome DevTools Protocol command through ChromeDriver.
    fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.call("POST", "/goog/cdp/execute", Some(json!({ "cmd": cmd, "params": params })))
    }

    /// The font families Chromium really drew the text of the first `css` element with.
    fn rendered_fonts(&self, css: &str) -> Vec<String> {
        self.cdp("DOM.enable", json!({}));
        self.cdp("CSS.enable", json!({}));
        let root = self.cdp("DOM.getDocument", json!({ "depth": 0 }))["root"]["nodeId"].clone();
        let node = self.cdp("DOM.querySelector", json!({ "nodeId": root, "selector": css }))["nodeId"].clone();
        let fonts = self.cdp("CSS.getPlatformFontsForNode", json!({ "nodeId": node }));
        fonts["fonts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["familyName"].as_str().map(String::from))
            .collect()
    }

    fn rect(&self, css: &str) -> (f64, f64) {
        let id = self.find(css);
        let r = self.call("GET", &format!("/element/{id}/rect"), None);
        (r["width"].as_f64().unwrap_or(0.0), r["height"].as_f64().unwrap_or(0.0))
    }
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = http(self.port, "DELETE", &format!("/session/{}", self.session), None);
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// What the served plan holds for the checks: the announced start of the next visit at
/// 小中集会所, and the date on which request R1 (with a note) is served.
struct Served {
    port: u16,
    announced: String,
    r1_date: String,
    /// The server's clock (pinned; the test moves it on).
    clock: junkai::clock::Clock,
}

/// The note R1 carries, which the crew page must show.
const NOTE: &str = "車いすで来られます";

/// The resident R2 (a consultation at 小中集会所) is named: only its doctor may see the name.
const R2_NAME: &str = "受診 一郎";

/// The data folder's consultations (`medical`) held by video with one doctor, 木村.
fn with_a_doctor(folder: &Path) {
    let path = folder.join("problem.json");
    let mut problem: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let kinds = problem["service_kinds"].as_array_mut().unwrap();
    kinds.iter_mut().find(|k| k["id"] == "medical").unwrap()["remote_kind"] = json!("doctor");
    problem["remote_staff"] = json!([{ "id": "dr-kimura", "name": "木村", "kind": "doctor", "organisation": "木村内科",
        "contact": "0277-00-1234", "hours": { "weekdays": [["09:00", "16:30"]] } }]);
    problem["session_buffer_minutes"] = json!(5);
    for r in problem["requests"].as_array_mut().unwrap().iter_mut().filter(|r| r["id"] == "R2") {
        r["resident"] = json!({ "name": R2_NAME, "phone": "000-0000-0002" });
    }
    std::fs::write(&path, problem.to_string()).unwrap();
}

/// Serves the tiny fixture with a published plan on a free port (a planner, a driver of
/// 行政MaaS, one of 医療MaaS and the doctor 木村 can sign in).
fn serve_published(dir: &Path) -> Served {
    let port = free_port();
    let (tx, rx) = std::sync::mpsc::channel();
    let db = dir.join("junkai.sqlite");
    let clock = common::clock();
    let server_clock = clock.clone();
    let fixture = common::tiny_folder(dir);
    with_a_doctor(&fixture);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let config = ServeConfig { db, data: Some(fixture), clock: server_clock, ..ServeConfig::default() };
            let state = AppState::open(config).await.unwrap();
            common::add_staff(&state, "planner", junkai::server::store::Role::Planner, None, PLANNER).await;
            common::add_staff(&state, "driver", junkai::server::store::Role::Driver, Some("gyosei"), DRIVER).await;
            common::add_staff(&state, "iryo", junkai::server::store::Role::Driver, Some("iryo"), IRYO).await;
            common::add_staff(&state, "kimura", junkai::server::store::Role::Remote, Some("dr-kimura"), KIMURA).await;
            let app = router(state);
            let call = |method: &str, uri: &str, body: Option<Value>| {
                let app = app.clone();
                let req = Request::builder()
                    .method(method)
                    .uri(uri)
                    .header(header::AUTHORIZATION, format!("Bearer {PLANNER}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
                    .unwrap();
                async move {
                    let res = app.oneshot(req).await.unwrap();
                    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
                    serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null)
                }
            };
            let mut r1 = call("GET", "/api/requests/R1", None).await;
            r1["note"] = json!(NOTE);
            call("PUT", "/api/requests/R1", Some(r1)).await;
            let week = json!({ "week": shifted("2026-12-07") });
            let id = call("POST", "/api/plans", Some(week)).await["id"].as_i64().unwrap();
            while call("GET", &format!("/api/plans/{id}"), None).await["status"] != "draft" {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            call("POST", &format!("/api/plans/{id}/publish"), None).await;
            let uri = format!("/api/public/stops/konaka/visits?from={}", shifted("2026-12-07"));
            let visits = call("GET", &uri, None).await;
            let announced = visits["visits"][0]["from"].as_str().unwrap_or_default().to_string();
            let plan = call("GET", &format!("/api/plans/{id}/plan.json"), None).await;
            let days = plan["days"].as_array().cloned().unwrap_or_default();
            let r1_day = days.iter().find(|d| d.to_string().contains("\"R1\"")).expect("the plan serves R1");
            let r1_date = r1_day["date"].as_str().unwrap().to_string();
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
            tx.send(Served { port, announced, r1_date, clock }).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv_timeout(Duration::from_secs(120)).expect("the server starts with a published plan")
}

#[test]
fn a_resident_finds_a_hall_and_a_planner_sees_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let Served { port, announced, r1_date, clock } = serve_published(dir.path());
    assert!(!announced.is_empty(), "the fixture's plan visits 小中集会所");
    let browser = WebDriver::start(&dir.path().join("profile"));
    let base = format!("http://127.0.0.1:{port}");

    // A resident searches in katakana and reads the next visit in large type. The server's
    // clock is pinned to the week before the plan, so "next" is the first visit of the
    // plan; the announced time of the first one must be on the page.
    browser.go(&format!("{base}/"));
    assert_eq!(browser.call("GET", "/title", None), json!("巡回 — 移動市役所・移動診療の予定"));
    // Japanese text is drawn in a CJK font (Debian's fonts-noto-cjk), not as boxes.
    let fonts = browser.rendered_fonts("header h1");
    assert!(fonts.iter().any(|f| f.contains("CJK")), "the heading is drawn with {fonts:?}");
    let loaded = browser.script("return document.fonts.check('16px \"Noto Sans CJK JP\"', '巡回 移動市役所');");
    assert_eq!(loaded, json!(true), "document.fonts.check finds the CJK font");
    // The stylesheet is applied under the Content-Security-Policy (same origin only).
    let family = browser.script("return getComputedStyle(document.body).fontFamily;");
    assert!(family.as_str().is_some_and(|f| f.contains("Noto Sans CJK JP")), "body font: {family}");
    browser.type_into("#q", "コナカ");
    browser.click("button[type=submit]");
    let heading = browser.text("#results");
    assert!(heading.contains('1'), "one hall found: {heading}");
    let next = browser.text("[data-testid=next-visit]");
    assert!(next.contains(&announced), "the next visit `{next}` shows the announced start {announced}");
    // Its page offers the calendar file.
    browser.click("section.card h3 a");
    browser.find("a[href$='calendar.ics']");
    assert_eq!(browser.count("a[href$='calendar.ics']"), 1);
    assert_eq!(browser.count("svg.map circle.stop"), 1, "the hall on its map");

    // A planner signs in; the plan's map is drawn with its routes and stops.
    browser.go(&format!("{base}/login"));
    browser.type_into("#name", "planner");
    browser.type_into("#password", common::PASSWORD);
    browser.click("button[type=submit]");
    let (w, h) = browser.rect("svg.map");
    assert!(w > 300.0 && h > 100.0, "the map is laid out: {w}×{h}");
    assert!(browser.count("svg.map path.route") >= 1, "route lines");
    assert!(browser.count("svg.map circle.stop") >= 3, "stops");
    assert!(browser.text("main").contains("KPI"));
    base_map_without_tiles(&browser);

    // On a phone (390 × 844) the residents' search, the sign-in and the account page fit
    // the width: nothing to scroll sideways.
    browser.call("POST", "/window/rect", Some(json!({ "width": 390, "height": 844 })));
    for path in ["/?q=%E6%9D%B1%E7%94%BA", "/account", "/logout"] {
        browser.go(&format!("{base}{path}"));
        browser.find("main");
        let overflow = browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
        assert!(overflow.as_f64().is_some_and(|o| o <= 0.0), "{path} is wider than the phone by {overflow} px");
        save_screenshot(&browser, path);
    }
    // Signing out ends the session: the planner page sends back to the sign-in.
    browser.click("main button[type=submit]");
    browser.find("#password");
    browser.go(&format!("{base}/planner"));
    browser.find("#password");

    // The crew's day on a phone: cards, nothing cut off, every booking's note visible, and
    // one numbered marker on the map per card.
    browser.go(&format!("{base}/login"));
    browser.type_into("#name", "driver");
    browser.type_into("#password", common::PASSWORD);
    browser.click("button[type=submit]");
    browser.find("select#date"); // signed in: the driver's page is there
    browser.go(&format!("{base}/driver?date={r1_date}"));
    browser.find(".stop-card");
    let cards = browser.count(".stop-card");
    assert!(cards >= 1, "the day's stops as cards");
    let overflow = browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
    assert!(overflow.as_f64().is_some_and(|o| o <= 0.0), "the crew page is wider than the phone by {overflow} px");
    let table_shown = browser.script("return getComputedStyle(document.querySelector('.wide-only')).display;");
    assert_eq!(table_shown, json!("none"), "no wide table on a phone");
    let note = browser.script(&format!(
        "const n = [...document.querySelectorAll('.stop-card .note')].find(e => e.textContent.includes('{NOTE}'));
         if (!n) return 'missing'; const r = n.getBoundingClientRect();
         return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth ? 'visible' : 'cut: ' + r.left + '..' + r.right;"
    ));
    assert_eq!(note, json!("visible"), "R1's note on its card");
    assert_eq!(browser.count("svg.map text.order"), cards, "one numbered marker per stop");
    assert!(browser.count("a[href^='tel:']") >= 1, "phones can be called with a tap");
    save_screenshot(&browser, "/driver");
    a_crew_records_the_day_without_a_signal(&browser, &base, &r1_date, port);
    a_doctor_and_the_crew_see_the_video_calls(&browser, &base);

    resident_applies_and_a_planner_accepts(&browser, &base);
    browser.call("POST", "/window/rect", Some(json!({ "width": 1280, "height": 900 })));
    planner_runs_four_weeks(&browser, &base, &clock);
    next_week_published_mid_week(&browser, &base, &clock);

    // English on request.
    browser.go(&format!("{base}/?lang=en"));
    assert_eq!(browser.call("GET", "/title", None), json!("junkai — mobile office and clinic visits"));
}

/// The planner's map with the tile server unreachable (blocked through the DevTools
/// protocol since the browser started, whatever the machine's network): the tiles are asked
/// for, the boundary, routes and stops still show on top, the credit names the tiles, and
/// the links zoom and choose a day without any script.
fn base_map_without_tiles(browser: &WebDriver) {
    browser.find("svg.map");
    let tiles =
        browser.script("return [...document.querySelectorAll('svg.map img.tile')].map(i => i.getAttribute('src'));");
    let tiles = tiles.as_array().cloned().unwrap_or_default();
    assert!(tiles.len() >= 4, "tiles under the map: {tiles:?}");
    assert!(
        tiles.iter().all(|t| t.as_str().is_some_and(|t| t.starts_with("https://cyberjapandata.gsi.go.jp/xyz/pale/"))),
        "淡色地図 by default: {tiles:?}"
    );
    // Every stop, the boundary and a route are drawn and nothing covers a stop's centre.
    let uncovered = browser.script(
        "const svg = document.querySelector('svg.map');
         const stops = [...svg.querySelectorAll('circle.stop')];
         const seen = stops.filter(c => { c.scrollIntoView({ block: 'center' }); const r = c.getBoundingClientRect();
             const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             return r.width > 0 && (top === c || c.parentNode.contains(top)); });
         const b = svg.querySelector('path.boundary').getBoundingClientRect();
         const route = svg.querySelector('path.route').getBoundingClientRect();
         return [stops.length, seen.length, b.width > 100 && b.height > 100, route.width + route.height > 0];",
    );
    let stops = uncovered[0].as_u64().unwrap_or(0);
    assert!(stops >= 3 && uncovered[1] == uncovered[0], "stops visible over the blocked tiles: {uncovered}");
    assert_eq!(uncovered[2], json!(true), "the boundary is drawn: {uncovered}");
    assert_eq!(uncovered[3], json!(true), "a route is drawn: {uncovered}");
    assert!(browser.text(".map-credit").contains("地理院タイル"), "the base map's credit");
    let zoom = |b: &WebDriver| b.script("return +document.querySelector('svg.map').dataset.zoom;").as_u64();
    browser.script("document.querySelector('#map').scrollIntoView();");
    save_screenshot(browser, "/planner-map");
    let before = zoom(browser).expect("the map states its zoom");
    browser.click(".map-controls a[href*='map_zoom=1']");
    browser.find("svg.map");
    assert_eq!(zoom(browser), Some(before + 1), "one step closer");
    let routes = browser.count("svg.map path.route");
    browser.click(".map-controls a[href*='map_day=']");
    browser.find(".map-controls strong[aria-current]");
    assert!(browser.count("svg.map path.route") < routes, "one day's routes of {routes}");
}

/// `date` (a fixture date, see `common::shifted`) moved on by `week` weeks.
fn in_week(date: &str, week: i64) -> String {
    let d = chrono::NaiveDate::parse_from_str(&shifted(date), "%Y-%m-%d").unwrap();
    (d + chrono::Duration::days(7 * week)).to_string()
}

fn sign_in(browser: &WebDriver, base: &str, name: &str) {
    browser.go(&format!("{base}/login"));
    browser.type_into("#name", name);
    browser.type_into("#password", common::PASSWORD);
    browser.submit("button[type=submit]");
}

/// Four weeks run from the pages alone, the server's clock moving a week each time (the
/// planner signs in again): each week a plan is made and published, a phone request taken,
/// the unit that serves it marked out of service on its day, a hall closed, the week
/// re-planned, the difference read, the change published, and the call list, the hall's
/// change notice and its calendar file checked.
fn planner_runs_four_weeks(browser: &WebDriver, base: &str, clock: &junkai::clock::Clock) {
    for week in 0..4 {
        if week > 0 {
            clock.advance(chrono::Duration::days(7));
            sign_in(browser, base, "planner");
        }
        planner_runs_a_week(browser, base, week);
    }
}

fn planner_runs_a_week(browser: &WebDriver, base: &str, week: i64) {
    let (monday, friday) = (in_week("2026-12-07", week), in_week("2026-12-11", week));
    let set = |css: &str, value: &str| {
        browser.script(&format!("document.querySelector(\"{css}\").value = '{value}';"));
    };
    let intake = |id: &str| {
        browser.go(&format!("{base}/planner"));
        browser.type_into("#r-id", id);
        set("#r-earliest", &monday);
        set("#r-latest", &friday);
        browser.type_into("#r-name", "電話 太郎");
        browser.type_into("#r-phone", "0277-76-0001");
    };
    // A phone request at a hall found by its reading in katakana.
    let id = format!("TEL-{}", week + 1);
    intake(&id);
    browser.type_into("#r-stop", "コナカ");
    browser.submit("form[action='/planner/requests'] button[type=submit]");
    assert!(browser.text("main").contains(&id), "the receipt shows the request number");
    assert!(browser.text("main").contains("小中集会所"), "and the hall found");
    if week == 0 {
        home_visit_picked_on_the_map(browser, &intake);
    }
    // The week's plan, made and published from the page; dates of the week already
    // announced stay as they are unless opened, so the planner opens them all.
    browser.go(&format!("{base}/planner"));
    set("#week", &monday);
    browser.script(&format!(
        "document.querySelectorAll('input[name=open]').forEach(c => {{ c.checked = c.value >= '{monday}' && c.value <= '{friday}'; }});"
    ));
    browser.submit("form[action='/planner/plans'] button[type=submit]");
    browser.wait_for_text("この計画を公開する");
    browser.submit("form[action$='/publish'] button");
    // When and by which unit the request is served, from the requests page.
    browser.go(&format!("{base}/planner/requests"));
    let row = browser.script(&format!(
        "const r = [...document.querySelectorAll('main tr')].find(r => r.cells[0] && r.cells[0].innerText === '{id}');
         return r ? r.cells[1].innerText : '';"
    ));
    let state = row.as_str().unwrap_or_default().to_string();
    let date = state.split_whitespace().nth(1).unwrap_or_default().to_string();
    assert!(state.starts_with("予定あり") && date.len() == 10, "{id} is scheduled: {state}");
    let unit = state.rsplit_once('（').map(|(_, u)| u.trim_end_matches('）').to_string()).unwrap_or_default();
    // That unit breaks down on that day; another hall is closed on another day.
    browser.go(&format!("{base}/planner"));
    browser.script(&format!(
        "const s = document.querySelector('#oos-target');
         s.value = [...s.options].find(o => o.text.includes('{unit}')).value;"
    ));
    set("#oos-from", &date);
    browser.type_into("#oos-reason", "故障");
    browser.submit("form:has(#oos-target) button[type=submit]");
    browser.wait_for_text(&format!("運休 {date}"));
    let closed =
        if date == in_week("2026-12-10", week) { in_week("2026-12-09", week) } else { in_week("2026-12-10", week) };
    set("#closed-target", "stop:zama");
    set("#closed-from", &closed);
    browser.submit("form:has(#closed-target) button[type=submit]");
    browser.wait_for_text(&format!("休館 {closed}"));
    let port: u16 = base.rsplit(':').next().and_then(|p| p.parse().ok()).expect("the server's port");
    let konaka_events = || {
        let (_, ics) = common::http::request_text(port, "GET", "/api/public/stops/konaka/calendar.ics", None, None)
            .expect("the calendar file");
        common::calendar_events(&ics)
    };
    let before = konaka_events();
    // Re-plan around the published windows, read the difference, publish, call.
    browser.submit("form[action='/planner/replan'] button:not([name])");
    browser.wait_for_text("お知らせ済みの予定との違い");
    assert!(browser.text("main").contains("予約が動く住民"), "the difference names whose booking moves");
    browser.submit("form[action$='/publish'] button");
    browser.go(&format!("{base}/planner/calls"));
    browser.find("table");
    assert!(browser.text("main table").contains(&id), "{id} is on the call list: {}", browser.text("main"));
    assert!(browser.count("a[href^='tel:']") >= 1);
    if week == 0 {
        save_screenshot(browser, "/planner/calls");
    }
    // Residents are told: the hall's page and its calendar file.
    browser.go(&format!("{base}/stops/konaka"));
    assert!(browser.text("[data-testid=change-notice]").contains("変更") || browser.text("main").contains("取りやめ"));
    let after = konaka_events();
    for (uid, seq, _) in &before {
        assert!(after.iter().any(|(u, s, _)| u == uid && s >= seq), "{uid} is updated, not dropped: {after:?}");
    }
    assert!(after.iter().any(|(u, s, _)| before.iter().any(|(b, t, _)| b == u && s > t)), "a higher SEQUENCE");
}

/// This week is running (Tuesday, its plan published a week ago, next week's already):
/// the planner publishes the week after from the page, and today's crew day and the
/// hall's page stay as they were announced — no day lost, no visit gone, no notice of a
/// change that did not happen.
fn next_week_published_mid_week(browser: &WebDriver, base: &str, clock: &junkai::clock::Clock) {
    let today = clock.today();
    let hall_rows = || {
        browser.go(&format!("{base}/stops/konaka"));
        browser.find("main");
        let rows = browser.script("return [...document.querySelectorAll('main table tr')].map(r => r.innerText);");
        let rows: Vec<String> = rows.as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect();
        (rows, browser.count("[data-testid=change-notice]"))
    };
    sign_in(browser, base, "driver");
    let crew_day = || {
        browser.go(&format!("{base}/driver?date={today}"));
        browser.find(".stop-card");
        browser.script("return [...document.querySelectorAll('.stop-card')].map(c => c.innerText);")
    };
    let crew_before = crew_day();
    let (rows_before, notices_before) = hall_rows();
    sign_in(browser, base, "planner");
    browser.go(&format!("{base}/planner"));
    browser.script(&format!("document.querySelector('#week').value = '{}';", in_week("2026-12-07", 4)));
    browser.submit("form[action='/planner/plans'] button[type=submit]");
    browser.wait_for_text("この計画を公開する");
    assert!(!browser.text("main").contains("取りやめ:"), "next week's draft cancels nothing of this week");
    browser.submit("form[action$='/publish'] button");
    sign_in(browser, base, "driver");
    assert_eq!(crew_day(), crew_before, "today's stops on the crew page are as they were");
    let (rows_after, notices_after) = hall_rows();
    assert_eq!(notices_after, notices_before, "no notice of a change that did not happen");
    for row in &rows_before {
        assert!(rows_after.contains(row), "{row} is still announced: {rows_after:?}");
    }
    assert!(rows_after.len() > rows_before.len(), "next week's visits are added");
}

/// Week one's second intake: a home visit placed with a click on the map (the page's
/// script fills the position in).
fn home_visit_picked_on_the_map(browser: &WebDriver, intake: &dyn Fn(&str)) {
    intake("TEL-H");
    browser.type_into("#r-home-address", "みどり市東町花輪100");
    browser.script("document.querySelector('svg.map[data-pick]').scrollIntoView({ block: 'center' });");
    browser.click("svg.map[data-pick]");
    let picked = browser.script(
        "return [document.querySelector('#r-home-place').checked, +document.querySelector('#r-home-lat').value,
                 +document.querySelector('#r-home-lon').value, !!document.querySelector('svg.map circle.picked')];",
    );
    assert_eq!(picked[0], json!(true), "the click chooses a home visit: {picked}");
    let (lat, lon) = (picked[1].as_f64().unwrap_or(0.0), picked[2].as_f64().unwrap_or(0.0));
    assert!((36.3..36.7).contains(&lat) && (139.1..139.5).contains(&lon), "a position in Midori: {picked}");
    assert_eq!(picked[3], json!(true), "the picked place is marked");
    save_screenshot(browser, "/planner-intake");
    browser.submit("form[action='/planner/requests'] button[type=submit]");
    assert!(browser.text("main").contains("自宅訪問（みどり市東町花輪100）"), "{}", browser.text("main"));
}

/// On the phone: a resident applies online and checks the status by number; a planner
/// accepts the application from the queue.
fn resident_applies_and_a_planner_accepts(browser: &WebDriver, base: &str) {
    browser.go(&format!("{base}/apply"));
    browser.find("form[action='/apply']");
    let (from, until) = (shifted("2026-12-07"), shifted("2026-12-11"));
    browser.script(&format!(
        "document.querySelector('#earliest').value = '{from}'; document.querySelector('#latest').value = '{until}';"
    ));
    browser.type_into("#name", "みどり 花子");
    browser.type_into("#phone", "0277-76-1234");
    browser.click("input[name=consent]");
    let overflow = browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
    assert!(overflow.as_f64().is_some_and(|o| o <= 0.0), "the form is wider than the phone by {overflow} px");
    let hidden =
        browser.script("const r = document.querySelector('#website').getBoundingClientRect(); return r.right <= 0;");
    assert_eq!(hidden, json!(true), "the honeypot field is off screen");
    save_screenshot(browser, "/apply");
    browser.click("main button[type=submit]");
    let answer = browser.text("[data-testid=request-number]");
    let number = answer.split_whitespace().last().unwrap_or_default().to_string();
    assert!(number.starts_with("W-"), "a request number: {answer}");

    browser.go(&format!("{base}/status"));
    browser.type_into("#number", &number);
    browser.type_into("#digits", "1234");
    browser.click("main button[type=submit]");
    let state = browser.text("[data-testid=request-state]");
    assert_eq!(state, "受付中", "the resident sees the application received");

    browser.go(&format!("{base}/login"));
    browser.type_into("#name", "planner");
    browser.type_into("#password", common::PASSWORD);
    browser.click("button[type=submit]");
    browser.find(&format!("[data-application='{number}']"));
    browser.click(&format!("[data-application='{number}'] form[action$='/accept'] button"));
    browser.wait_until_gone(&format!("[data-application='{number}']"));
}

/// Polls `js` (a script returning a value) until it returns `want`, up to 20 s.
fn wait_for_value(browser: &WebDriver, js: &str, want: Value) {
    let started = Instant::now();
    loop {
        let got = browser.script(js);
        if got == want {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{js} gave {got}, not {want}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The crew's entries of a day as the server holds them (through the driver's API).
fn server_entries(port: u16, date: &str) -> Vec<Value> {
    let uri = format!("/api/driver/records?date={date}&unit=gyosei");
    let (status, body) = common::http::request(port, "GET", &uri, Some(DRIVER), None).unwrap();
    assert_eq!(status, 200, "{body}");
    body["entries"].as_array().cloned().unwrap_or_default()
}

/// Reads of the crew's day in the audit log (each page the server renders is one).
fn itinerary_reads(port: u16, date: &str) -> usize {
    let (_, log) = common::http::request(port, "GET", "/api/audit", Some(PLANNER), None).unwrap();
    let target = format!("itinerary/{date}/gyosei");
    log.as_array().unwrap().iter().filter(|e| e["target"] == target.as_str()).count()
}

/// The crew's day without a signal (DevTools' offline network): the page comes from the
/// service worker, taps queue on the phone and say what is unsent, and when the signal
/// returns every entry reaches the server once, also when the phone sends them again.
fn a_crew_records_the_day_without_a_signal(browser: &WebDriver, base: &str, date: &str, port: u16) {
    let page = format!("{base}/driver?date={date}");
    browser.go(&page);
    wait_for_value(browser, "return !!navigator.serviceWorker.controller;", json!(true));
    browser.go(&page); // now through the worker, which keeps the answer
    browser.find("#sync-status");
    let offline = |on: bool| {
        browser.cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": on, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
        );
    };
    offline(true);
    let reads = itinerary_reads(port, date);
    browser.go(&page);
    browser.find(".stop-card");
    assert_eq!(itinerary_reads(port, date), reads, "offline, the day came from the phone, not the server");
    browser.click(".stop-card button[data-now=arrival]");
    browser.click(".stop-card button[data-outcome=no_show]");
    browser.click(".stop-card button[data-now=departure]");
    wait_for_value(browser, "return document.getElementById('sync-status').dataset.unsent;", json!("3"));
    let status = browser.text("#sync-status");
    assert!(status.contains("未送信の記録 3 件") && status.contains("電波がありません"), "{status}");
    assert!(server_entries(port, date).is_empty(), "nothing reached the server offline");
    // Still offline, the page is opened again: the day and the taps are on the phone.
    browser.go(&page);
    browser.find(".stop-card");
    wait_for_value(browser, "return document.getElementById('sync-status').dataset.unsent;", json!("3"));
    let shown = browser.script("return document.querySelector('.stop-card input[data-field=arrival]').value;");
    assert!(shown.as_str().is_some_and(|t| t.len() == 5), "the tapped arrival is shown: {shown}");
    no_overflow(browser, "the crew page with its record buttons");
    save_screenshot(browser, "/driver-offline");

    offline(false);
    browser.click("#sync-now");
    wait_for_value(browser, "return document.getElementById('sync-status').dataset.unsent;", json!("0"));
    assert_eq!(server_entries(port, date).len(), 3, "each entry once");
    // The phone lost the answer and sends the same entries again: still once each.
    browser.script("localStorage.setItem('junkai-crew-queue', localStorage.getItem('junkai-crew-sent')); return 0;");
    browser.click("#sync-now");
    wait_for_value(browser, "return document.getElementById('sync-status').dataset.unsent;", json!("0"));
    let held = server_entries(port, date);
    assert_eq!(held.len(), 3, "sent twice, stored once: {held:?}");
    let fields: Vec<&str> = held.iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["arrival", "outcome", "departure"]);
    // The planners see the no-show, to book again.
    let (_, follow) = common::http::request(port, "GET", "/api/follow-ups", Some(PLANNER), None).unwrap();
    assert_eq!(follow["follow_ups"].as_array().map(Vec::len), Some(1), "{follow}");
    // What the server holds is on the page rendered online.
    browser.go(&page);
    let pressed = browser.count(".stop-card button[data-outcome=no_show][aria-pressed=true]");
    assert_eq!(pressed, 1);

    // Signing out takes the kept pages, the queue and the worker off the phone.
    browser.go(&format!("{base}/logout"));
    browser.submit("main button[type=submit]");
    browser.find("#password");
    let kept = browser.script(
        "return caches.keys().then(k => k.length + localStorage.length)
           .then(n => navigator.serviceWorker.getRegistrations().then(r => n + r.length));",
    );
    assert_eq!(kept, json!(0), "caches, storage and the worker are gone after signing out");
    planner_reads_the_month(browser, base, &date[..7]);
}

/// A planner reads the month's planned against actual on a phone: the crew's no-show is
/// counted, four charts, wholly Japanese, nothing cut off, both CSV files linked.
fn planner_reads_the_month(browser: &WebDriver, base: &str, month: &str) {
    sign_in(browser, base, "planner");
    browser.find("nav");
    browser.go(&format!("{base}/planner/report?month={month}"));
    assert_eq!(browser.count("figure.chart svg"), 4, "four charts drawn by the server");
    let row = browser.script(
        "return [...document.querySelectorAll('main tbody tr')].find(r => r.cells[0].textContent === '不在').cells[2].textContent;",
    );
    assert_eq!(row, json!("1"), "the crew's no-show");
    let text = browser.script(
        "const b = document.body.cloneNode(true); b.querySelectorAll('[lang=en]').forEach(e => e.remove());
         return b.textContent;",
    );
    let english = common::wording::english_in_japanese(text.as_str().unwrap_or_default());
    assert!(english.is_empty(), "English {english:?} on the report");
    assert_eq!(browser.count("a[href^='/planner/report.csv']") + browser.count("a[href^='/planner/open-data.csv']"), 2);
    no_overflow(browser, "/planner/report");
    save_screenshot(browser, "/planner-report");
}

/// Nothing sticks out to the right of the window.
fn no_overflow(browser: &WebDriver, what: &str) {
    let overflow = browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
    assert!(overflow.as_f64().is_some_and(|o| o <= 0.0), "{what} is wider than the window by {overflow} px");
}

/// The doctor 木村 signs in on a phone: `/remote` lists their sessions (time, hall, R2's
/// resident and no one else's), in Japanese only, nothing cut off, with the calendar file;
/// then on a desktop as a table. The medical unit's crew sees, on that day, whom to call.
fn a_doctor_and_the_crew_see_the_video_calls(browser: &WebDriver, base: &str) {
    sign_in(browser, base, "kimura");
    browser.go(&format!("{base}/remote"));
    let card = browser.text(".cards-only .card");
    let time = card.split_whitespace().next().unwrap_or_default();
    assert!(time.chars().count() == 11 && time.contains('–'), "a session's time: {card}");
    assert!(card.contains("小中集会所") || card.contains("自宅"), "and its place: {card}");
    let main = browser.text("main");
    assert!(main.contains("小中集会所") && main.contains(R2_NAME), "R2's session with its resident: {main}");
    assert!(!main.contains("試験 花子"), "no resident of another service: {main}");
    assert_eq!(browser.script("return document.documentElement.lang;"), json!("ja"));
    // Every word is Japanese but the switch to English (marked lang="en").
    let text = browser.script(
        "const b = document.body.cloneNode(true); b.querySelectorAll('[lang=en]').forEach(e => e.remove());
         return b.textContent;",
    );
    let english = common::wording::english_in_japanese(text.as_str().unwrap_or_default());
    assert!(english.is_empty(), "English {english:?} on the doctor's page");
    assert_eq!(browser.count("a[href='/api/remote/calendar.ics']"), 1, "the calendar file");
    no_overflow(browser, "/remote");
    save_screenshot(browser, "/remote");
    let date = browser.text("main h2").split_whitespace().next().unwrap_or_default().to_string();

    browser.call("POST", "/window/rect", Some(json!({ "width": 1280, "height": 900 })));
    browser.go(&format!("{base}/remote"));
    let row = browser.text(".wide-only table tbody tr");
    assert!(row.contains(time), "the table shows the session at {time}: {row}");
    no_overflow(browser, "/remote on a desktop");
    browser.call("POST", "/window/rect", Some(json!({ "width": 390, "height": 844 })));

    sign_in(browser, base, "iryo");
    browser.go(&format!("{base}/driver?date={date}"));
    let line = browser.text(".stop-card .session");
    assert!(line.starts_with(&format!("オンライン {time} 木村（木村内科） 0277-00-1234")), "whom to call: {line}");
    assert!(browser.count(".stop-card .session a[href='tel:0277001234']") >= 1, "the doctor is called with a tap");
    no_overflow(browser, "the medical unit's day");
    save_screenshot(browser, "/driver-iryo");
}

/// Keeps a screenshot for people to look at when `JUNKAI_SCREENSHOTS` names a folder.
fn save_screenshot(browser: &WebDriver, path: &str) {
    let Ok(folder) = std::env::var("JUNKAI_SCREENSHOTS") else { return };
    let png = browser.call("GET", "/screenshot", None);
    let name: String = path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap_or_default()).unwrap();
    std::fs::write(Path::new(&folder).join(format!("screen{name}.png")), bytes).unwrap();
}
