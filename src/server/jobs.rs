//! Background solves: at most `max_concurrent_solves` at once (others are refused with
//! 429), each on a blocking thread so that the public endpoints stay responsive, with its
//! progress kept in memory for `GET /api/plans/{id}`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use junkai_solver::plan::VisitPlace;
use junkai_solver::weekly::PlanParams;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::AppState;
use super::store::{ChangedWindow, FailureProblem, PlanFailure, PlanOutputs, PlanSummary};
use crate::io::driver_day::driver_days;
use crate::io::plan_geojson::plan_geojson;
use crate::io::problem_file::{Documents, HorizonChoice};
use crate::io::published_plan::PublishedPlan;
use crate::lang::Lang;
use crate::pipeline::{self, Mode, PipelineError, Planned};

/// Running solves and their progress (0–1).
pub struct Jobs {
    permits: Arc<Semaphore>,
    progress: Mutex<HashMap<i64, f64>>,
    /// Serialises data-set writes (validate, then store).
    pub write_lock: tokio::sync::Mutex<()>,
}

/// What a job plans.
pub enum Task {
    Plan,
    Replan(PublishedPlan),
    Full(PublishedPlan),
}

impl Jobs {
    pub fn new(max: usize) -> Jobs {
        Jobs {
            permits: Arc::new(Semaphore::new(max)),
            progress: Mutex::new(HashMap::new()),
            write_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// A slot for one more solve, if any is free.
    pub fn try_reserve(&self) -> Option<OwnedSemaphorePermit> {
        self.permits.clone().try_acquire_owned().ok()
    }

    pub fn progress(&self, id: i64) -> Option<f64> {
        self.progress.lock().ok()?.get(&id).copied()
    }

    fn set(&self, id: i64, value: Option<f64>) {
        if let Ok(mut map) = self.progress.lock() {
            match value {
                Some(v) => map.insert(id, v),
                None => map.remove(&id),
            };
        }
    }
}

fn outputs(planned: &Planned) -> PlanOutputs {
    let view = &planned.view;
    let changed: Vec<_> = planned
        .changed
        .iter()
        .map(|c| {
            let p = &planned.data.problem;
            // Home visits are private: only stops are named.
            let (stop_id, stop_name) = match c.place {
                VisitPlace::Stop(s) => (Some(p.stops()[s].id.clone()), p.stops()[s].name.clone()),
                VisitPlace::Home(_) => (None, String::new()),
            };
            ChangedWindow {
                date: planned.data.calendar.date_of(p.horizon().days[c.day]).to_string(),
                stop_id,
                stop_name,
                published: (c.published.start.to_string(), c.published.end.to_string()),
                now: c.now.map(|w| (w.start.to_string(), w.end.to_string())),
                cause: c.cause,
            }
        })
        .collect();
    let summary = PlanSummary {
        kpis: view.kpis.clone(),
        assignment: view.assignment.clone(),
        unserved: view.unserved.clone(),
        shortfalls: view.shortfalls.clone(),
        published_visits: planned.published_visits,
        changed_windows: changed,
        cancelled: planned.cancelled.clone(),
    };
    PlanOutputs {
        plan_json: serde_json::to_string(view).expect("plan view serialises"),
        map_geojson: serde_json::to_string(&plan_geojson(&planned.data, view)).expect("GeoJSON serialises"),
        itineraries_json: serde_json::to_string(&driver_days(&planned.data, view)).expect("itineraries serialise"),
        summary,
    }
}

/// Runs plan `id` in the background; the permit is released when it ends.
pub fn launch(
    state: AppState,
    permit: OwnedSemaphorePermit,
    id: i64,
    docs: Documents,
    choice: HorizonChoice,
    task: Task,
    seed: u64,
) {
    let folder: Option<PathBuf> = state.config.data.clone().filter(|p| p.is_dir());
    tokio::spawn(async move {
        state.jobs.set(id, Some(0.0));
        let _ = state.store.set_running(id, 0.0).await;
        let jobs = state.jobs.clone();
        let solved = tokio::task::spawn_blocking(move || {
            let mut params = PlanParams::default();
            params.search.seed = seed;
            let mode = match &task {
                Task::Plan => Mode::Plan,
                Task::Replan(p) => Mode::Replan(p),
                Task::Full(p) => Mode::Full(p),
            };
            let label = format!("plans/{id}");
            pipeline::run(&docs, choice, folder.as_deref(), mode, &params, None, &label, &mut |p| {
                jobs.set(id, Some(p.days_done as f64 / p.days_total.max(1) as f64));
            })
            .map(|planned| outputs(&planned))
        })
        .await;
        // The solve is over: free its place before the outcome is stored, so that a client
        // that sees the plan finished can start the next solve at once.
        drop(permit);
        let stored = match solved {
            Ok(Ok(out)) => state.store.finish_plan(id, &out).await,
            Ok(Err(PipelineError::Input(problems))) => {
                let problems = problems
                    .iter()
                    .map(|d| FailureProblem {
                        code: d.code.as_str().to_string(),
                        path: d.path.clone(),
                        ja: d.render(Lang::Ja),
                        en: d.render(Lang::En),
                    })
                    .collect();
                state
                    .store
                    .fail_plan(id, &PlanFailure { code: "A422".into(), problems, ..PlanFailure::default() })
                    .await
            }
            Ok(Err(PipelineError::Check(violations))) => {
                tracing::error!(id, ?violations, "a plan failed its feasibility check");
                state
                    .store
                    .fail_plan(id, &PlanFailure { code: "A500".into(), violations, ..PlanFailure::default() })
                    .await
            }
            Err(join) => {
                let failure = PlanFailure { code: "A500".into(), message: join.to_string(), ..PlanFailure::default() };
                state.store.fail_plan(id, &failure).await
            }
        };
        if let Err(e) = stored {
            tracing::error!(id, error = %e, "could not store the outcome of a solve");
        }
        state.jobs.set(id, None);
    });
}
