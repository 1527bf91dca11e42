//! `/driver`: the crew's itinerary for a day (default: the next working day): each stop
//! with its announced window and planned times, place and address, services, each booking
//! with name, phone (tap to call), note and minutes, the lunch break in its place, what to
//! bring, navigation links and the route map with numbered markers matching the stops.
//! Cards on a phone, a table on wider screens and on paper. It names residents, so every
//! view is audited.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::account::staff_nav;
use super::layout::{Page, cell, print_button, t, table};
use super::map_view::MapQuery;
use super::resident::credits;
use super::svg_map;
use crate::io::crew_record::{Field, Outcome, StoredEntry, current};
use crate::io::driver_day::{DriverDay, DriverRequest, DriverStop};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Driver;
use crate::server::driver::driver_days;
use crate::server::error::{ApiError, current_lang};
use crate::server::public::today;

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    date: Option<String>,
}

/// A booking's length: minutes of a consultation, or a seat in a class.
fn length(lang: Lang, r: &DriverRequest) -> String {
    if r.minutes > 0 {
        format!("{}{}", r.minutes, t(lang, "分", " min"))
    } else {
        t(lang, "教室の席", "class seat").to_string()
    }
}

/// Whether `contact` is a phone number (digits, `-`, `+`, spaces) rather than, say, a
/// meeting address.
fn is_phone(contact: &str) -> bool {
    contact.chars().any(|c| c.is_ascii_digit()) && contact.chars().all(|c| c.is_ascii_digit() || "-+ ".contains(c))
}

/// The values recorded so far on the day, by slot (what the server holds).
/// The value, note and device time of each slot the server holds.
type Recorded = std::collections::BTreeMap<(usize, Field, String), Held>;

pub struct Held {
    value: String,
    note: String,
    at: String,
}

fn recorded<'a>(values: &'a Recorded, st: &DriverStop, field: Field, request: &str) -> Option<&'a Held> {
    values.get(&(st.order, field, request.to_string()))
}

/// The slot's key in the page (`field/order/request`) and its time, for the script.
fn slot_key(field: Field, st: &DriverStop, request: &str) -> String {
    format!("{}/{}/{request}", field.as_str(), st.order)
}

/// 到着 and 出発 taps (the device's time, editable) and a class's attendance.
fn stop_controls(lang: Lang, st: &DriverStop, values: &Recorded) -> Markup {
    let time = |field: Field, label: &str| {
        let held = recorded(values, st, field, "");
        html! {
            button type="button" data-now=(field.as_str()) data-order=(st.order) data-stop=[st.stop_id.as_deref()] { (label) }
            input type="time" data-field=(field.as_str()) data-order=(st.order) data-stop=[st.stop_id.as_deref()]
                data-slot=(slot_key(field, st, "")) data-at=[held.map(|h| h.at.as_str())]
                value=(held.map(|h| h.value.as_str()).unwrap_or(""))
                aria-label={ (label) (t(lang, "の時刻", " time")) };
        }
    };
    html! {
        div.record.no-print {
            (time(Field::Arrival, t(lang, "到着", "Arrived")))
            (time(Field::Departure, t(lang, "出発", "Left")))
            @if st.class.is_some() {
                @let held = recorded(values, st, Field::Attendance, "");
                input type="number" min="0" max="999" inputmode="numeric" data-field="attendance" data-order=(st.order)
                    data-stop=[st.stop_id.as_deref()] data-slot=(slot_key(Field::Attendance, st, ""))
                    data-at=[held.map(|h| h.at.as_str())] value=(held.map(|h| h.value.as_str()).unwrap_or("")) aria-label=(t(lang, "教室の参加人数", "Class attendance"));
                button type="button" data-save="attendance" data-order=(st.order) { (t(lang, "参加人数を記録", "Save attendance")) }
            }
        }
    }
}

/// 完了, 不在, 当日取消, 延期希望 for one booking, with a note.
fn outcome_controls(lang: Lang, st: &DriverStop, r: &DriverRequest, values: &Recorded) -> Markup {
    let now = recorded(values, st, Field::Outcome, &r.id);
    html! {
        div.outcomes.no-print data-slot=(slot_key(Field::Outcome, st, &r.id)) data-at=[now.map(|h| h.at.as_str())] {
            @for o in Outcome::ALL {
                button type="button" data-outcome=(o.as_str()) data-request=(r.id) data-order=(st.order)
                    data-stop=[st.stop_id.as_deref()]
                    aria-pressed=(if now.is_some_and(|v| v.value == o.as_str()) { "true" } else { "false" }) { (o.label(lang)) }
            }
            input type="text" maxlength="500" data-note-for=(r.id) data-order=(st.order)
                value=(now.map(|v| v.note.as_str()).unwrap_or("")) placeholder=(t(lang, "結果のメモ", "Note on the outcome"))
                aria-label=(t(lang, "結果のメモ", "Note on the outcome"));
        }
    }
}

fn booking(lang: Lang, r: &DriverRequest) -> Markup {
    html! {
        li.booking {
            strong { (r.kind_name) } " " (length(lang, r))
            @if !r.resident_name.is_empty() { " ・ " (r.resident_name) }
            @if !r.phone.is_empty() { " ・ " a href={ "tel:" (r.phone.replace(['-', ' '], "")) } { (r.phone) } }
            @if !r.note.is_empty() { br; span.note { (t(lang, "メモ: ", "Note: ")) (r.note) } }
            @if let Some(s) = &r.session {
                br;
                span.session {
                    (t(lang, "オンライン ", "Video call ")) strong { (s.start) "–" (s.end) } " " (s.remote_name)
                    @if !s.organisation.is_empty() { "（" (s.organisation) "）" }
                    @if is_phone(&s.contact) { " " a href={ "tel:" (s.contact.replace(['-', ' '], "")) } { (s.contact) } }
                    @else if !s.contact.is_empty() { " " (s.contact) }
                }
            }
        }
    }
}

fn lunch_line(lang: Lang, day: &DriverDay) -> Markup {
    html! { @if let Some((from, to)) = &day.lunch { p.lunch { (t(lang, "昼休憩", "Lunch")) " " (from) "–" (to) } } }
}

/// One stop as a card (phones).
fn stop_card(lang: Lang, st: &DriverStop, values: &Recorded) -> Markup {
    html! {
        section.card.stop-card id={ "stop-" (st.order) } {
            h3 { span.marker { (st.order) } " " (st.name) }
            p.announced { (t(lang, "お知らせした時間 ", "Announced ")) strong { (st.published.0) "–" (st.published.1) } }
            p.muted { (t(lang, "到着 ", "Arrive ")) (st.arrival) " ・ " (t(lang, "対応 ", "Service ")) (st.start) " ・ " (t(lang, "出発 ", "Leave ")) (st.departure) }
            @if !st.address.is_empty() { p { (st.address) } }
            @if let Some(class) = &st.class { p { (t(lang, "教室: ", "Class: ")) (class) } }
            (stop_controls(lang, st, values))
            @if st.requests.is_empty() { p { (t(lang, "予約なし", "No bookings")) } }
            @else { ul.bookings { @for r in &st.requests { (booking(lang, r)) (outcome_controls(lang, st, r, values)) } } }
            @if !st.navigation.is_empty() {
                p.no-print { a href=(st.navigation) { (t(lang, "経路案内", "Directions")) } " ・ " a href=(st.map) { (t(lang, "地図", "Map")) } }
            }
        }
    }
}

/// The whole day as a table (wide screens, paper).
fn stop_table(lang: Lang, day: &DriverDay) -> Markup {
    let rows: Vec<Vec<Markup>> = day
        .stops
        .iter()
        .map(|st| {
            vec![
                cell(&st.order.to_string()),
                html! { strong { (st.published.0) "–" (st.published.1) } br; span.muted { (st.arrival) "–" (st.departure) } },
                html! { (st.name) br; span.muted { (st.address) } },
                html! { ul.bookings { @for r in &st.requests { (booking(lang, r)) } } },
                html! { @if !st.navigation.is_empty() { a href=(st.navigation) { (t(lang, "経路", "Route")) } } },
            ]
        })
        .collect();
    let headers = [
        "#",
        t(lang, "お知らせした時間（到着–出発）", "Announced (arrive–leave)"),
        t(lang, "訪問先", "Stop"),
        t(lang, "予約（個人情報）", "Bookings (personal data)"),
        t(lang, "ナビ", "Navigate"),
    ];
    html! { div.wide-only { (table(&headers, &rows)) } }
}

fn day_html(s: &AppState, lang: Lang, day: &DriverDay, view: &MapQuery, values: &Recorded) -> Markup {
    let lunch_after = day.lunch_after.unwrap_or(usize::MAX);
    html! {
        h2 { (day.date) " " (day.weekday) " — " (day.unit_name) }
        p { (t(lang, "出発", "Leave")) " " (day.departure) " ・ " (t(lang, "帰着", "Back")) " " (day.return_time) }
        div.cards-only {
            @for st in &day.stops {
                (stop_card(lang, st, values))
                @if st.order == lunch_after { (lunch_line(lang, day)) }
            }
        }
        (stop_table(lang, day))
        div.wide-only { (lunch_line(lang, day)) }
        h3 { (t(lang, "持ち物", "What to bring")) }
        ul { @for b in &day.bring { li { (b) } } }
        h3 { (t(lang, "地図", "Map")) }
        (svg_map::map(s.backdrop(), lang, &format!("/driver?date={}", day.date), view, &day.geometry,
            t(lang, "運行経路（番号は訪問順）", "Route map (numbers: order of stops)")))
        (print_button(t(lang, "印刷する", "Print")))
    }
}

/// A compact choice of the day: previous, a list, next.
fn day_choice(lang: Lang, days: &[DriverDay], chosen: Option<&DriverDay>) -> Markup {
    let at = chosen.and_then(|c| days.iter().position(|d| d.date == c.date));
    let prev = at.and_then(|i| i.checked_sub(1)).map(|i| &days[i]);
    let next = at.and_then(|i| days.get(i + 1));
    html! {
        form.inline.no-print method="get" action="/driver" {
            @if let Some(p) = prev { a href={ "/driver?date=" (p.date) } { "← " (t(lang, "前の日", "Previous")) } }
            div { label for="date" { (t(lang, "運行日", "Day")) }
                select id="date" name="date" { @for d in days {
                    option value=(d.date) selected[chosen.is_some_and(|c| c.date == d.date)] { (d.date) " " (d.weekday) } } } }
            button type="submit" { (t(lang, "表示", "Show")) }
            @if let Some(n) = next { a href={ "/driver?date=" (n.date) } { (t(lang, "次の日", "Next")) " →" } }
        }
    }
}

/// `/driver`: the itinerary of the driver's unit for a day, printable.
pub async fn driver(
    who: Result<Driver, ApiError>,
    State(s): State<AppState>,
    Query(q): Query<DayQuery>,
    Query(view): Query<MapQuery>,
) -> Result<Response, ApiError> {
    let Ok(Driver(caller)) = who else { return Ok(Redirect::to("/login").into_response()) };
    let lang = current_lang();
    let days = driver_days(&s, &caller.account).await?;
    let today = today(&s);
    let chosen = match &q.date {
        Some(date) => days.iter().find(|day| &day.date == date),
        None => days.iter().find(|day| day.date >= today).or(days.first()),
    };
    let mut values = Recorded::new();
    if let Some(day) = chosen {
        s.store.audit_read(&caller.who(), &format!("itinerary/{}/{}", day.date, day.unit_id), "page").await?;
        let entries = s.store.day_entries(&day.date, &day.unit_id).await?;
        let held = |e: &StoredEntry| Held {
            value: e.entry.value.clone(),
            note: e.entry.note.clone(),
            at: e.entry.recorded_at.clone(),
        };
        values = current(&entries).into_iter().map(|(k, e)| ((k.stop_order, k.field, k.request_id), held(e))).collect();
    }
    let keep: Vec<String> =
        days.iter().filter(|d| d.date >= today).take(7).map(|d| format!("/driver?date={}", d.date)).collect();
    let body = html! {
        (day_choice(lang, &days, chosen))
        @match chosen {
            Some(day) => div.crew #crew data-date=(day.date) data-unit=(day.unit_id) data-csrf=(caller.csrf())
                data-keep=(keep.join(" ")) data-pending=(t(lang, "未送信の記録 {n} 件", "{n} entries not sent yet"))
                data-all-sent=(t(lang, "記録はすべて送信済みです", "All entries sent"))
                data-offline=(t(lang, "（電波がありません。記録は端末に保存し、つながったら送ります）",
                    "(no signal: entries are kept on this device and sent when it returns)"))
                data-sign-in=(t(lang, "（サインインし直してから送ってください）", "(sign in again, then send)"))
                data-refused=(t(lang, "受け付けられなかった記録 {n} 件:", "{n} entries refused:")) {
                p.no-print {
                    span #sync-status role="status" aria-live="polite" { (t(lang, "記録はすべて送信済みです", "All entries sent")) }
                    " " button #sync-now type="button" { (t(lang, "今すぐ送信", "Send now")) }
                }
                p.notice.no-print #refused-entries hidden {}
                p.notice.no-print #not-today hidden { (t(lang, "表示中の運行日は今日ではありません。日付を確かめてから記録してください。",
                    "The day shown is not today: check the date before recording.")) }
                (day_html(&s, lang, day, &view, &values))
            },
            None => p.notice { (t(lang, "公開中の運行はありません。", "No published itinerary.")) },
        }
    };
    let credits = credits(&s).await;
    let nav = staff_nav(lang, &caller);
    Ok(Html(
        Page::new(lang, t(lang, "運行表", "Itinerary"), "/driver")
            .nav(&nav)
            .credits(&credits)
            .installable()
            .render(body),
    )
    .into_response())
}
