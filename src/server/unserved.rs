//! `GET /api/unserved`: the requests still waiting for a visit across the announced
//! calendar ([`crate::io::announced`]), each with the reason the newest published plan
//! that left it unserved gave.

use std::collections::HashSet;

use axum::Json;
use axum::extract::State;

use super::AppState;
use super::answers::UnservedAnswer;
use super::auth::Viewer;
use super::error::ApiError;
use super::store::{PlanRow, PlanStatus};
use crate::io::plan_view::UnservedView;

/// The requests still waiting for a visit, each with the reason of the newest published
/// plan that left it unserved: still open (its last date not passed), and served by no
/// visit announced from today on. With nothing published, the newest draft's list.
pub(crate) async fn unserved(_: Viewer, State(s): State<AppState>) -> Result<Json<UnservedAnswer>, ApiError> {
    let rows = s.store.plans().await?;
    let published: Vec<&PlanRow> =
        rows.iter().filter(|r| matches!(r.status, PlanStatus::Published | PlanStatus::Superseded)).collect();
    let chosen = match published.first() {
        Some(_) => published,
        None => rows.iter().find(|r| r.status == PlanStatus::Draft).into_iter().collect(),
    };
    let Some(newest) = chosen.first() else {
        return Ok(Json(UnservedAnswer { plan: None, status: None, unserved: Vec::new() }));
    };
    let today = s.config.clock.today();
    let announced = s.store.announced_from(today, false).await?;
    let served: HashSet<String> = announced.visits().into_iter().flat_map(|(v, _)| v.requests).collect();
    let open: HashSet<String> =
        s.store.requests().await?.into_iter().filter(|r| r.latest >= today).map(|r| r.id).collect();
    let mut listed = HashSet::new();
    let unserved: Vec<UnservedView> = chosen
        .iter()
        .flat_map(|row| row.summary().map(|s| s.unserved).unwrap_or_default())
        .filter(|u| open.contains(&u.id) && !served.contains(&u.id) && listed.insert(u.id.clone()))
        .collect();
    Ok(Json(UnservedAnswer { plan: Some(newest.id), status: Some(newest.status), unserved }))
}
