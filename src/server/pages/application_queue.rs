//! The planner page's queue of residents' online applications: each pending one with its
//! hall, service, dates, name and phone (a read of personal data, audited), to accept (it
//! becomes a request, checked like any other) or to decline with a reason the resident sees.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{csrf_input, t};
use super::planner_forms::{reason_field, refused_write};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::accept_application;
use crate::server::store::ApplicationStatus;

/// The pending applications with their buttons (nothing when the queue is empty).
pub async fn section(s: &AppState, lang: Lang, csrf: &str, who: &str) -> Result<Markup, ApiError> {
    let pending = s.store.pending_applications().await?;
    if pending.is_empty() {
        return Ok(html! {
            h2 { (t(lang, "オンライン申し込み", "Online applications")) }
            p.muted { (t(lang, "確認待ちの申し込みはありません。", "No application is waiting.")) }
        });
    }
    s.store.audit_read(who, "applications", "page").await?;
    Ok(html! {
        h2 { (t(lang, "オンライン申し込み（確認待ち）", "Online applications (waiting)")) " " (pending.len()) }
        @for (a, r) in pending.iter().filter_map(|a| Some((a, a.request.as_ref()?))) {
            div.card data-application=(a.id) {
                p { strong { (a.id) } " " span.muted { (a.created_at.get(..16).unwrap_or(&a.created_at)) } }
                p { (r.stop_id()) " / " (r.kind) " / " (r.earliest) " – " (r.latest) }
                p { (r.resident_name()) " " a href={ "tel:" (r.resident_phone()) } { (r.resident_phone()) } }
                form.inline method="post" action={ "/planner/applications/" (a.id) "/accept" } {
                    (csrf_input(csrf))
                    button type="submit" { (t(lang, "受け付ける", "Accept")) }
                }
                form.inline method="post" action={ "/planner/applications/" (a.id) "/decline" } {
                    (csrf_input(csrf))
                    div { label for={ "reason-" (a.id) } { (t(lang, "お断りする理由（住民に表示）", "Reason (shown to the resident)")) }
                        input id={ "reason-" (a.id) } name="reason" required maxlength="200"; }
                    button type="submit" { (t(lang, "お断りする", "Decline")) }
                }
            }
        }
    })
}

fn not_pending() -> ApiError {
    ApiError::conflict(
        ["この申し込みは確認待ちではありません", "this application is not waiting"],
        ["計画担当の画面を開き直してください", "reload the planner page"],
    )
}

/// Accepts: the application becomes a request with the same number.
pub async fn accept(planner: Planner, State(s): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let lang = current_lang();
    let app = s.store.application(&id).await?.filter(|a| a.status == ApplicationStatus::Pending);
    let Some(request) = app.and_then(|a| a.request) else { return Err(not_pending()) };
    match accept_application(&s, &planner.who(), &request).await {
        Ok(true) => Ok(Redirect::to("/planner").into_response()),
        Ok(false) => Err(not_pending()),
        Err(e) => {
            let lead = t(lang, "受け付けられませんでした。", "The application was not accepted.");
            refused_write(e, lang, t(lang, "申し込みの受付", "Accept an application"), lead)
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct DeclineForm {
    reason: String,
}

pub async fn decline(
    planner: Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<DeclineForm>,
) -> Result<Response, ApiError> {
    let reason =
        reason_field(&f.reason, ["住民に伝える理由を書いてください", "write the reason the resident will see"])?;
    if !s.store.decide_application(&id, ApplicationStatus::Declined, &planner.who(), &reason).await? {
        return Err(not_pending());
    }
    Ok(Redirect::to("/planner").into_response())
}
