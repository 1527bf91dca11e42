//! Months of operation, simulated (issue 29): seeded random sequences drive the service in
//! process — plan and publish a week while another runs, days pass, units out of service,
//! halls closed, phone requests, online applications accepted by a planner, cancellations,
//! re-plans (keeping windows or in full), rollbacks, deletions — and after every step the pages, calendar files and itineraries
//! are checked against the simulator's own record of what has been announced:
//!
//! - every visit announced for today or later appears identically on its hall's visit
//!   list and calendar file, and in the crew's itinerary (today's never disappears);
//! - no notice on a hall page names a change that did not happen, and every visit once
//!   announced for today or later that is no longer announced has a notice;
//! - a resident's status check agrees with the announced visit of their booking, and no
//!   booking is announced on two visits;
//! - a unit with announced days ahead is never deleted;
//! - a re-plan keeping windows moves no announced visit that no event (its unit out of
//!   service or its hall closed that day) made impossible.
//!
//! The record is independent of the service's seam: it keeps every publication (the
//! plan's days as the draft showed them, and the day it was made) and applies the rule
//! "a date reads from the latest publication covering it, from its day on" itself.
//! Each sequence runs eight weeks of the clock. `JUNKAI_SIM_SEQUENCES` sets how many run
//! (default 100, two at a time: a few minutes on two cores); seeds that once failed are
//! kept in [`REGRESSIONS`] and always run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use axum::Router;
use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate};
use junkai::server::store::Role;
use junkai::server::{AppState, ServeConfig, router};
use serde_json::{Value, json};

mod common;
use common::staff::{self, send};

const PLANNER: &str = "planner-token-for-simulator-1";
const DRIVERS: [(&str, &str); 2] =
    [("gyosei", "driver-token-for-simulator-g1"), ("iryo", "driver-token-for-simulator-i1")];
const STOPS: [&str; 4] = ["konaka", "zama", "godo", "nagaone"];
/// Days of the clock one sequence covers (eight weeks), and a bound on its steps.
const DAYS: i64 = 56;
const MAX_STEPS: usize = 150;
/// Seeds that once found a fault, run first every time.
const REGRESSIONS: [u64; 0] = [];

/// splitmix64: a small deterministic generator for the sequences.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A visit as announced: (stop, date, from, to, unit name, unit id, requests).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Visit {
    stop: Option<String>,
    date: NaiveDate,
    from: String,
    to: String,
    unit: String,
    unit_id: String,
    requests: Vec<String>,
}

/// One publication as the simulator recorded it.
struct Publication {
    plan: i64,
    start: NaiveDate,
    end: NaiveDate,
    on: NaiveDate,
    visits: Vec<Visit>,
}

/// The simulator's own record.
#[derive(Default)]
struct Record {
    /// Oldest first.
    publications: Vec<Publication>,
    /// Plans made: id → (first Monday, weeks, visits).
    plans: BTreeMap<i64, (NaiveDate, i64, Vec<Visit>)>,
    /// Every visit ever announced.
    ever: BTreeSet<Visit>,
    requests: usize,
    /// Events so far: (unit, date) out of service, (stop, date) closed.
    out_of_service: BTreeSet<(String, NaiveDate)>,
    closed: BTreeSet<(String, NaiveDate)>,
}

impl Record {
    fn source(&self, date: NaiveDate) -> Option<&Publication> {
        self.publications.iter().rev().find(|p| p.start <= date && date < p.end && date >= p.on)
    }

    /// Every visit announced for `from` or later.
    fn announced_from(&self, from: NaiveDate) -> Vec<Visit> {
        let mut out: Vec<Visit> = Vec::new();
        let dates: BTreeSet<NaiveDate> =
            self.publications.iter().flat_map(|p| p.visits.iter().map(|v| v.date)).filter(|d| *d >= from).collect();
        for date in dates {
            if let Some(p) = self.source(date) {
                out.extend(p.visits.iter().filter(|v| v.date == date).cloned());
            }
        }
        out
    }
}

struct Sim {
    state: AppState,
    app: Router,
    seed: u64,
    rng: Rng,
    record: Record,
    log: Vec<String>,
}

fn visits_of(plan: &Value) -> Vec<Visit> {
    let mut out = Vec::new();
    for day in plan["days"].as_array().cloned().unwrap_or_default() {
        let date: NaiveDate = day["date"].as_str().unwrap().parse().unwrap();
        for route in day["routes"].as_array().unwrap() {
            for v in route["visits"].as_array().unwrap() {
                out.push(Visit {
                    stop: v["stop_id"].as_str().map(str::to_string),
                    date,
                    from: v["published"][0].as_str().unwrap().to_string(),
                    to: v["published"][1].as_str().unwrap().to_string(),
                    unit: route["vehicle_name"].as_str().unwrap().to_string(),
                    unit_id: route["vehicle_id"].as_str().unwrap().to_string(),
                    requests: v["requests"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r["id"].as_str().unwrap().to_string())
                        .collect(),
                });
            }
        }
    }
    out
}

/// `(date, time)` pairs named in a notice (「12月10日（木） 10:00〜10:45」), years placed
/// near `today`.
fn named_visits(text: &str, today: NaiveDate) -> Vec<(NaiveDate, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('月') {
        let month: String =
            rest[..at].chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
        let after = &rest[at + '月'.len_utf8()..];
        let day: String = after.chars().take_while(char::is_ascii_digit).collect();
        let time_at = after.find('）').map(|i| i + '）'.len_utf8());
        rest = after;
        let (Ok(m), Ok(d), Some(t)) = (month.parse::<u32>(), day.parse::<u32>(), time_at) else { continue };
        let from: String = after[t..].trim_start().chars().take(5).collect();
        let date = [today.year() - 1, today.year(), today.year() + 1]
            .into_iter()
            .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
            .min_by_key(|x| (*x - today).num_days().abs());
        if let Some(date) = date {
            out.push((date, from));
        }
    }
    out
}

/// `(start date-time text, status)` of every event of a calendar file.
fn calendar_starts(ics: &str) -> Vec<(String, String)> {
    let cal = ical::IcalParser::new(ics.as_bytes()).next().expect("a calendar").expect("the .ics parses");
    cal.events
        .iter()
        .map(|e| {
            let prop = |name: &str| e.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone());
            (prop("DTSTART").unwrap_or_default(), prop("STATUS").unwrap_or_default())
        })
        .collect()
}

impl Sim {
    async fn new(dir: &Path, seed: u64) -> Sim {
        let config = ServeConfig {
            db: dir.join("junkai.sqlite"),
            data: Some(common::tiny_folder(dir)),
            clock: common::clock(),
            ..ServeConfig::default()
        };
        let state = AppState::open(config).await.unwrap();
        common::add_staff(&state, "planner", Role::Planner, None, PLANNER).await;
        for (unit, token) in DRIVERS {
            common::add_staff(&state, &format!("driver-{unit}"), Role::Driver, Some(unit), token).await;
        }
        let app = router(state.clone());
        Sim { state, app, seed, rng: Rng(seed), record: Record::default(), log: Vec::new() }
    }

    /// Notes a step (printed at once, with the sequence's seed: the harness shows it when
    /// the sequence fails).
    fn say(&mut self, line: String) {
        println!("  [{}] {line}", self.seed);
        self.log.push(line);
    }

    fn today(&self) -> NaiveDate {
        self.state.config.clock.today()
    }

    async fn api(&self, token: &str, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        let (status, text) = staff::bearer(&self.app, method, uri, token, body).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Waits for a solve; its plan document, or `None` when it failed.
    async fn finished(&mut self, id: i64) -> Option<Value> {
        for _ in 0..2400 {
            let (_, plan) = self.api(PLANNER, "GET", &format!("/api/plans/{id}"), None).await;
            match plan["status"].as_str() {
                Some("draft") => {
                    let (_, doc) = self.api(PLANNER, "GET", &format!("/api/plans/{id}/plan.json"), None).await;
                    let monday: NaiveDate = doc["first_monday"].as_str().unwrap().parse().unwrap();
                    self.record.plans.insert(id, (monday, doc["weeks"].as_i64().unwrap(), visits_of(&doc)));
                    return Some(doc);
                }
                Some("failed") => return None,
                _ => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
        panic!("plan {id} did not finish")
    }

    /// Publishes plan `id` and records it (refused when its last day has passed).
    async fn publish(&mut self, id: i64) {
        let (monday, weeks, visits) = self.record.plans[&id].clone();
        let end = monday + Duration::days(7 * weeks);
        let (status, answer) = self.api(PLANNER, "POST", &format!("/api/plans/{id}/publish"), Some(json!({}))).await;
        if end - Duration::days(1) < self.today() {
            assert_eq!(status, StatusCode::CONFLICT, "a plan of the past is refused: {answer}");
            return;
        }
        if self.record.publications.last().is_some_and(|p| p.plan == id) {
            assert_eq!(status, StatusCode::CONFLICT, "the plan published last is not published again: {answer}");
            return;
        }
        // A plan that books a request an announced visit of other dates serves is refused.
        let today = self.today();
        let start = monday.max(today);
        let elsewhere: BTreeSet<String> = self
            .record
            .announced_from(today - Duration::days(90))
            .into_iter()
            .filter(|v| v.date < start || v.date >= end)
            .flat_map(|v| v.requests)
            .collect();
        let twice = visits
            .iter()
            .filter(|v| v.date >= start && v.date < end)
            .flat_map(|v| &v.requests)
            .any(|r| elsewhere.contains(r));
        if twice {
            assert_eq!((status, answer["code"].as_str()), (StatusCode::CONFLICT, Some("A4092")), "{answer}");
            return;
        }
        assert_eq!(status, StatusCode::OK, "publish {id}: {answer}");
        let on = self.today();
        self.record.ever.extend(visits.iter().filter(|v| v.date >= on && v.date < end).cloned());
        self.record.publications.push(Publication { plan: id, start: monday, end, on, visits });
    }

    fn monday_of(&self, weeks_ahead: i64) -> NaiveDate {
        let t = self.today();
        t - Duration::days(i64::from(t.weekday().num_days_from_monday())) + Duration::days(7 * weeks_ahead)
    }

    async fn step(&mut self) {
        let today = self.today();
        match self.rng.below(12) {
            0..=2 => {
                let ahead = self.rng.below(3) as i64;
                let monday = self.monday_of(ahead);
                let weeks = 1 + self.rng.below(2);
                self.say(format!("{today}: plan {monday} ×{weeks}, publish"));
                let (status, started) =
                    self.api(PLANNER, "POST", "/api/plans", Some(json!({ "week": monday, "weeks": weeks }))).await;
                assert_eq!(status, StatusCode::ACCEPTED, "{started}");
                let id = started["id"].as_i64().unwrap();
                if self.finished(id).await.is_some() {
                    self.publish(id).await;
                }
            }
            3 | 4 => {
                let days = 1 + self.rng.below(3) as i64;
                self.say(format!("{today}: {days} days pass"));
                self.state.config.clock.advance(Duration::days(days));
            }
            5 => {
                let (unit, _) = DRIVERS[self.rng.below(2) as usize];
                let date = today + Duration::days(self.rng.below(14) as i64);
                self.say(format!("{today}: {unit} out of service {date}"));
                self.record.out_of_service.insert((unit.to_string(), date));
                let (_, mut body) = self.api(PLANNER, "GET", &format!("/api/units/{unit}"), None).await;
                let list = body.as_object_mut().unwrap().entry("out_of_service").or_insert(json!([]));
                list.as_array_mut().unwrap().push(json!({ "from": date, "reason": "故障" }));
                let (status, answer) = self.api(PLANNER, "PUT", &format!("/api/units/{unit}"), Some(body)).await;
                assert!(status.is_success(), "{answer}");
            }
            6 => {
                let stop = STOPS[self.rng.below(4) as usize];
                let date = today + Duration::days(self.rng.below(14) as i64);
                self.say(format!("{today}: {stop} closed {date}"));
                self.record.closed.insert((stop.to_string(), date));
                let (_, mut body) = self.api(PLANNER, "GET", &format!("/api/stops/{stop}"), None).await;
                let list = body.as_object_mut().unwrap().entry("closed").or_insert(json!([]));
                list.as_array_mut().unwrap().push(json!({ "from": date, "reason": "行事" }));
                let (status, answer) = self.api(PLANNER, "PUT", &format!("/api/stops/{stop}"), Some(body)).await;
                assert!(status.is_success(), "{answer}");
            }
            7 => {
                self.record.requests += 1;
                let n = self.record.requests;
                let stop = ["konaka", "zama", "nagaone"][self.rng.below(3) as usize];
                let earliest = today + Duration::days(self.rng.below(10) as i64);
                let body = json!({ "id": format!("S{n}"), "kind": "admin", "stop": stop, "earliest": earliest,
                    "latest": earliest + Duration::days(6), "resident": { "name": "模擬 太郎", "phone": format!("000-0000-{n:04}") } });
                self.say(format!("{today}: request S{n} at {stop} from {earliest}"));
                let (status, answer) = self.api(PLANNER, "POST", "/api/requests", Some(body)).await;
                assert_eq!(status, StatusCode::CREATED, "{answer}");
            }
            10 => {
                let n = 1 + self.rng.below(self.record.requests.max(1) as u64);
                self.say(format!("{today}: request S{n} cancelled"));
                let (status, answer) = self.api(PLANNER, "DELETE", &format!("/api/requests/S{n}"), None).await;
                assert!([StatusCode::NO_CONTENT, StatusCode::NOT_FOUND].contains(&status), "{answer}");
            }
            11 => self.online_application().await,
            8 => {
                let Some(monday) = self.record.publications.last().map(|p| p.start.max(self.monday_of(0))) else {
                    return;
                };
                let full = self.rng.below(3) == 0;
                self.say(format!("{today}: re-plan {monday} (full: {full}), publish"));
                let (status, started) =
                    self.api(PLANNER, "POST", "/api/replan", Some(json!({ "week": monday, "full": full }))).await;
                if status == StatusCode::CONFLICT {
                    return;
                }
                assert_eq!(status, StatusCode::ACCEPTED, "{started}");
                let id = started["id"].as_i64().unwrap();
                if self.finished(id).await.is_some() {
                    if !full {
                        self.check_minimal_change(id).await;
                    }
                    self.publish(id).await;
                }
            }
            _ => {
                let published: Vec<i64> = self.record.publications.iter().map(|p| p.plan).collect();
                if published.len() < 2 {
                    return;
                }
                let id = published[self.rng.below(published.len() as u64) as usize];
                self.say(format!("{today}: publish plan {id} again"));
                self.publish(id).await;
                // A unit with announced days ahead is never deleted.
                let (unit, _) = DRIVERS[self.rng.below(2) as usize];
                if self.record.announced_from(today).iter().any(|v| v.unit_id == unit) {
                    let (status, _) = self.api(PLANNER, "DELETE", &format!("/api/units/{unit}"), None).await;
                    assert_eq!(status, StatusCode::CONFLICT, "{unit} has announced days ahead");
                }
            }
        }
    }

    /// A resident applies online for a hall in the next fortnight and a planner accepts it
    /// from the queue on the planner page.
    async fn online_application(&mut self) {
        let today = self.today();
        let stop = ["konaka", "zama", "nagaone"][self.rng.below(3) as usize];
        let earliest = today + Duration::days(1 + self.rng.below(10) as i64);
        let form = serde_urlencoded::to_string([
            ("stop", stop),
            ("kind", "admin"),
            ("earliest", &earliest.to_string()),
            ("latest", &(earliest + Duration::days(6)).to_string()),
            ("name", "申込 花子"),
            ("phone", "0277-76-1234"),
            ("consent", "yes"),
            ("website", ""),
        ])
        .unwrap();
        let answer = send(&self.app, "POST", "/apply", None, Some(&form)).await;
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            // Applications from one address pause after a burst (real time, not the
            // simulated clock): the resident is asked to phone instead.
            assert!(answer.text.contains("お電話ください"), "{}", answer.text);
            self.say(format!("{today}: online application paused (too many in a row)"));
            return;
        }
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        let at = answer.text.find("W-").expect("a request number");
        let number = answer.text[at..at + 11].to_string();
        self.say(format!("{today}: online application {number} at {stop} from {earliest}, accepted"));
        // Signed in afresh: days pass between applications, sessions do not last.
        let planner = staff::sign_in(&self.app, "planner", common::PASSWORD).await;
        let accepted = planner.post(&self.app, &format!("/planner/applications/{number}/accept"), "").await;
        assert!(accepted.status.is_redirection(), "{} {}", accepted.status, accepted.text);
        let (status, request) = self.api(PLANNER, "GET", &format!("/api/requests/{number}"), None).await;
        assert_eq!(
            (status, request["channel"].as_str()),
            (StatusCode::OK, Some("online")),
            "{number} is a request now"
        );
    }

    /// A re-plan (keeping windows) keeps every visit announced for its dates from today on
    /// — date, unit and window — unless a recorded event made it impossible: its unit out
    /// of service or its hall closed that day; the review before publishing names that
    /// event as the cause of each visit it moves or drops.
    async fn check_minimal_change(&self, id: i64) {
        let today = self.today();
        let (monday, weeks, draft) = &self.record.plans[&id];
        let end = *monday + Duration::days(7 * weeks);
        let same = |a: &Visit, b: &Visit| {
            (&a.stop, a.date, &a.from, &a.to, &a.unit_id) == (&b.stop, b.date, &b.from, &b.to, &b.unit_id)
        };
        for v in self.record.announced_from(today.max(*monday)).iter().filter(|v| v.date < end) {
            let kept = draft.iter().any(|d| same(d, v));
            let unit_out = self.record.out_of_service.contains(&(v.unit_id.clone(), v.date));
            let hall_closed = v.stop.as_ref().is_some_and(|s| self.record.closed.contains(&(s.clone(), v.date)));
            assert!(kept || unit_out || hall_closed, "re-plan {id} on {today} moved {v:?}, which no event touched");
        }
        let (_, review) = self.api(PLANNER, "GET", &format!("/api/plans/{id}/review"), None).await;
        for c in review["changes"].as_array().unwrap() {
            let cause = c["cause"].as_str().unwrap();
            assert!(["unit_not_working", "place_closed"].contains(&cause), "re-plan {id} on {today}: {c}");
        }
    }

    /// Checks every invariant against the record.
    async fn check(&self) {
        let today = self.today();
        let announced = self.record.announced_from(today);
        // Announced now, the last four weeks included (a visit may have moved to a day that
        // has passed since).
        let now: BTreeSet<(Option<String>, NaiveDate, String, String)> = self
            .record
            .announced_from(today - Duration::days(28))
            .iter()
            .map(|v| (v.stop.clone(), v.date, v.from.clone(), v.to.clone()))
            .collect();
        for stop in STOPS {
            let expected: Vec<(String, String, String, String)> = announced
                .iter()
                .filter(|v| v.stop.as_deref() == Some(stop))
                .map(|v| (v.date.to_string(), v.from.clone(), v.to.clone(), v.unit.clone()))
                .collect();
            let (_, list) =
                self.api(PLANNER, "GET", &format!("/api/public/stops/{stop}/visits?from={today}"), None).await;
            let mut shown: Vec<(String, String, String, String)> = list["visits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    let text = |k: &str| v[k].as_str().unwrap().to_string();
                    (text("date"), text("from"), text("to"), text("unit_name"))
                })
                .collect();
            let mut expected_sorted = expected.clone();
            expected_sorted.sort();
            shown.sort();
            assert_eq!(shown, expected_sorted, "visits of {stop} on {today}");
            // The calendar file: an event for each announced visit, none for another.
            let ics = send(&self.app, "GET", &format!("/api/public/stops/{stop}/calendar.ics"), None, None).await;
            let mut confirmed: Vec<String> = calendar_starts(&ics.text)
                .into_iter()
                .filter(|(start, status)| {
                    status != "CANCELLED"
                        && start.get(..8).is_some_and(|d| d >= today.format("%Y%m%d").to_string().as_str())
                })
                .map(|(start, _)| start)
                .collect();
            confirmed.sort();
            let mut wanted: Vec<String> = expected
                .iter()
                .map(|(d, from, _, _)| format!("{}T{}00", d.replace('-', ""), from.replace(':', "")))
                .collect();
            wanted.sort();
            assert_eq!(confirmed, wanted, "calendar of {stop} on {today}");
            // Notices: each names a visit that is not announced now (and, for a move, one
            // that is), and each visit no longer announced has one.
            let page = send(&self.app, "GET", &format!("/stops/{stop}"), None, None).await;
            let notices: Vec<&str> = page
                .text
                .split("data-testid=\"change-notice\">")
                .skip(1)
                .map(|n| n.split('<').next().unwrap_or_default())
                .collect();
            let at_stop = |date: NaiveDate, from: &str| {
                now.iter().any(|(s, d, f, _)| s.as_deref() == Some(stop) && *d == date && f == from)
            };
            for notice in &notices {
                let named = named_visits(notice, today);
                assert!(!named.is_empty(), "a notice names its visit: {notice}");
                let (date, from) = &named[0];
                if *date >= today && named.len() == 1 {
                    assert!(!at_stop(*date, from), "a cancellation notice for an announced visit on {today}: {notice}");
                }
                if let Some((to_date, to_from)) = named.get(1) {
                    assert!(at_stop(*to_date, to_from), "a move to a visit not announced, on {today}: {notice}");
                }
            }
            for gone in self.record.ever.iter().filter(|v| v.stop.as_deref() == Some(stop) && v.date >= today) {
                let still = announced.iter().any(|v| v == gone)
                    || announced.iter().any(|v| {
                        v.stop == gone.stop
                            && v.date == gone.date
                            && v.from == gone.from
                            && v.to == gone.to
                            && v.unit == gone.unit
                    });
                if still {
                    continue;
                }
                let told =
                    notices.iter().any(|n| named_visits(n, today).first() == Some(&(gone.date, gone.from.clone())));
                assert!(
                    told,
                    "{gone:?} was announced and is gone without a notice on {today}:\n{}",
                    notices.join("\n")
                );
            }
        }
        // The crews' days, the last fortnight's included (a publication never changes the
        // days before it was made).
        let recent = self.record.announced_from(today - Duration::days(14));
        for (unit, token) in DRIVERS {
            let expected: BTreeSet<NaiveDate> = recent.iter().filter(|v| v.unit_id == unit).map(|v| v.date).collect();
            let (_, days) = self.api(token, "GET", "/api/driver/days", None).await;
            let shown: BTreeSet<NaiveDate> =
                days["dates"].as_array().unwrap().iter().filter_map(|d| d.as_str()?.parse().ok()).collect();
            assert_eq!(shown, expected, "{unit}'s days on {today}");
            // Each day's stops as the crew was told (today's among them: it never disappears).
            for date in &expected {
                let (status, day) = self.api(token, "GET", &format!("/api/driver/itinerary?date={date}"), None).await;
                assert_eq!(status, StatusCode::OK, "the itinerary of {unit} on {date}, seen {today}");
                let window = |s: &Value| {
                    (s["published"][0].as_str().unwrap().to_string(), s["published"][1].as_str().unwrap().to_string())
                };
                let stops: Vec<(String, String)> = day["stops"].as_array().unwrap().iter().map(window).collect();
                let wanted: Vec<(String, String)> = recent
                    .iter()
                    .filter(|v| v.unit_id == unit && v.date == *date)
                    .map(|v| (v.from.clone(), v.to.clone()))
                    .collect();
                assert_eq!(stops, wanted, "the stops of {unit} on {date}, seen {today}");
            }
        }
        // No request is booked on two announced visits.
        let mut booked: BTreeMap<&str, NaiveDate> = BTreeMap::new();
        for v in &recent {
            for r in &v.requests {
                if let Some(other) = booked.insert(r, v.date) {
                    panic!("{r} is announced on {other} and on {} (seen {today})", v.date);
                }
            }
        }
        // The resident of R1 is told what is announced.
        let booked = announced.iter().find(|v| v.requests.iter().any(|r| r == "R1"));
        let status = send(&self.app, "POST", "/status", None, Some("number=R1&digits=0001")).await;
        if let Some(v) = booked {
            assert!(status.text.contains("予定あり"), "R1 is booked on {}: {}", v.date, status.text);
            let day = format!("{}月{}日", v.date.month(), v.date.day());
            assert!(status.text.contains(&day) && status.text.contains(&v.from), "R1's visit on {today}");
        }
    }
}

/// One sequence; its steps are printed (the test harness shows them when it fails).
async fn run(seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let mut sim = Sim::new(dir.path(), seed).await;
    println!("seed {seed}");
    let end = sim.today() + Duration::days(DAYS);
    for _ in 0..MAX_STEPS {
        if sim.today() >= end {
            break;
        }
        sim.step().await;
        sim.check().await;
    }
}

/// Sequences run side by side (each with its own service and database), one per core.
const AT_ONCE: usize = 2;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn months_of_operation_keep_what_was_announced() {
    let count: u64 = std::env::var("JUNKAI_SIM_SEQUENCES").ok().and_then(|n| n.parse().ok()).unwrap_or(100);
    let seeds: Vec<u64> = REGRESSIONS.into_iter().chain(1..=count).collect();
    for batch in seeds.chunks(AT_ONCE) {
        let running: Vec<(u64, tokio::task::JoinHandle<()>)> =
            batch.iter().map(|&seed| (seed, tokio::spawn(run(seed)))).collect();
        for (seed, sequence) in running {
            if let Err(failed) = sequence.await {
                let why = failed.try_into_panic().ok();
                let text = why.as_ref().and_then(|p| p.downcast_ref::<String>().cloned()).unwrap_or_default();
                panic!("sequence {seed} failed (its steps are printed above, marked [{seed}]): {text}");
            }
        }
    }
}
