//! The planning pipeline shared by the CLI and the service: documents → validated data →
//! travel matrix → plan (or re-plan around a published plan) → independent check → the
//! plan's view, ready for the writers.

use std::path::Path;
use std::time::Duration;

use junkai_solver::check::check;
use junkai_solver::plan::Plan;
use junkai_solver::weekly::{ChangedWindow, PlanParams, PlanProgress, beside_promises, changed_windows, plan, replan};

use crate::diagnostics::Diagnostic;
use crate::io::plan_view::PlanView;
use crate::io::problem_file::{Dataset, Documents, HorizonChoice, parse};
use crate::io::published_plan::{PublishedPlan, Resolved};
use crate::io::travel::{Travel, travel};

/// What to plan.
#[derive(Clone, Copy)]
pub enum Mode<'a> {
    /// A new plan.
    Plan,
    /// Keep the published plan's windows and fit in what changed.
    Replan(&'a PublishedPlan),
    /// Plan from scratch, and compare with the published plan.
    Full(&'a PublishedPlan),
}

/// A checked plan and everything derived from it.
pub struct Planned {
    pub data: Dataset,
    pub travel: Travel,
    pub plan: Plan,
    pub view: PlanView,
    /// For re-planning: the published windows this plan does not keep, the number of
    /// published visits, and the requests the published plan served that are gone.
    pub changed: Vec<ChangedWindow>,
    pub published_visits: usize,
    pub cancelled: Vec<String>,
}

/// Why no plan came out.
#[derive(Debug)]
pub enum PipelineError {
    /// Bad input: coded diagnostics.
    Input(Vec<Diagnostic>),
    /// The plan failed the independent check (a bug): the violations.
    Check(Vec<String>),
}

/// Runs the pipeline. `folder` is the data folder (for a road file it names), `label` the
/// published plan's name in messages; `time_limit`, if any, is shared by the horizon's
/// days (each day's routing gets its share).
#[allow(clippy::too_many_arguments)]
pub fn run(
    docs: &Documents,
    choice: HorizonChoice,
    folder: Option<&Path>,
    mode: Mode,
    params: &PlanParams,
    time_limit: Option<Duration>,
    label: &str,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<Planned, PipelineError> {
    let choice = match mode {
        Mode::Plan => choice,
        Mode::Replan(p) | Mode::Full(p) => {
            HorizonChoice { week_of: Some(p.first_monday), weeks: Some(p.weeks), ..choice }
        }
    };
    let mut data = parse(docs, choice).map_err(PipelineError::Input)?;
    let Resolved { routes, cancelled } = match mode {
        Mode::Plan => Resolved { routes: Vec::new(), cancelled: Vec::new() },
        Mode::Replan(p) | Mode::Full(p) => p.resolve(&data, label).map_err(PipelineError::Input)?,
    };
    if matches!(mode, Mode::Replan(_)) {
        data.problem =
            beside_promises(&data.problem, &routes).map_err(|e| PipelineError::Check(vec![e.to_string()]))?;
    }
    let travel = travel(&data, folder).map_err(PipelineError::Input)?;
    let problem = &data.problem;
    let mut params = *params;
    if let Some(limit) = time_limit {
        params.search.time_limit = Some(limit / problem.horizon().days.len().max(1) as u32);
    }
    let params = &params;
    let result = match mode {
        Mode::Plan | Mode::Full(_) => plan(problem, &travel.matrix, params, progress),
        Mode::Replan(_) => replan(problem, &travel.matrix, &routes, params, progress),
    };
    let violations = check(problem, &travel.matrix, &result);
    if !violations.is_empty() {
        return Err(PipelineError::Check(violations.iter().map(ToString::to_string).collect()));
    }
    let changed = changed_windows(problem, &routes, &result);
    let view = PlanView::new(&data, &travel, &result);
    let published_visits = routes.iter().map(|r| r.visits.len()).sum();
    Ok(Planned { data, travel, plan: result, view, changed, published_visits, cancelled })
}
