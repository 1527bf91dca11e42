//! Starting plans and re-plans from the data set and the announced calendar
//! ([`crate::io::announced`]): a plan leaves out the requests that announced visits of
//! other dates serve; a re-plan starts from what is announced on its weeks.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::AppState;
use super::changes::served_elsewhere;
use super::error::ApiError;
use super::jobs::{Task, launch};
use super::store::PlanKind;
use crate::diagnostics::Diagnostic;
use crate::io::problem_file::{Documents, HorizonChoice, parse};
use crate::io::published_plan::parse_published;

/// The documents without the requests `served` (in the problem file and the requests file).
fn without_requests(mut docs: Documents, served: &HashSet<String>) -> Documents {
    let keep = |list: &mut Value| {
        if let Some(items) = list.as_array_mut() {
            items.retain(|r| r["id"].as_str().is_none_or(|id| !served.contains(id)));
        }
    };
    if let Some(list) = docs.problem.1.get_mut("requests") {
        keep(list);
    }
    if let Some(list) = docs.requests.as_mut().and_then(|(_, doc)| doc.get_mut("requests")) {
        keep(list);
    }
    docs
}

/// Starts a plan of the current data for `choice` in the background (without the requests
/// announced visits of other dates serve); returns its id.
pub(crate) async fn begin_plan(s: &AppState, who: &str, choice: HorizonChoice, seed: u64) -> Result<i64, ApiError> {
    let permit = s.jobs.try_reserve().ok_or_else(ApiError::busy)?;
    let docs = s.store.documents().await?;
    let data = parse(&docs, choice).map_err(ApiError::invalid)?;
    let monday = data.calendar.first_monday;
    let end = monday + chrono::Duration::days(7 * i64::from(data.calendar.weeks));
    let docs = without_requests(docs, &served_elsewhere(s, monday, end).await?);
    let id = s.store.create_plan(PlanKind::Plan, None, &monday.to_string(), data.calendar.weeks, seed, who).await?;
    let choice = HorizonChoice::weeks(Some(monday), Some(data.calendar.weeks), choice.today).from_today();
    launch(s.clone(), permit, id, docs, choice, Task::Plan, seed);
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
    let text = serde_json::to_string(&view).map_err(|e| ApiError::internal(&e.to_string()))?;
    let published = parse_published(&text, &label).map_err(|d| ApiError::invalid(vec![d]))?;
    let permit = s.jobs.try_reserve().ok_or_else(ApiError::busy)?;
    let served = served_elsewhere(s, monday, end + chrono::Duration::days(1)).await?;
    let docs = without_requests(s.store.documents().await?, &served);
    let kind = if full { PlanKind::Full } else { PlanKind::Replan };
    let based_on = announced.latest().map(|p| p.plan_id);
    let id = s.store.create_plan(kind, based_on, &monday.to_string(), weeks, seed, who).await?;
    let task = if full { Task::Full(published) } else { Task::Replan(published) };
    launch(s.clone(), permit, id, docs, HorizonChoice::from_file(s.config.clock.today()).from_today(), task, seed);
    Ok(id)
}
