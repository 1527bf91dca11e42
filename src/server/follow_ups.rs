//! Follow-ups (planners): a booking the crew recorded as 不在 (no-show) or 延期希望 (wants
//! another date) waits here until a planner confirms it — it becomes a new request linked
//! to the old one by `follow_up_of`, checked like every other write — or dismisses it.
//! `GET /api/follow-ups`, `POST /api/follow-ups/{request}/{date}/confirm` and `…/dismiss`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, NaiveDate};

use super::AppState;
use super::answers::{Created, FollowUps};
use super::auth::Planner;
use super::error::ApiError;
use super::planner::validate;
use super::store::Entity;
use crate::io::problem_file::RequestEntry;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/follow-ups", get(list))
        .route("/api/follow-ups/{request}/{date}/confirm", post(confirm))
        .route("/api/follow-ups/{request}/{date}/dismiss", post(dismiss))
}

/// The fewest days a follow-up request stays open for planning.
const MIN_SPAN_DAYS: i64 = 13;

/// The new request of a follow-up: the old one's service, place, resident and wishes, dated
/// from the day after the visit (or today, if later) for as long as the old one ran (at
/// least two weeks), named `{old}-F{n}` with the first free `n` (an application's `W-` left
/// off), without the old one's `channel`.
pub fn follow_up_body(
    old: &RequestEntry,
    visit: NaiveDate,
    today: NaiveDate,
    taken: impl Fn(&str) -> bool,
) -> RequestEntry {
    // An online application's number (`W-…`) is the resident's; the follow-up is staff-made.
    let stem = old.id.strip_prefix("W-").unwrap_or(&old.id);
    let id = (1..).map(|n| format!("{stem}-F{n}")).find(|id| !taken(id)).unwrap_or_default();
    let span = (old.latest - old.earliest).num_days().max(MIN_SPAN_DAYS);
    let earliest = (visit + Duration::days(1)).max(today);
    RequestEntry {
        id,
        earliest,
        latest: earliest + Duration::days(span),
        follow_up_of: Some(old.id.clone()),
        // Not a new application: the planner books it again (not counted as received).
        channel: None,
        ..old.clone()
    }
}

fn not_pending() -> ApiError {
    ApiError::not_found("確認待ちのフォローアップ", "a pending follow-up")
}

/// Confirms the follow-up of `request_id` on `date`; the new request's id.
pub(crate) async fn confirm_follow_up(
    s: &AppState,
    who: &str,
    request_id: &str,
    date: &str,
) -> Result<String, ApiError> {
    let _guard = s.jobs.write_lock.lock().await;
    let pending = s.store.pending_follow_ups().await?;
    let visit = pending
        .iter()
        .find(|f| f.request_id == request_id && f.date == date)
        .and_then(|f| NaiveDate::parse_from_str(&f.date, "%Y-%m-%d").ok())
        .ok_or_else(not_pending)?;
    let old = s.store.request(request_id).await?.ok_or_else(|| {
        ApiError::conflict(
            ["元の予約がもうありません（取消または削除済み）", "the original request is gone (cancelled or erased)"],
            [
                "新しい予約として入力するか、このフォローアップを不要にしてください",
                "enter a new request, or dismiss this follow-up",
            ],
        )
    })?;
    let ids = s.store.requests_by_id().await?;
    let new = follow_up_body(&old, visit, s.config.clock.today(), |id| ids.contains_key(id));
    validate(s, Entity::Request, &new.id, Some(&new.to_value())).await?;
    if !s.store.decide_follow_up(request_id, date, Some(&new), who).await? {
        return Err(not_pending());
    }
    Ok(new.id)
}

/// Dismisses the follow-up of `request_id` on `date`.
pub(crate) async fn dismiss_follow_up(s: &AppState, who: &str, request_id: &str, date: &str) -> Result<(), ApiError> {
    if !s.store.decide_follow_up(request_id, date, None, who).await? {
        return Err(not_pending());
    }
    Ok(())
}

async fn list(p: Planner, State(s): State<AppState>) -> Result<Json<FollowUps>, ApiError> {
    let follow_ups = s.store.pending_follow_ups().await?;
    s.store.audit_read(&p.who(), "follow_ups", "api").await?;
    Ok(Json(FollowUps { follow_ups }))
}

async fn confirm(
    p: Planner,
    State(s): State<AppState>,
    Path((request, date)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = confirm_follow_up(&s, &p.who(), &request, &date).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

async fn dismiss(
    p: Planner,
    State(s): State<AppState>,
    Path((request, date)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    dismiss_follow_up(&s, &p.who(), &request, &date).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_follow_up_starts_after_the_visit_and_takes_a_free_id() {
        let entry = |v| serde_json::from_value::<RequestEntry>(v).unwrap();
        let old = entry(json!({ "id": "R7", "kind": "admin", "stop": "zama", "earliest": "2026-12-07",
                                "latest": "2026-12-31", "channel": "online", "resident": { "name": "山田", "phone": "0277" } }));
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let (visit, today) = (day(2026, 12, 9), day(2026, 12, 1));
        let new = follow_up_body(&old, visit, today, |id| id == "R7-F1");
        assert_eq!(new.id, "R7-F2");
        assert_eq!((new.earliest, new.latest), (day(2026, 12, 10), day(2027, 1, 3)));
        assert_eq!(new.follow_up_of.as_deref(), Some("R7"));
        assert_eq!(new.resident_name(), "山田", "the same resident");
        assert_eq!(new.channel, None, "booked again by staff, not a new application");
        let application = RequestEntry { id: "W-2718-2818".into(), ..old.clone() };
        assert_eq!(follow_up_body(&application, visit, today, |_| false).id, "2718-2818-F1");
        // Confirmed late: from today, for at least two weeks.
        let late = follow_up_body(&old, visit, day(2027, 1, 20), |_| false);
        assert_eq!((late.earliest, late.latest), (day(2027, 1, 20), day(2027, 2, 13)));
    }
}
