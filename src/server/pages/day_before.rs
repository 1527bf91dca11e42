//! The day-before list (前日確認リスト): for each unit, the announced visits of a day in
//! order, and for each booking the resident to phone to confirm it — name, phone (tap to
//! call), service and note. Printable; every view is an audited read of personal data.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Duration, NaiveDate};
use maud::html;
use serde::Deserialize;

use super::account::staff_page;
use super::layout::{print_button, t, visit_when};
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::error::{ApiError, current_lang};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DayQuery {
    date: String,
}

pub async fn day_before(
    Planner(caller): Planner,
    State(s): State<AppState>,
    Query(q): Query<DayQuery>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let tomorrow = s.config.clock.today() + Duration::days(1);
    let day_asked = NaiveDate::parse_from_str(&q.date, "%Y-%m-%d").unwrap_or(tomorrow);
    let date = day_asked.to_string();
    s.store.audit_read(&caller.who(), "requests", &format!("day-before {date}")).await?;
    let announced = s.store.announced(day_asked, day_asked, false).await?;
    let requests = s.store.requests_by_id().await?;
    let day = announced.day(day_asked);
    let body = html! {
        form.inline method="get" action="/planner/day-before" {
            div { label for="date" { (t(lang, "日付", "Date")) } input id="date" name="date" type="date" value=(date); }
            button type="submit" { (t(lang, "表示", "Show")) }
        }
        @match day {
            None => p { (t(lang, "この日の公開済みの訪問はありません。", "No published visit on this day.")) },
            Some(day) => @for route in &day.routes {
                section.card {
                    h2 { (route.vehicle_name) }
                    @for v in &route.visits {
                        h3 { (visit_when(lang, &date, &day.weekday, &v.published.0, &v.published.1)) " " (v.name) }
                        @if v.requests.is_empty() { p.muted { (t(lang, "予約はありません。", "No bookings.")) } }
                        ul.bookings { @for r in &v.requests {
                            @let stored = requests.get(&r.id);
                            @let phone = stored.map_or("", |s| s.resident_phone());
                            li { (r.id) " " (r.kind_name) " — " (stored.map_or("", |s| s.resident_name())) " "
                                @if !phone.is_empty() { a href={ "tel:" (phone) } { (phone) } }
                                @let note = stored.map_or("", |s| s.note_text());
                                @if !note.is_empty() { " " span.note { (note) } } }
                        } }
                    }
                }
            },
        }
        (print_button(t(lang, "印刷する", "Print")))
    };
    Ok(staff_page(lang, &caller, t(lang, "前日確認リスト", "Day-before call list"), "/planner/day-before", body))
}
