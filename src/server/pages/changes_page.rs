//! What a plan changes for residents, on the staff side: before publishing, the review of
//! the draft against what is announced for its dates (visits added, moved and cancelled
//! with why, whose bookings move, and what the service would lose); after publishing, the call list (連絡リスト) of residents whose
//! announced booking moved or was dropped, until its original date has passed, printable
//! and as CSV. Names and phones are read from the requests: every
//! view is audited.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::account::staff_page;
use super::layout::{cell, print_button, t, table, visit_when};
use crate::io::draft_review::{CoverageLoss, DraftReview, ReviewedChange};
use crate::io::excel_csv::excel_csv;
use crate::io::plan_diff::{BookingChange, VisitRef};
use crate::io::plan_view::ShortfallView;
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::changes::current_booking_changes;
use crate::server::error::{ApiError, current_lang};

fn when(lang: Lang, v: &VisitRef) -> String {
    let at = visit_when(lang, &v.date, &v.weekday, &v.from, &v.to);
    match lang {
        Lang::Ja => format!("{at} {}（{}）", v.place, v.unit),
        Lang::En => format!("{at} {} ({})", v.place, v.unit),
    }
}

/// Residents' `(name, phone)` by request id.
async fn contacts(s: &AppState) -> Result<HashMap<String, (String, String)>, ApiError> {
    let requests = s.store.requests().await?;
    Ok(requests
        .iter()
        .map(|r| (r.id.clone(), (r.resident_name().to_string(), r.resident_phone().to_string())))
        .collect())
}

/// The booking's new visit in words (or that none serves it any more).
fn booking_to(lang: Lang, b: &BookingChange) -> String {
    match &b.to {
        Some(v) => when(lang, v),
        None => t(lang, "訪問なし（調整中）", "no visit (being arranged)").to_string(),
    }
}

/// The review of a plan before publishing it, for the planner page (`who` is audited
/// when bookings are named): what it changes of what is announced and why, whose booking
/// moves, and what the service would lose.
pub async fn review_section(s: &AppState, lang: Lang, review: &DraftReview, who: &str) -> Result<Markup, ApiError> {
    let people = if review.bookings.is_empty() {
        HashMap::new()
    } else {
        s.store.audit_read(who, "requests", "difference").await?;
        contacts(s).await?
    };
    let changed = |c: &ReviewedChange| match &c.to {
        Some(to) => format!("{} {} → {}", t(lang, "変更:", "moved:"), when(lang, &c.from), when(lang, to)),
        None => format!("{} {}", t(lang, "取りやめ:", "cancelled:"), when(lang, &c.from)),
    };
    Ok(html! {
        section.review aria-labelledby="review-heading" {
        h3 #review-heading { (t(lang, "お知らせ済みの予定との違い（この計画の期間、今日以降）", "Difference to what is announced (this plan's dates, from today)")) }
        @if review.changes.is_empty() && review.added.is_empty() {
            p.muted { (t(lang, "お知らせ済みの訪問で変わるものはありません。", "No announced visit changes.")) }
        }
        ul.changes {
            @for c in &review.changes { li { (changed(c)) " — " (t(lang, "理由：", "why: ")) (c.why.get(lang)) } }
            @for v in &review.added { li { (t(lang, "追加:", "added:")) " " (when(lang, v)) } }
        }
        @if !review.coverage_lost.is_empty() || !review.shortfalls.is_empty() {
            div.notice role="alert" {
                p { strong { (t(lang, "公開すると足りなくなるもの", "What publishing would leave short")) } }
                ul {
                    @for c in &review.coverage_lost { li { (coverage_line(lang, c)) } }
                    @for f in &review.shortfalls { li { (shortfall_line(lang, f)) } }
                }
            }
        }
        @if !review.bookings.is_empty() {
            h4 { (t(lang, "予約が動く住民", "Residents whose booking moves")) }
            ul { @for b in &review.bookings { li {
                (b.request) " " (people.get(&b.request).map_or("", |p| p.0.as_str())) (t(lang, "：", ": "))
                (when(lang, &b.from)) " → " (booking_to(lang, b)) } } }
        }
        }
    })
}

/// A week's mountain-area halls that would lose their visit.
fn coverage_line(lang: Lang, c: &CoverageLoss) -> String {
    let names = c.lost.join(if lang == Lang::Ja { "、" } else { ", " });
    match lang {
        Lang::Ja => format!(
            "{}の週：山間部の会場への訪問が {} か所から {} か所に減ります（訪問がなくなる会場：{names}）",
            c.week_of.format("%-m月%-d日"),
            c.announced,
            c.planned
        ),
        Lang::En => format!(
            "week of {}: mountain-area halls visited fall from {} to {} (losing their visit: {names})",
            c.week_of, c.announced, c.planned
        ),
    }
}

/// A stop below its weekly minimum.
fn shortfall_line(lang: Lang, f: &ShortfallView) -> String {
    match lang {
        Lang::Ja => format!(
            "{}の週：{}の訪問が週 {} 回の最低回数に足りません（{} 回）：{}",
            f.week_of.format("%-m月%-d日"),
            f.stop_name,
            f.required,
            f.planned,
            f.reason.ja
        ),
        Lang::En => format!(
            "week of {}: {} gets {} of its {} weekly visits: {}",
            f.week_of, f.stop_name, f.planned, f.required, f.reason.en
        ),
    }
}

/// The call list's rows: request, name, phone, old visit, new visit.
async fn call_rows(s: &AppState, lang: Lang) -> Result<Vec<Vec<String>>, ApiError> {
    let bookings = current_booking_changes(s).await?;
    let people = contacts(s).await?;
    Ok(bookings
        .iter()
        .map(|b| {
            let (name, phone) = people.get(&b.request).cloned().unwrap_or_default();
            vec![b.request.clone(), name, phone, when(lang, &b.from), booking_to(lang, b)]
        })
        .collect())
}

fn call_headers(lang: Lang) -> [&'static str; 5] {
    [
        t(lang, "予約番号", "Request"),
        t(lang, "氏名", "Name"),
        t(lang, "電話番号", "Phone"),
        t(lang, "お知らせ済みの訪問", "Visit they were told"),
        t(lang, "新しい訪問", "New visit"),
    ]
}

/// The call list of the published plan: whom to phone about a moved or dropped booking.
pub async fn calls(Planner(caller): Planner, State(s): State<AppState>) -> Result<Response, ApiError> {
    let lang = current_lang();
    s.store.audit_read(&caller.who(), "requests", "call-list").await?;
    let rows = call_rows(&s, lang).await?;
    let cells: Vec<Vec<Markup>> = rows
        .iter()
        .map(|r| {
            let phone = html! { a href={ "tel:" (r[2]) } { (r[2]) } };
            vec![cell(&r[0]), cell(&r[1]), phone, cell(&r[3]), cell(&r[4])]
        })
        .collect();
    let body = html! {
        @if rows.is_empty() {
            p { (t(lang, "お知らせした予約で、日時が変わったものや訪問がなくなったものはありません。", "No announced booking has moved or been dropped.")) }
        } @else {
            p { (t(lang, "お知らせした予約の日時が変わった、または訪問がなくなった住民です（お知らせした日が過ぎるまで載ります）。", "Residents whose announced booking moved or was dropped (listed until the day they were told has passed).")) " "
                a href="/planner/calls.csv" { (t(lang, "CSVで保存（Excel）", "Download CSV (Excel)")) } }
            div.scroll { (table(&call_headers(lang), &cells)) }
            (print_button(t(lang, "印刷する", "Print")))
        }
    };
    Ok(staff_page(lang, &caller, t(lang, "連絡リスト", "Call list"), "/planner/calls", body))
}

pub async fn calls_csv(planner: Planner, State(s): State<AppState>) -> Result<Response, ApiError> {
    let lang = current_lang();
    s.store.audit_read(&planner.who(), "requests", "call-list-csv").await?;
    let rows = call_rows(&s, lang).await?;
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"call-list.csv\""),
    ];
    Ok((headers, excel_csv(&call_headers(lang), &rows)).into_response())
}
