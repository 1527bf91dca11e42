//! Plan versions over the API (planners; reads also for viewers): solve in the
//! background, status and document, the review before publishing, publish, re-plan
//! around the announced calendar, and the requests still unserved.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;

use super::AppState;
use super::answers::PlanAnswer;
use super::auth::{Planner, Viewer};
use super::changes::{publish_plan, review_of};
use super::error::ApiError;
use super::planning::{begin_plan, begin_replan};
use super::store::{PlanColumn, PlanRow};
use crate::io::draft_review::DraftReview;
use crate::io::problem_file::HorizonChoice;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/plans", get(list_plans).post(start_plan))
        .route("/api/plans/{id}", get(plan_status))
        .route("/api/plans/{id}/plan.json", get(plan_document))
        .route("/api/plans/{id}/review", get(plan_review))
        .route("/api/plans/{id}/publish", post(publish))
        .route("/api/replan", post(start_replan))
        .route("/api/unserved", get(super::unserved::unserved))
}

/// `POST /api/plans` (every field optional; the body too).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanBody {
    /// Any date in the first week.
    week: Option<NaiveDate>,
    weeks: Option<u32>,
    seed: Option<u64>,
    /// Announced dates of the weeks to plan again (the others stay as announced).
    #[serde(default)]
    open: Vec<NaiveDate>,
}

async fn start_plan(p: Planner, State(s): State<AppState>, body: Option<Json<PlanBody>>) -> Result<Response, ApiError> {
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let choice = HorizonChoice::weeks(body.week, body.weeks, s.config.clock.today());
    let id = begin_plan(&s, &p.who(), choice, body.seed.unwrap_or(1), &body.open).await?;
    accepted(&s, id).await
}

async fn accepted(s: &AppState, id: i64) -> Result<Response, ApiError> {
    let row = s.store.plan(id).await?.ok_or_else(|| ApiError::internal("a new plan vanished"))?;
    let mut response = (StatusCode::ACCEPTED, Json(PlanAnswer::of(&row, s.jobs.progress(id)))).into_response();
    if let Ok(v) = format!("/api/plans/{id}").parse() {
        response.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    Ok(response)
}

/// `POST /api/replan` (every field optional; the body too).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplanBody {
    /// Re-optimise everything (and report changed windows) instead of keeping them.
    #[serde(default)]
    full: bool,
    seed: Option<u64>,
    /// Any date in the first week to re-plan (default: the latest publication's weeks).
    week: Option<NaiveDate>,
    weeks: Option<u32>,
}

async fn start_replan(
    p: Planner,
    State(s): State<AppState>,
    body: Option<Json<ReplanBody>>,
) -> Result<Response, ApiError> {
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let id = begin_replan(&s, &p.who(), body.full, body.seed.unwrap_or(1), body.week, body.weeks).await?;
    accepted(&s, id).await
}

async fn list_plans(_: Viewer, State(s): State<AppState>) -> Result<Json<Vec<PlanAnswer>>, ApiError> {
    let rows = s.store.plans().await?;
    Ok(Json(rows.iter().map(|r| PlanAnswer::of(r, s.jobs.progress(r.id))).collect()))
}

pub(crate) async fn find_plan(s: &AppState, id: i64) -> Result<PlanRow, ApiError> {
    s.store.plan(id).await?.ok_or_else(|| ApiError::not_found("計画", "plan"))
}

async fn plan_status(_: Viewer, State(s): State<AppState>, Path(id): Path<i64>) -> Result<Json<PlanAnswer>, ApiError> {
    let row = find_plan(&s, id).await?;
    Ok(Json(PlanAnswer::of(&row, s.jobs.progress(id))))
}

fn not_finished() -> ApiError {
    ApiError::conflict(
        ["計画はまだ完成していません", "the plan is not finished"],
        ["状態を確認してください", "check its status"],
    )
}

async fn plan_document(_: Viewer, State(s): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    find_plan(&s, id).await?;
    let text = s.store.plan_output(id, PlanColumn::PlanJson).await?.ok_or_else(not_finished)?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// What publishing plan `id` now would change of what is announced, with why, and what
/// the service would lose ([`DraftReview`]).
async fn plan_review(
    _: Planner,
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<DraftReview>, ApiError> {
    let row = find_plan(&s, id).await?;
    if s.store.plan_output(id, PlanColumn::PlanJson).await?.is_none() {
        return Err(not_finished());
    }
    Ok(Json(review_of(&s, &row).await?))
}

async fn publish(p: Planner, State(s): State<AppState>, Path(id): Path<i64>) -> Result<Json<PlanAnswer>, ApiError> {
    find_plan(&s, id).await?;
    publish_plan(&s, id, &p.who()).await?;
    let row = find_plan(&s, id).await?;
    Ok(Json(PlanAnswer::of(&row, None)))
}
