//! The planner's form for a hall's opening hours and visit rule: one line of windows per
//! weekday (`09:30-11:30, 13:30-15:30`; empty = closed that day) and the rule's numbers.
//! It edits the stop's `windows` and `visit_rule` (docs/format.md) through the validated
//! write, so a wrong time comes back with its coded problem.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use junkai_solver::model::Weekday;
use maud::html;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::account::staff_page;
use super::layout::{csrf_input, t};
use super::planner_forms::{field, refused_write};
use crate::io::json_reader::Reader;
use crate::io::problem_file::StopEntry;
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::write;
use crate::server::store::Entity;

const ENGLISH_DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The stored stop, or 404.
async fn stored_stop(s: &AppState, id: &str) -> Result<StopEntry, ApiError> {
    s.store.stop(id).await?.ok_or_else(|| ApiError::not_found("訪問先", "stop"))
}

/// Each weekday's windows as a line of text, `09:30-11:30, 13:30-15:30` (the groups
/// `weekdays`, `daily` resolved by the reader).
fn window_lines(stop: &StopEntry) -> [String; 7] {
    let windows = json!(stop.windows);
    let windows = Reader::default().windows_by_weekday(&windows, "windows").unwrap_or_default();
    windows.map(|day| day.iter().map(|w| format!("{}-{}", w.start, w.end)).collect::<Vec<_>>().join(", "))
}

/// A line of windows as the format's `[["HH:MM", "HH:MM"], …]`; a piece without a dash is
/// kept as it is, for the validated write to name.
fn parse_line(line: &str) -> Value {
    let pieces = line.split([',', '、', '，']).map(str::trim).filter(|p| !p.is_empty());
    Value::Array(
        pieces
            .map(|p| match p.split_once(['-', '〜', '～', '–', '−']) {
                Some((a, b)) => json!([a.trim(), b.trim()]),
                None => json!([p]),
            })
            .collect(),
    )
}

pub async fn edit_page(
    Planner(caller): Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let stop = stored_stop(&s, &id).await?;
    let lines = window_lines(&stop);
    let rule = stop.visit_rule.clone().unwrap_or_default();
    let name = stop.name.clone();
    let body = html! {
        form method="post" action={ "/planner/stops/" (id) } {
            (csrf_input(caller.csrf()))
            h2 { (t(lang, "開所時間（曜日ごと、空欄は休み）", "Opening hours (per weekday; empty: closed)")) }
            @for day in Weekday::ALL {
                (field(lang, &format!("w-{}", day.key()), day.japanese(), ENGLISH_DAYS[day.index()], html! {
                    input id={ "w-" (day.key()) } name=(day.key()) value=(lines[day.index()]) placeholder="09:30-11:30, 13:30-15:30"; }))
            }
            h2 { (t(lang, "訪問の規則（1週あたり）", "Visit rule (per week)")) }
            (field(lang, "min", "最低回数（目標）", "Minimum (a target)", html! {
                input id="min" name="min_per_week" type="number" min="0" max="7" value=(rule.min_per_week.unwrap_or(0)); }))
            (field(lang, "max", "最多回数", "Maximum", html! {
                input id="max" name="max_per_week" type="number" min="0" max="7" value=(rule.max_per_week.unwrap_or(5)); }))
            (field(lang, "gap", "訪問の間隔（日）", "Days between visits", html! {
                input id="gap" name="min_gap_days" type="number" min="0" max="6" value=(rule.min_gap_days.unwrap_or(1)); }))
            p { button type="submit" { (t(lang, "保存", "Save")) } }
        }
    };
    Ok(staff_page(lang, &caller, &name, "/planner", body))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StopForm {
    mon: String,
    tue: String,
    wed: String,
    thu: String,
    fri: String,
    sat: String,
    sun: String,
    min_per_week: String,
    max_per_week: String,
    min_gap_days: String,
}

impl StopForm {
    fn lines(&self) -> [&str; 7] {
        [&self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun].map(String::as_str)
    }
}

/// A number field as JSON: the number, or the text as typed for the write to refuse.
fn number_value(text: &str) -> Value {
    text.trim().parse::<u64>().map_or_else(|_| json!(text.trim()), |n| json!(n))
}

pub async fn save(
    planner: Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<StopForm>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let stored = stored_stop(&s, &id).await?;
    // What was typed is unchecked input: it goes into the stop's JSON as typed, for the
    // validated write to accept or to name each problem.
    let windows: Map<String, Value> =
        Weekday::ALL.iter().zip(f.lines()).map(|(day, line)| (day.key().to_string(), parse_line(line))).collect();
    let mut rule = json!(stored.visit_rule.clone().unwrap_or_default());
    for (key, text) in
        [("min_per_week", &f.min_per_week), ("max_per_week", &f.max_per_week), ("min_gap_days", &f.min_gap_days)]
    {
        rule[key] = number_value(text);
    }
    let mut stop = stored.to_value();
    stop["windows"] = Value::Object(windows);
    stop["visit_rule"] = rule;
    match write(&s, &planner.who(), Entity::Stop, &id, Some(stop)).await {
        Ok(_) => Ok(Redirect::to("/planner").into_response()),
        Err(e) => refused_write(
            e,
            lang,
            t(lang, "開所時間・訪問の規則", "Opening hours, visit rule"),
            t(lang, "保存できませんでした。", "Not saved."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_windows_read_with_japanese_separators_too() {
        assert_eq!(parse_line("09:30-11:30, 13:30〜15:30"), json!([["09:30", "11:30"], ["13:30", "15:30"]]));
        assert_eq!(parse_line("09:00～12:00、13:00-16:00"), json!([["09:00", "12:00"], ["13:00", "16:00"]]));
        assert_eq!(parse_line("  "), json!([]));
        assert_eq!(parse_line("9時から"), json!([["9時から"]]), "kept for the check to name");
        let stop: StopEntry = serde_json::from_value(json!({ "id": "s", "name": "s", "lon": 139.3, "lat": 36.5,
            "hosts": [], "windows": { "weekdays": [["09:30", "11:30"]], "wed": [] } }))
        .unwrap();
        let lines = window_lines(&stop);
        assert_eq!((lines[0].as_str(), lines[2].as_str(), lines[5].as_str()), ("09:30-11:30", "", ""));
    }
}
