//! What residents were told against what a plan now says, over the announced calendar
//! ([`crate::io::announced`]): a draft against what is announced for its dates (before
//! publishing); publishing, with the calendar identities and the changes that follow from
//! what was announced until then; and the notices and call-list entries those changes
//! leave, shown while they are still true and their original date has not passed.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};

use super::AppState;
use super::error::ApiError;
use super::store::{AnnouncedChange, PlanColumn, PlanKind, PlanRow, PlanStatus, Publishing};
use crate::io::announced::Announced;
use crate::io::calendar_identity::{CalendarIds, EventId, first_uid_of, next_identities};
use crate::io::draft_review::{DraftReview, ReviewInput, review};
use crate::io::plan_diff::{BookingChange, PlanDiff, VisitChange, VisitRef, diff_visits, visit_refs};
use crate::io::plan_view::PlanView;

/// A stored plan's document.
pub(crate) async fn stored_plan(s: &AppState, id: i64) -> Result<PlanView, ApiError> {
    let text = s.store.plan_output(id, PlanColumn::PlanJson).await?.unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| ApiError::internal(&format!("stored plan {id}: {e}")))
}

/// What is announced from `from` on (without the crews' private itineraries).
pub(crate) async fn announced_from(s: &AppState, from: NaiveDate) -> Result<Announced, ApiError> {
    Ok(s.store.announced_from(from, false).await?)
}

/// The dates a publication of `plan` made today would take over: from today (the past
/// stays as it was announced) to the day after its last day.
fn dates_taken_over(plan: &PlanView, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let end = plan.first_monday + Duration::days(7 * i64::from(plan.weeks));
    (plan.first_monday.max(today), end)
}

/// What publishing `plan` today would replace and put in its place: the visits announced
/// on its dates (with their identities), and its own visits on those dates.
async fn before_and_after(
    s: &AppState,
    plan: &PlanView,
) -> Result<(Vec<VisitRef>, CalendarIds, Vec<VisitRef>), ApiError> {
    let (start, end) = dates_taken_over(plan, s.config.clock.today());
    let announced = s.store.announced(start, end - Duration::days(1), false).await?;
    let (before, ids) = announced.on_dates(start, end);
    let within = |v: &VisitRef| v.date >= start.to_string() && v.date < end.to_string();
    let after = visit_refs(plan).into_iter().filter(within).collect();
    Ok((before, ids, after))
}

/// Days back to which announced visits count as serving a request.
const SERVED_SINCE_DAYS: i64 = 90;

/// The requests that announced visits serve on dates a plan of `monday..end` would not
/// take over (before today, or outside its weeks): planning them again would book them
/// twice.
pub(crate) async fn served_elsewhere(
    s: &AppState,
    monday: NaiveDate,
    end: NaiveDate,
) -> Result<HashSet<String>, ApiError> {
    let today = s.config.clock.today();
    let taken = |d: NaiveDate| d >= monday.max(today) && d < end;
    let announced = s.store.announced_from(today - chrono::Duration::days(SERVED_SINCE_DAYS), false).await?;
    Ok(announced
        .days()
        .into_iter()
        .filter(|(_, day)| !taken(day.date))
        .flat_map(|(_, day)| day.routes.iter().flat_map(|r| &r.visits).flat_map(|v| &v.requests))
        .map(|r| r.id.clone())
        .collect())
}

/// What publishing plan `row` now would change for its dates from today on, with why, and
/// what the service would lose ([`crate::io::draft_review`]).
pub(crate) async fn review_of(s: &AppState, row: &PlanRow) -> Result<DraftReview, ApiError> {
    let (before, _, after) = before_and_after(s, &stored_plan(s, row.id).await?).await?;
    let diff = diff_visits(&before, &after);
    let mountainous: HashSet<String> =
        s.store.stops().await?.into_iter().filter(|stop| stop.is_mountainous()).map(|stop| stop.id).collect();
    let (changed, shortfalls) = row.summary().map(|s| (s.changed_windows, s.shortfalls)).unwrap_or_default();
    let cause_of = |v: &VisitRef| {
        let window = (v.from.clone(), v.to.clone());
        let reported = changed.iter();
        reported.filter(|c| c.date == v.date && c.stop_id == v.stop_id && c.published == window).map(|c| c.cause).next()
    };
    Ok(review(&ReviewInput {
        before: &before,
        after: &after,
        diff: &diff,
        mountainous: &mountainous,
        shortfalls: &shortfalls,
        cause_of: &cause_of,
        full: row.kind != PlanKind::Replan,
    }))
}

/// Publishes plan `id` (a draft, or a superseded version again) for its dates from today
/// on, with its calendar identities and its changes, both against what was announced for
/// those dates until now: calendar apps update their events, and notices and call lists
/// name exactly what changed, however plans of other dates are published meanwhile.
pub(crate) async fn publish_plan(s: &AppState, id: i64, who: &str) -> Result<(), ApiError> {
    // One publication at a time, so that "what is announced until now" stays so.
    let _guard = s.jobs.write_lock.lock().await;
    let row = s.store.plan(id).await?;
    if !row.is_some_and(|p| matches!(p.status, PlanStatus::Draft | PlanStatus::Superseded)) {
        return published(s.store.publish(id, who, "", &PlanDiff::default()).await?);
    }
    let plan = stored_plan(s, id).await?;
    let missing = deleted_since(s, &plan).await?;
    if !missing.is_empty() {
        return Err(ApiError::plan_uses_deleted(&missing));
    }
    let (before, ids, after) = before_and_after(s, &plan).await?;
    let (start, end) = dates_taken_over(&plan, s.config.clock.today());
    // A plan made (or first published) before other dates were announced may book a
    // request that an announced visit of those dates serves now.
    let elsewhere = served_elsewhere(s, start, end).await?;
    let mut twice: Vec<&str> =
        after.iter().flat_map(|v| &v.requests).filter(|r| elsewhere.contains(*r)).map(String::as_str).collect();
    twice.sort_unstable();
    twice.dedup();
    if !twice.is_empty() {
        return Err(ApiError::booked_twice(&twice));
    }
    let taken = next_identities(&before, &ids, &after, &uids_elsewhere(s, start, end).await?);
    let calendar = CalendarIds { ids: aligned_ids(&visit_refs(&plan), &after, taken.ids), cancelled: taken.cancelled };
    let json = serde_json::to_string(&calendar).map_err(|e| ApiError::internal(&e.to_string()))?;
    published(s.store.publish(id, who, &json, &diff_visits(&before, &after)).await?)
}

/// The store's outcome of a publication as the service's answer.
fn published(outcome: Publishing) -> Result<(), ApiError> {
    match outcome {
        Publishing::Published => Ok(()),
        Publishing::NotPublishable => Err(ApiError::conflict(
            [
                "公開できるのは完成した下書きか、以前に公開した版だけです",
                "only a finished draft or a superseded version can be published",
            ],
            ["GET /api/plans/{id} で状態を確認してください", "check its status with GET /api/plans/{id}"],
        )),
        Publishing::Past => Err(ApiError::conflict(
            [
                "この計画の期間はもう終わっています（住民には何も表示されません）",
                "this plan's last day has passed (residents would see nothing)",
            ],
            ["今日以降の週で計画を作成してください", "make a plan for a week from today on"],
        )),
    }
}

/// The stops and units `plan` uses that are no longer in the data set.
async fn deleted_since(s: &AppState, plan: &PlanView) -> Result<Vec<String>, ApiError> {
    let stops: HashSet<String> = s.store.stops().await?.into_iter().map(|stop| stop.id).collect();
    let units: HashSet<String> = s.store.units().await?.into_iter().map(|unit| unit.id).collect();
    let routes = plan.days.iter().flat_map(|d| &d.routes);
    let mut missing: Vec<String> = routes
        .flat_map(|r| {
            let unit = (!units.contains(&r.vehicle_id)).then(|| r.vehicle_id.clone());
            let halls = r.visits.iter().filter_map(|v| v.stop_id.clone()).filter(|id| !stops.contains(id));
            unit.into_iter().chain(halls)
        })
        .collect();
    missing.sort();
    missing.dedup();
    Ok(missing)
}

/// The calendar UIDs of events announced (or cancelled) on dates outside `start..end`.
async fn uids_elsewhere(s: &AppState, start: NaiveDate, end: NaiveDate) -> Result<Vec<String>, ApiError> {
    let since = s.config.clock.today() - Duration::days(crate::io::announced::RECENT_DAYS);
    let announced = announced_from(s, since).await?;
    let outside = |v: &VisitRef| v.date < start.to_string() || v.date >= end.to_string();
    let events = announced.visits().into_iter().chain(announced.cancelled_events());
    Ok(events.filter(|(v, _)| outside(v)).map(|(_, id)| id.uid).collect())
}

/// Identities for every visit of a plan (`all`, in order) from those of the visits it
/// takes over (`taken`, a sub-sequence of `all`, with `ids`); the others (days before the
/// publication, never shown) get their first identity.
fn aligned_ids(all: &[VisitRef], taken: &[VisitRef], ids: Vec<EventId>) -> Vec<EventId> {
    let mut next = taken.iter().zip(ids).peekable();
    all.iter()
        .map(|v| match next.peek() {
            Some((t, _)) if *t == v => next.next().map(|(_, id)| id).expect("peeked"),
            _ => EventId { uid: first_uid_of(v), sequence: 0 },
        })
        .collect()
}

/// The visits announced now (for checking which stored changes are still true).
fn announced_visits(announced: &Announced) -> Vec<VisitRef> {
    announced.visits().into_iter().map(|(v, _)| v).collect()
}

/// Notices for residents: each announced visit that a publication moved or cancelled,
/// with where it went in the end (following later moves), while that is still true (the
/// old visit is not announced again, the new one still is) and its old or new date is
/// `today` or later.
pub(crate) fn visit_notices(changes: &[AnnouncedChange], announced: &Announced, today: NaiveDate) -> Vec<VisitChange> {
    let now = announced_visits(announced);
    let is_announced = |v: &VisitRef| now.iter().any(|a| a.same_visit(v));
    let moves: Vec<&AnnouncedChange> = changes.iter().filter(|c| c.request.is_none()).collect();
    let mut out: Vec<VisitChange> = Vec::new();
    let ahead = |v: &VisitRef| v.date >= today.to_string();
    for (i, c) in moves.iter().enumerate() {
        if is_announced(&c.before) {
            continue;
        }
        let mut went = c.after.clone();
        for later in &moves[i + 1..] {
            if went.as_ref().is_some_and(|w| later.before.same_visit(w)) {
                went = later.after.clone();
            }
        }
        if !ahead(&c.before) && !went.as_ref().is_some_and(ahead) {
            continue;
        }
        // A visit announced at the same place on the same day replaces a cancelled one (as
        // a difference pairs them): residents would otherwise read "cancelled" beside it.
        let same_day = |v: &VisitRef| {
            let on_day = now.iter().filter(|a| a.stop_id.is_some() && a.stop_id == v.stop_id && a.date == v.date);
            on_day.min_by_key(|a| (a.from != v.from, a.from.clone()))
        };
        let change = match went {
            Some(to) if is_announced(&to) => VisitChange::Moved { from: c.before.clone(), to },
            Some(_) => continue,
            None => match same_day(&c.before) {
                Some(to) => VisitChange::Moved { from: c.before.clone(), to: to.clone() },
                None => VisitChange::Cancelled(c.before.clone()),
            },
        };
        if !out.contains(&change) {
            out.push(change);
        }
    }
    out
}

/// The call list: each booking on `today` or later whose announced visit a publication
/// moved or took away, with the visit announced for it now (`None`: none), while it
/// still differs from what the resident was told. Newest publication first.
pub(crate) fn booking_changes(
    changes: &[AnnouncedChange],
    announced: &Announced,
    today: NaiveDate,
) -> Vec<BookingChange> {
    let now = announced_visits(announced);
    let mut out: Vec<BookingChange> = Vec::new();
    for c in changes.iter().rev() {
        let Some(request) = &c.request else { continue };
        if c.before.date < today.to_string() {
            continue;
        }
        let current = now.iter().find(|v| v.requests.contains(request)).cloned();
        if current.as_ref().is_some_and(|v| v.same_visit(&c.before)) {
            continue;
        }
        if !out.iter().any(|b| b.request == *request && b.from == c.before) {
            out.push(BookingChange { request: request.clone(), from: c.before.clone(), to: current });
        }
    }
    out
}

/// The call list of today (see [`booking_changes`]).
pub(crate) async fn current_booking_changes(s: &AppState) -> Result<Vec<BookingChange>, ApiError> {
    let today = s.config.clock.today();
    let announced = announced_from(s, today).await?;
    let changes = s.store.announced_changes(today).await?;
    Ok(booking_changes(&changes, &announced, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::plan_diff::sample_visit as visit;

    fn change(sequence: i64, before: VisitRef, after: Option<VisitRef>, request: Option<&str>) -> AnnouncedChange {
        AnnouncedChange { plan_id: sequence, sequence, request: request.map(str::to_string), before, after }
    }

    #[test]
    fn notices_follow_later_moves_and_vanish_when_untrue() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let tue = visit("sayado", "2026-12-08", "09:00", &["R1"]);
        let wed = visit("sayado", "2026-12-09", "09:00", &["R1"]);
        let thu = visit("sayado", "2026-12-10", "09:00", &["R1"]);
        let changes = vec![
            change(1, tue.clone(), Some(wed.clone()), None),
            change(1, tue.clone(), Some(wed.clone()), Some("R1")),
            change(2, wed.clone(), Some(thu.clone()), None),
            change(2, wed.clone(), Some(thu.clone()), Some("R1")),
        ];
        let announced_now = |visits: Vec<VisitRef>| {
            // An announced calendar holding exactly `visits`: the notice logic only asks
            // which visits are announced.
            crate::io::announced::tests_support::announced_with(&visits)
        };
        let now = announced_now(vec![thu.clone()]);
        let notices = visit_notices(&changes, &now, today);
        assert_eq!(
            notices,
            vec![
                VisitChange::Moved { from: tue.clone(), to: thu.clone() },
                VisitChange::Moved { from: wed.clone(), to: thu.clone() }
            ]
        );
        let calls = booking_changes(&changes, &now, today);
        assert_eq!(calls.len(), 2, "both visits the resident may have been told of");
        assert!(calls.iter().all(|b| b.to.as_ref() == Some(&thu)));
        // Moved back to Tuesday: nothing about Tuesday is true any more.
        let back = announced_now(vec![tue.clone()]);
        let notices = visit_notices(&changes, &back, today);
        assert!(notices.iter().all(|n| !matches!(n, VisitChange::Moved { from, .. } if *from == tue)), "{notices:?}");
        assert!(booking_changes(&changes, &back, today).iter().all(|b| b.from != tue));
        // Once both Tuesday and Thursday have passed, the notice is gone.
        let on_wednesday = NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
        assert_eq!(visit_notices(&changes, &now, on_wednesday).len(), 2, "kept while the new date is ahead");
        let later = NaiveDate::from_ymd_opt(2026, 12, 11).unwrap();
        assert!(
            visit_notices(&changes, &now, later)
                .iter()
                .all(|n| !matches!(n, VisitChange::Moved { from, .. } if *from == tue))
        );
    }
}
