//! Driver routes (driver accounts): the itinerary of the driver's unit for a day of the
//! published plan — stops in order with times, requests with residents' names, what to
//! bring, the route as GeoJSON and navigation links. A driver bound to a unit sees that
//! unit's days; one without sees the days a planner assigned them to a unit. Every read of
//! an itinerary (it holds residents' names and phones) is audited.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;

use super::AppState;
use super::auth::{Account, Driver};
use super::error::ApiError;
use super::store::{PlanColumn, version_for};
use crate::io::driver_day::DriverDay;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/driver/itinerary", get(itinerary)).route("/api/driver/days", get(days))
}

/// Every crew day of the published plan (none before the first publication).
pub(super) async fn published_days(s: &AppState) -> Result<Vec<DriverDay>, ApiError> {
    let Some(id) = s.store.published_id().await? else { return Ok(Vec::new()) };
    let text = s.store.plan_output(id, PlanColumn::Itineraries).await?.unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| ApiError::internal(&format!("stored itineraries: {e}")))
}

/// The published plan's itineraries that `account` drives, by date.
pub(super) async fn driver_days(s: &AppState, account: &Account) -> Result<Vec<DriverDay>, ApiError> {
    let all = published_days(s).await?;
    driven(s, account, all).await
}

/// The crew days of `from..=to` that `account` drives, each from the plan most recently
/// published for its date (so that a day's records still find their day after next week's
/// plan is published).
pub(super) async fn recordable_days(
    s: &AppState,
    account: &Account,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DriverDay>, ApiError> {
    let versions = s.store.published_versions(from, to).await?;
    let mut out: Vec<DriverDay> = Vec::new();
    for (i, version) in versions.iter().enumerate() {
        let days: Vec<DriverDay> = serde_json::from_str(version.itineraries_json.as_deref().unwrap_or("[]"))
            .map_err(|e| ApiError::internal(&format!("stored itineraries: {e}")))?;
        out.extend(days.into_iter().filter(|d| {
            NaiveDate::parse_from_str(&d.date, "%Y-%m-%d")
                .is_ok_and(|date| date >= from && date <= to && version_for(&versions, date) == Some(i))
        }));
    }
    driven(s, account, out).await
}

/// The days of `all` that `account` drives.
async fn driven(s: &AppState, account: &Account, all: Vec<DriverDay>) -> Result<Vec<DriverDay>, ApiError> {
    let assigned = s.store.crew_days(account.id).await?;
    let drives = |day: &DriverDay| match &account.unit_id {
        Some(fixed) => *fixed == day.unit_id,
        None => assigned.iter().any(|(d, u)| *d == day.date && *u == day.unit_id),
    };
    Ok(all.into_iter().filter(|d| drives(d)).collect())
}

#[derive(Debug, Deserialize)]
struct DayQuery {
    date: Option<NaiveDate>,
}

/// The itinerary of `date` (default: the unit's next working day from today, JST).
async fn itinerary(
    d: Driver,
    State(s): State<AppState>,
    Query(q): Query<DayQuery>,
) -> Result<Json<DriverDay>, ApiError> {
    let days = driver_days(&s, &d.0.account).await?;
    let today = super::public::today(&s);
    let wanted = q.date.map(|x| x.to_string());
    let day = days.into_iter().find(|day| match &wanted {
        Some(w) => day.date == *w,
        None => day.date >= today,
    });
    let day = day.ok_or_else(|| ApiError::not_found("この日の運行", "an itinerary for that day"))?;
    s.store.audit_read(&d.who(), &format!("itinerary/{}/{}", day.date, day.unit_id), "api").await?;
    Ok(Json(day))
}

/// The dates on which the unit runs in the published plan.
async fn days(d: Driver, State(s): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let days = driver_days(&s, &d.0.account).await?;
    let dates: Vec<&str> = days.iter().map(|day| day.date.as_str()).collect();
    Ok(Json(serde_json::json!({ "unit_id": d.0.account.unit_id, "dates": dates })))
}
