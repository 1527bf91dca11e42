//! What residents were told against what a plan now says: the published plan against the
//! one it replaced (for the call list and the public change notices), and a draft against
//! the published plan (before publishing).

use super::AppState;
use super::error::ApiError;
use super::store::PlanColumn;
use crate::io::plan_diff::{PlanDiff, VisitRef, plan_diff, visit_refs};
use crate::io::plan_view::PlanView;

/// A stored plan's document.
pub(crate) async fn stored_plan(s: &AppState, id: i64) -> Result<PlanView, ApiError> {
    let text = s.store.plan_output(id, PlanColumn::PlanJson).await?.unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| ApiError::internal(&format!("stored plan {id}: {e}")))
}

/// The visits of the published plan `id` and of the plans it replaced, oldest first (at
/// most `depth` versions), for calendar identities.
pub(crate) async fn published_chain(
    s: &AppState,
    id: i64,
    newest: &PlanView,
    depth: usize,
) -> Result<Vec<Vec<VisitRef>>, ApiError> {
    let mut chain = vec![visit_refs(newest)];
    let mut at = id;
    while chain.len() < depth {
        let Some(before) = s.store.previous_published(at).await? else { break };
        chain.push(visit_refs(&stored_plan(s, before).await?));
        at = before;
    }
    chain.reverse();
    Ok(chain)
}

/// The changes the published plan made to the plan published before it (`None` when
/// nothing is published, or it was the first).
pub(crate) async fn published_changes(s: &AppState) -> Result<Option<PlanDiff>, ApiError> {
    let Some(now) = s.store.published_id().await? else { return Ok(None) };
    let Some(before) = s.store.previous_published(now).await? else { return Ok(None) };
    Ok(Some(plan_diff(&stored_plan(s, before).await?, &stored_plan(s, now).await?)))
}

/// The changes publishing `draft` would make (`None` when nothing is published yet).
pub(crate) async fn changes_if_published(s: &AppState, draft: i64) -> Result<Option<PlanDiff>, ApiError> {
    let Some(now) = s.store.published_id().await?.filter(|&p| p != draft) else { return Ok(None) };
    Ok(Some(plan_diff(&stored_plan(s, now).await?, &stored_plan(s, draft).await?)))
}
