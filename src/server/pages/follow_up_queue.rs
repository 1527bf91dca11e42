//! The planner page's queue of follow-ups: bookings the crew recorded as 不在 or 延期希望,
//! each with the resident (a read of personal data, audited) and one button that makes it
//! a new request linked to the old one, or one that dismisses it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use super::layout::{csrf_input, t};
use super::planner_forms::refused_write;
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::error::{ApiError, current_lang};
use crate::server::follow_ups::{confirm_follow_up, dismiss_follow_up};

/// The pending follow-ups with their buttons (nothing when there is none).
pub async fn section(s: &AppState, lang: Lang, csrf: &str, who: &str) -> Result<Markup, ApiError> {
    let pending = s.store.pending_follow_ups().await?;
    if pending.is_empty() {
        return Ok(html! {});
    }
    s.store.audit_read(who, "follow_ups", "page").await?;
    let requests = s.store.requests_by_id().await?;
    Ok(html! {
        h2 { (t(lang, "現地の結果から（再予約の確認待ち）", "From the crews (waiting to be booked again)")) " " (pending.len()) }
        @for f in &pending {
            @let old = requests.get(&f.request_id);
            div.card data-follow-up=(f.request_id) {
                p { strong { (f.request_id) } " " (f.date) " ・ " (f.outcome.label(lang)) }
                @if let Some(old) = old {
                    p { (old.stop_id()) " / " (old.kind) " ・ " (old.resident_name()) " "
                        a href={ "tel:" (old.resident_phone()) } { (old.resident_phone()) } }
                } @else {
                    p.muted { (t(lang, "元の予約はもうありません。", "The original request is gone.")) }
                }
                @let base = format!("/planner/follow-ups/{}/{}", f.request_id, f.date);
                form.inline method="post" action={ (base) "/confirm" } {
                    (csrf_input(csrf))
                    button type="submit" disabled[old.is_none()] { (t(lang, "新しい予約として登録", "Book again as a new request")) }
                }
                form.inline method="post" action={ (base) "/dismiss" } {
                    (csrf_input(csrf))
                    button type="submit" { (t(lang, "再予約しない", "Do not book again")) }
                }
            }
        }
    })
}

/// One click: the follow-up becomes a new request; the planner lands on its edit page.
pub async fn confirm(
    planner: Planner,
    State(s): State<AppState>,
    Path((request, date)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    match confirm_follow_up(&s, &planner.who(), &request, &date).await {
        Ok(id) if s.store.request(&id).await?.is_some() => {
            Ok(Redirect::to(&format!("/planner/requests/{id}/edit")).into_response())
        }
        Ok(_) => Ok(Redirect::to("/planner").into_response()),
        Err(e) => {
            let lead = t(lang, "再予約できませんでした。", "The request was not booked again.");
            refused_write(e, lang, t(lang, "再予約", "Book again"), lead)
        }
    }
}

pub async fn dismiss(
    planner: Planner,
    State(s): State<AppState>,
    Path((request, date)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    dismiss_follow_up(&s, &planner.who(), &request, &date).await?;
    Ok(Redirect::to("/planner").into_response())
}
