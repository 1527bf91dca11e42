//! Remote staff routes (remote accounts: a doctor, pharmacist or counsellor who joins visits
//! by video): their own announced sessions — when, at which hall, with which
//! unit, for which request and resident — as JSON, and their calendar as iCalendar (without
//! residents' names). An account sees only the sessions of the person it is bound to; every
//! read that names residents is audited.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::AppState;
use super::answers::RemoteSessions;
use super::auth::{Account, Remote};
use super::driver::current_days;
use super::error::ApiError;
use crate::io::ical::remote_calendar;
use crate::io::remote_day::{RemoteSession, remote_sessions};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/remote/sessions", get(sessions)).route("/api/remote/calendar.ics", get(calendar))
}

/// The sessions of the person `account` is bound to (none when it is bound to nobody).
pub(super) async fn own_sessions(s: &AppState, account: &Account) -> Result<Vec<RemoteSession>, ApiError> {
    let Some(person) = &account.remote_id else { return Ok(Vec::new()) };
    Ok(remote_sessions(&current_days(s).await?, person))
}

async fn sessions(r: Remote, State(s): State<AppState>) -> Result<Json<RemoteSessions>, ApiError> {
    let list = own_sessions(&s, &r.0.account).await?;
    let person = r.0.account.remote_id.clone().unwrap_or_default();
    s.store.audit_read(&r.who(), &format!("remote-sessions/{person}"), "api").await?;
    Ok(Json(RemoteSessions { remote_id: person, sessions: list }))
}

async fn calendar(r: Remote, State(s): State<AppState>) -> Result<Response, ApiError> {
    let list = own_sessions(&s, &r.0.account).await?;
    let person = r.0.account.remote_id.clone().unwrap_or_default();
    let stamp = s.config.clock.now().naive_utc().format("%Y%m%dT%H%M%SZ").to_string();
    let sequence = s.store.publication_counter().await?;
    let body = remote_calendar(&format!("巡回 オンライン対応 {person}"), &list, &stamp, sequence);
    let file = person.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"junkai-remote-{file}.ics\"")),
        ],
        body,
    )
        .into_response())
}
