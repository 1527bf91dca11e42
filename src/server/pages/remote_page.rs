//! `/remote`: a remote person's sessions from today on (a doctor's online consultations, a
//! counsellor's remote 相談): for each day, when, at which hall and with which unit, the
//! service and the resident — only the sessions of the person the account is bound to.
//! It names residents, so every view is audited. Cards on a phone, a table on wider
//! screens; a link to the person's calendar file.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};

use super::account::staff_nav;
use super::layout::{Page, cell, print_button, t, table};
use super::resident::credits;
use crate::io::remote_day::RemoteSession;
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Remote;
use crate::server::error::{ApiError, current_lang};
use crate::server::public::today;
use crate::server::remote::own_sessions;

/// The resident's name and request number (`山田 花子（R012）`).
fn resident(lang: Lang, s: &RemoteSession) -> Markup {
    let name = if s.resident_name.is_empty() { t(lang, "氏名未登録", "no name given") } else { &s.resident_name };
    let (open, close) = if lang == Lang::Ja { ("（", "）") } else { (" (", ")") };
    html! { strong { (name) } (open) (s.request_id) (close) }
}

fn session_card(lang: Lang, s: &RemoteSession) -> Markup {
    html! {
        section.card {
            h3 { (s.start) "–" (s.end) " " (s.place) }
            p { (s.kind_name) " ・ " (s.unit_name) }
            p { (t(lang, "予約者：", "Resident: ")) (resident(lang, s)) }
            @if !s.address.is_empty() { p.muted { (s.address) } }
        }
    }
}

fn day_html(lang: Lang, date: &str, sessions: &[&RemoteSession]) -> Markup {
    let rows: Vec<Vec<Markup>> = sessions
        .iter()
        .map(|s| {
            vec![
                cell(&format!("{}–{}", s.start, s.end)),
                html! { (s.place) @if !s.address.is_empty() { br; span.muted { (s.address) } } },
                cell(&s.unit_name),
                cell(&s.kind_name),
                resident(lang, s),
            ]
        })
        .collect();
    let headers = [
        t(lang, "時刻", "Time"),
        t(lang, "会場", "Hall"),
        t(lang, "車両", "Unit"),
        t(lang, "サービス", "Service"),
        t(lang, "予約者（個人情報）", "Resident (personal data)"),
    ];
    let weekday = sessions.first().map_or("", |s| s.weekday.as_str());
    html! {
        h2 { (date) " " (weekday) }
        div.cards-only { @for s in sessions { (session_card(lang, s)) } }
        div.wide-only { (table(&headers, &rows)) }
    }
}

/// `/remote`: the signed-in remote person's sessions from today on, by day.
pub async fn remote(who: Result<Remote, ApiError>, State(s): State<AppState>) -> Result<Response, ApiError> {
    let Ok(Remote(caller)) = who else { return Ok(Redirect::to("/login").into_response()) };
    let lang = current_lang();
    let today = today(&s);
    let sessions: Vec<RemoteSession> =
        own_sessions(&s, &caller.account).await?.into_iter().filter(|x| x.date >= today).collect();
    let person = caller.account.remote_id.clone().unwrap_or_default();
    s.store.audit_read(&caller.who(), &format!("remote-sessions/{person}"), "page").await?;
    let mut dates: Vec<&str> = sessions.iter().map(|x| x.date.as_str()).collect();
    dates.dedup();
    let body = html! {
        p.no-print { a href="/api/remote/calendar.ics" { (t(lang, "予定をカレンダーに取り込む（.ics）", "Add to your calendar (.ics)")) } }
        @if sessions.is_empty() {
            p.notice { (t(lang, "公開中の予定はありません。", "No published sessions.")) }
        }
        @for date in &dates {
            (day_html(lang, date, &sessions.iter().filter(|x| x.date == *date).collect::<Vec<_>>()))
        }
        (print_button(t(lang, "印刷する", "Print")))
    };
    let credits = credits(&s).await;
    let nav = staff_nav(lang, &caller);
    let title = t(lang, "オンライン対応の予定", "Your sessions");
    Ok(Html(Page::new(lang, title, "/remote").nav(&nav).credits(&credits).render(body)).into_response())
}
