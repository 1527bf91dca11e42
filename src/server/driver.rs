//! Driver routes (a token per unit): the unit's itinerary for a day of the published
//! plan — stops in order with times, requests with residents' names, what to bring, the
//! route as GeoJSON and navigation links.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

use super::AppState;
use super::auth::Driver;
use super::error::ApiError;
use super::store::PlanColumn;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/driver/itinerary", get(itinerary)).route("/api/driver/days", get(days))
}

/// The published plan's itineraries of one unit.
async fn unit_days(s: &AppState, unit: &str) -> Result<Vec<Value>, ApiError> {
    let Some(id) = s.store.published_id().await? else { return Ok(Vec::new()) };
    let text = s.store.plan_output(id, PlanColumn::Itineraries).await?.unwrap_or_default();
    let all: Vec<Value> = serde_json::from_str(&text).unwrap_or_default();
    Ok(all.into_iter().filter(|d| d.get("unit_id").and_then(Value::as_str) == Some(unit)).collect())
}

#[derive(Debug, Deserialize)]
struct DayQuery {
    date: Option<NaiveDate>,
}

/// The itinerary of `date` (default: the unit's next working day from today, JST).
async fn itinerary(d: Driver, State(s): State<AppState>, Query(q): Query<DayQuery>) -> Result<Json<Value>, ApiError> {
    let days = unit_days(&s, &d.unit).await?;
    let today = super::public::today();
    let wanted = q.date.map(|x| x.to_string());
    let day = days.into_iter().find(|day| {
        let date = day.get("date").and_then(Value::as_str).unwrap_or_default();
        match &wanted {
            Some(w) => date == w,
            None => date >= today.as_str(),
        }
    });
    day.map(Json).ok_or_else(|| ApiError::not_found("この日の運行", "an itinerary for that day"))
}

/// The dates on which the unit runs in the published plan.
async fn days(d: Driver, State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let dates: Vec<Value> = unit_days(&s, &d.unit).await?.iter().filter_map(|day| day.get("date").cloned()).collect();
    Ok(Json(serde_json::json!({ "unit_id": d.unit, "dates": dates })))
}
