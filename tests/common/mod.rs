//! Shared by the end-to-end tests: the date every test runs at, and the tiny fixture moved
//! to that date, so that no test depends on the real clock.
//!
//! The date is `JUNKAI_TEST_TODAY` (YYYY-MM-DD), else 2026-12-01. `scripts/test` runs the
//! date-dependent tests a second time a year later (2027-11-30, 52 weeks on, the same
//! weekday). The fixture's dates are written for 2026-12-01 and move by whole weeks, so its
//! weekdays stay the same; a date whose fixture week holds a national holiday would change
//! the plan, which is why the second date is in the same season.
#![allow(dead_code)]

pub mod http;
pub mod staff;
pub mod wording;

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};

/// The date the fixture's dates are written for.
const FIXTURE_TODAY: &str = "2026-12-01";

/// The pinned "today" of the tests.
pub fn today() -> NaiveDate {
    let text = std::env::var("JUNKAI_TEST_TODAY").unwrap_or_else(|_| FIXTURE_TODAY.to_string());
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .unwrap_or_else(|_| panic!("JUNKAI_TEST_TODAY=`{text}` is not a YYYY-MM-DD date"))
}

/// Days the fixture moves: whole weeks from its own date to the pinned date.
fn shift_days() -> i64 {
    let base = NaiveDate::parse_from_str(FIXTURE_TODAY, "%Y-%m-%d").expect("a date");
    (today() - base).num_days().div_euclid(7) * 7
}

/// A fixture date (as written in the file, `YYYY-MM-DD`) moved to the pinned date.
pub fn shifted(date: &str) -> String {
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap_or_else(|_| panic!("`{date}` is not a date"));
    (d + Duration::days(shift_days())).to_string()
}

/// Every `YYYY-MM-DD` in `text`, moved with [`shifted`].
pub fn shift_dates(text: &str) -> String {
    let bytes = text.as_bytes();
    let is_date = |i: usize| {
        i + 10 <= bytes.len()
            && bytes[i..i + 10]
                .iter()
                .enumerate()
                .all(|(k, b)| if k == 4 || k == 7 { *b == b'-' } else { b.is_ascii_digit() })
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if is_date(i) && NaiveDate::parse_from_str(&text[i..i + 10], "%Y-%m-%d").is_ok() {
            out.push_str(&shifted(&text[i..i + 10]));
            i += 10;
        } else {
            let c = text[i..].chars().next().expect("inside the text");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The tiny fixture with its dates moved to the pinned date, written into `dir`.
pub fn tiny_fixture(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(repo("data/fixtures/tiny/problem.json")).expect("the tiny fixture");
    let path = dir.join("tiny-problem.json");
    std::fs::write(&path, shift_dates(&text)).expect("write the moved fixture");
    path
}

/// The tiny fixture as a data folder with Midori's boundary (for pages that draw it).
pub fn tiny_folder(dir: &Path) -> PathBuf {
    let folder = dir.join("tiny");
    std::fs::create_dir_all(&folder).expect("make the data folder");
    std::fs::rename(tiny_fixture(dir), folder.join("problem.json")).expect("move the fixture in");
    std::fs::copy(repo("data/midori/boundary.geojson"), folder.join("boundary.geojson")).expect("copy the boundary");
    folder
}

/// The `junkai` binary with "today" pinned (JUNKAI_TODAY) to the tests' date, so that
/// defaults such as "next week" never depend on the real date.
pub fn junkai() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_junkai"));
    command.env("JUNKAI_TODAY", today().to_string());
    command
}

/// The server's clock, pinned to 09:00 JST on the pinned date.
pub fn clock() -> junkai::clock::Clock {
    junkai::clock::Clock::pinned_on(today())
}

/// Password of every account the tests create.
pub const PASSWORD: &str = "test-password-for-staff-2026";

/// Creates a staff account (password [`PASSWORD`]) with a known API token.
pub async fn add_staff(
    state: &junkai::server::AppState,
    name: &str,
    role: junkai::server::store::Role,
    unit: Option<&str>,
    token: &str,
) {
    let store = &state.store;
    let id = store.add_user(name, role, unit, PASSWORD, "test").await.unwrap().expect("a new account");
    sqlx::query("INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES (?, 'test', ?, '2026-12-01T09:00:00+09:00')")
        .bind(id)
        .bind(junkai::server::store::secret_hash(token))
        .execute(&store.pool)
        .await
        .unwrap();
}

/// `(UID, SEQUENCE, STATUS)` of every event of an iCalendar text (parsed with `ical`).
#[allow(dead_code)]
pub fn calendar_events(ics: &str) -> Vec<(String, u32, String)> {
    let cal = ical::IcalParser::new(ics.as_bytes()).next().expect("a calendar").expect("the .ics parses");
    cal.events
        .iter()
        .map(|e| {
            let prop = |name: &str| e.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone());
            let sequence = prop("SEQUENCE").and_then(|s| s.parse().ok()).expect("every event has a SEQUENCE");
            (prop("UID").expect("a UID"), sequence, prop("STATUS").unwrap_or_default())
        })
        .collect()
}
