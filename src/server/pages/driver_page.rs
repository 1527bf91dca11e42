//! `/driver`: the crew's itinerary for a day (default: the next working day) with the
//! bookings, what to bring, navigation links and the route map; printable. It names
//! residents, so every view is audited.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::account::staff_nav;
use super::layout::{Page, cell, print_button, t, table};
use super::resident::credits;
use super::svg_map::svg;
use crate::io::driver_day::{DriverDay, DriverStop};
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

/// One stop's bookings: kind, resident, minutes, phone.
fn bookings(lang: Lang, st: &DriverStop) -> String {
    let minutes = t(lang, "分", " min");
    let list: Vec<String> = st
        .requests
        .iter()
        .map(|r| format!("{} {} {}{minutes} {}", r.kind_name, r.resident_name, r.minutes, r.phone))
        .collect();
    list.join(" / ")
}

fn day_html(s: &AppState, lang: Lang, day: &DriverDay) -> Markup {
    let rows: Vec<Vec<Markup>> = day
        .stops
        .iter()
        .map(|st| {
            vec![
                cell(&st.order.to_string()),
                cell(&format!("{}–{}", st.arrival, st.departure)),
                html! { (st.name) br; span.muted { (st.address) } },
                cell(&bookings(lang, st)),
                html! { a href=(st.navigation) { (t(lang, "経路", "Route")) } },
            ]
        })
        .collect();
    let headers = [
        "#",
        t(lang, "到着–出発", "Arrive–leave"),
        t(lang, "訪問先", "Stop"),
        t(lang, "予約（個人情報）", "Bookings (personal data)"),
        t(lang, "ナビ", "Navigate"),
    ];
    html! {
        h2 { (day.date) " " (day.weekday) " — " (day.unit_name) }
        p { (t(lang, "出発", "Leave")) " " (day.departure) " ・ " (t(lang, "帰着", "Back")) " " (day.return_time) }
        (table(&headers, &rows))
        h3 { (t(lang, "持ち物", "What to bring")) }
        ul { @for b in &day.bring { li { (b) } } }
        h3 { (t(lang, "地図", "Map")) }
        (svg(s.boundary.as_deref(), &day.geometry, t(lang, "運行経路", "Route map")))
        (print_button(t(lang, "印刷する", "Print")))
    }
}

/// `/driver`: the itinerary of the driver's unit for a day, printable.
pub async fn driver(
    who: Result<Driver, ApiError>,
    State(s): State<AppState>,
    Query(q): Query<DayQuery>,
) -> Result<Response, ApiError> {
    let Ok(Driver(caller)) = who else { return Ok(Redirect::to("/login").into_response()) };
    let lang = current_lang();
    let days = driver_days(&s, &caller.account).await?;
    let today = today(&s);
    let chosen = match &q.date {
        Some(date) => days.iter().find(|day| &day.date == date),
        None => days.iter().find(|day| day.date >= today).or(days.first()),
    };
    if let Some(day) = chosen {
        s.store.audit_read(&caller.who(), &format!("itinerary/{}/{}", day.date, day.unit_id), "page").await?;
    }
    let body = html! {
        nav.no-print aria-label=(t(lang, "運行日", "Days")) { ul {
            @for day in &days { li { a href={ "/driver?date=" (day.date) } { (day.date) } } }
        } }
        @match chosen {
            Some(day) => (day_html(&s, lang, day)),
            None => p.notice { (t(lang, "公開中の運行はありません。", "No published itinerary.")) },
        }
    };
    let credits = credits(&s).await;
    let nav = staff_nav(lang, &caller);
    Ok(Html(Page::new(lang, t(lang, "運行表", "Itinerary"), "/driver").nav(&nav).credits(&credits).render(body))
        .into_response())
}
