//! Starting plans and re-plans from the data set and the announced calendar
//! ([`crate::io::announced`]): a plan leaves out the requests that announced visits of
//! other dates serve, keeps its dates with announced visits locked unless the planner
//! opens them, and counts the visits announced around it toward the visit rules; a
//! re-plan starts from what is announced on its weeks.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::AppState;
use super::changes::served_elsewhere;
use super::error::ApiError;
use super::jobs::{Task, launch};
use super::store::PlanKind;
use crate::diagnostics::Diagnostic;
use crate::io::plan_view::PlanView;
use crate::io::problem_file::{AnnouncedVisit, Documents, HorizonChoice, parse};
use crate::io::published_plan::{PublishedPlan, parse_published};

/// The documents without the requests `served` (in the problem file and the requests file).
fn without_requests(mut docs: Documents, served: &HashSet<String>) -> Documents {
    docs.leave_out_requests(|id| served.contains(id));
    docs
}

/// The visits at stops announced around the weeks `monday..end` on dates the plan does not
/// decide — the week before and the week after, and the dates before `decided_from` — for
/// the visit rules (spacing across the week boundary, the week's minimum and maximum).
async fn announced_around(
    s: &AppState,
    monday: NaiveDate,
    end: NaiveDate,
    decided_from: NaiveDate,
) -> Result<Vec<AnnouncedVisit>, ApiError> {
    let week = chrono::Duration::days(7);
    let announced = s.store.announced(monday - week, end + week, false).await?;
    let decided = |d: NaiveDate| decided_from <= d && d < end;
    Ok(announced
        .visits()
        .into_iter()
        .filter_map(|(v, _)| Some(AnnouncedVisit { stop_id: v.stop_id?, date: v.date.parse().ok()? }))
        .filter(|v| v.date >= monday - week && v.date < end + week && !decided(v.date))
        .collect())
}

/// A plan view as the published plan a re-plan starts from.
fn as_published(view: &PlanView, label: &str) -> Result<PublishedPlan, ApiError> {
    let text = serde_json::to_string(view).map_err(|e| ApiError::internal(&e.to_string()))?;
    parse_published(&text, label).map_err(|d| ApiError::invalid(vec![d]))
}

/// Starts a plan of the current data for `choice` in the background; returns its id.
/// Dates of its weeks with announced visits (from today on) are locked — their visits stay
/// exactly as announced and nothing new goes there — except those in `open`, which are
/// planned again. Requests that announced visits of other dates serve are left out, and
/// the visits announced around the plan count toward the visit rules.
pub(crate) async fn begin_plan(
    s: &AppState,
    who: &str,
    choice: HorizonChoice,
    seed: u64,
    open: &[NaiveDate],
) -> Result<i64, ApiError> {
    let permit = s.jobs.try_reserve().ok_or_else(ApiError::busy)?;
    let docs = s.store.documents().await?;
    let data = parse(&docs, choice).map_err(ApiError::invalid)?;
    let (monday, weeks) = (data.calendar.first_monday, data.calendar.weeks);
    let end = monday + chrono::Duration::days(7 * i64::from(weeks));
    let from = monday.max(choice.today);
    let announced = s.store.announced(from, end - chrono::Duration::days(1), false).await?;
    let locked: Vec<NaiveDate> = from
        .iter_days()
        .take_while(|d| *d < end)
        .filter(|d| announced.day(*d).is_some_and(|day| !day.routes.is_empty()) && !open.contains(d))
        .collect();
    let task = match announced.view_of(monday, weeks) {
        Some(mut view) if !locked.is_empty() => {
            view.days.retain(|d| locked.contains(&d.date));
            Task::Replan(as_published(&view, &format!("announced {monday}"))?)
        }
        _ => Task::Plan,
    };
    let mut docs = without_requests(docs, &served_elsewhere(s, monday, end).await?);
    docs.announced.visits = announced_around(s, monday, end, from).await?;
    docs.announced.locked = locked;
    let id = s.store.create_plan(PlanKind::Plan, None, &monday.to_string(), weeks, seed, who).await?;
    let choice = HorizonChoice::weeks(Some(monday), Some(weeks), choice.today).from_today();
    launch(s.clone(), permit, id, docs, choice, task, seed);
    Ok(id)
}

/// The weeks a re-plan covers: `week` and `weeks` when given, else those of the latest
/// publication.
async fn replan_weeks(s: &AppState, week: Option<NaiveDate>, weeks: Option<u32>) -> Result<(NaiveDate, u32), ApiError> {
    let latest = s.store.published_id().await?;
    let row = match latest {
        Some(id) => s.store.plan(id).await?,
        None => None,
    };
    let Some(row) = row else {
        return Err(ApiError::conflict(
            ["お知らせ済みの計画がありません", "nothing is announced yet"],
            ["計画を作成して公開してから再計画してください", "make and publish a plan first"],
        ));
    };
    let first = week.unwrap_or_else(|| row.first_monday.parse().unwrap_or_else(|_| s.config.clock.today()));
    let monday = first - chrono::Duration::days(i64::from(first.weekday().num_days_from_monday()));
    Ok((monday, weeks.unwrap_or(u32::try_from(row.weeks).unwrap_or(1))))
}

/// Starts a re-plan of the announced calendar's weeks from `week` (see [`replan_weeks`])
/// with the current requests (`full`: from scratch, reporting changed windows); its id.
pub(crate) async fn begin_replan(
    s: &AppState,
    who: &str,
    full: bool,
    seed: u64,
    week: Option<NaiveDate>,
    weeks: Option<u32>,
) -> Result<i64, ApiError> {
    let (monday, weeks) = replan_weeks(s, week, weeks).await?;
    if !(1..=8).contains(&weeks) {
        return Err(ApiError::invalid(vec![Diagnostic::weeks_out_of_range("weeks", i64::from(weeks))]));
    }
    let end = monday + chrono::Duration::days(7 * i64::from(weeks) - 1);
    let announced = s.store.announced(monday, end, false).await?;
    let label = format!("announced {monday}");
    let Some(view) = announced.view_of(monday, weeks) else {
        return Err(ApiError::conflict(
            ["この期間にお知らせ済みの予定がありません", "nothing is announced for these weeks"],
            ["期間を確かめるか、新しく計画を作成してください", "check the weeks, or make a new plan"],
        ));
    };
    let published = as_published(&view, &label)?;
    let permit = s.jobs.try_reserve().ok_or_else(ApiError::busy)?;
    let served = served_elsewhere(s, monday, end + chrono::Duration::days(1)).await?;
    let mut docs = without_requests(s.store.documents().await?, &served);
    // A re-plan keeps the announced visits of its own weeks (days passed included); a full
    // re-optimisation decides its weeks from today on.
    let decided_from = if full { monday.max(s.config.clock.today()) } else { monday };
    docs.announced.visits = announced_around(s, monday, end + chrono::Duration::days(1), decided_from).await?;
    let kind = if full { PlanKind::Full } else { PlanKind::Replan };
    let based_on = announced.latest().map(|p| p.plan_id);
    let id = s.store.create_plan(kind, based_on, &monday.to_string(), weeks, seed, who).await?;
    let task = if full { Task::Full(published) } else { Task::Replan(published) };
    launch(s.clone(), permit, id, docs, HorizonChoice::from_file(s.config.clock.today()).from_today(), task, seed);
    Ok(id)
}
