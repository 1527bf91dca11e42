//! Driver routes (driver accounts): the itinerary of the driver's unit for an announced
//! day ([`crate::io::announced`]: each date from the latest publication covering it) — stops in order with times, requests with residents' names, what to
//! bring, the route as GeoJSON and navigation links. A driver bound to a unit sees that
//! unit's days; one without sees the days a planner assigned them to a unit. Every read of
//! an itinerary (it holds residents' names and phones) is audited.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;

use super::AppState;
use super::answers::DriverDays;
use super::auth::{Account, Driver};
use super::error::ApiError;
use crate::io::driver_day::DriverDay;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/driver/itinerary", get(itinerary)).route("/api/driver/days", get(days))
}

/// Days before today that a crew's phone may still ask for (records are kept offline and
/// sent later).
const PAST_DAYS_KEPT: i64 = 14;

/// Every announced crew day from `from` to `to` (none before the first publication).
pub(super) async fn announced_days(s: &AppState, from: NaiveDate, to: NaiveDate) -> Result<Vec<DriverDay>, ApiError> {
    let announced = s.store.announced(from, to, true).await?;
    let days = announced.itineraries().map_err(|e| ApiError::internal(&format!("stored itineraries: {e}")))?;
    let within = |d: &DriverDay| NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").is_ok_and(|x| from <= x && x <= to);
    Ok(days.into_iter().filter(within).collect())
}

/// Every announced crew day from a fortnight ago on.
pub(super) async fn current_days(s: &AppState) -> Result<Vec<DriverDay>, ApiError> {
    let from = s.config.clock.today() - chrono::Duration::days(PAST_DAYS_KEPT);
    announced_days(s, from, NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date")).await
}

/// The announced days that `account` drives, by date.
pub(super) async fn driver_days(s: &AppState, account: &Account) -> Result<Vec<DriverDay>, ApiError> {
    let all = current_days(s).await?;
    driven(s, account, all).await
}

/// The announced crew days of `from..=to` that `account` drives (a day's records find
/// their day after next week's plan is published).
pub(super) async fn recordable_days(
    s: &AppState,
    account: &Account,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DriverDay>, ApiError> {
    let days = announced_days(s, from, to).await?;
    driven(s, account, days).await
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
    let days = match q.date {
        // One day asked: only the publications that day reads from.
        Some(date) => recordable_days(&s, &d.0.account, date, date).await?,
        None => driver_days(&s, &d.0.account).await?,
    };
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

/// The announced dates on which the unit runs.
async fn days(d: Driver, State(s): State<AppState>) -> Result<Json<DriverDays>, ApiError> {
    let days = driver_days(&s, &d.0.account).await?;
    let dates = days.into_iter().map(|day| day.date).collect();
    Ok(Json(DriverDays { unit_id: d.0.account.unit_id.clone(), dates }))
}
