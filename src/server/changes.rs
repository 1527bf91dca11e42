//! What residents were told against what a plan now says: the published plan against the
//! one it replaced (for the call list and the public change notices), a draft against the
//! published plan (before publishing), and publishing with the calendar identities that
//! follow from the plan published until then.

use super::AppState;
use super::error::ApiError;
use super::store::{PlanColumn, PlanStatus, Publishing};
use crate::io::calendar_identity::{CalendarIds, event_ids, first_identities, next_identities};
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

/// Published versions looked back on for the calendar identities of a plan published
/// before identities were stored with it.
const LEGACY_HISTORY: usize = 8;

/// The calendar identities stored with published plan `id` (whose view is `plan`); for a
/// plan published before they were stored, recomputed from the publications before it.
pub(crate) async fn calendar_of(s: &AppState, id: i64, plan: &PlanView) -> Result<CalendarIds, ApiError> {
    if let Some(ids) = s.store.plan_calendar(id).await?.and_then(|text| serde_json::from_str(&text).ok()) {
        return Ok(ids);
    }
    Ok(event_ids(&published_chain(s, id, plan, LEGACY_HISTORY).await?))
}

/// Publishes plan `id` (a draft, or a superseded version again) with its calendar
/// identities, computed from the plan published until now: calendar apps then update their
/// events, however often plans are published or rolled back.
pub(crate) async fn publish_plan(s: &AppState, id: i64, who: &str) -> Result<Publishing, ApiError> {
    // One publication at a time, so that "the plan published until now" stays so.
    let _guard = s.jobs.write_lock.lock().await;
    let publishable = s
        .store
        .plans()
        .await?
        .iter()
        .any(|p| p.id == id && matches!(p.status, PlanStatus::Draft | PlanStatus::Superseded));
    if !publishable {
        return Ok(s.store.publish(id, who, "").await?);
    }
    let newest = visit_refs(&stored_plan(s, id).await?);
    let calendar = match s.store.published_id().await?.filter(|&now| now != id) {
        None => first_identities(&newest),
        Some(now) => {
            let plan = stored_plan(s, now).await?;
            next_identities(&visit_refs(&plan), &calendar_of(s, now, &plan).await?, &newest)
        }
    };
    let json = serde_json::to_string(&calendar).map_err(|e| ApiError::internal(&e.to_string()))?;
    Ok(s.store.publish(id, who, &json).await?)
}
