//! Reads back a published plan (`plan.json` as written by `junkai plan`) and resolves it
//! against the current data set: dates become horizon days, ids become indices, and
//! requests that no longer exist are the cancelled ones.

use chrono::NaiveDate;
use junkai_solver::model::Session;
use junkai_solver::plan::VisitPlace;
use junkai_solver::units::TimeWindow;
use junkai_solver::weekly::{PublishedRoute, PublishedVisit};
use serde::Deserialize;

use super::json_reader::parse_time;
use super::plan_view::SessionView;
use super::problem_file::Dataset;
use crate::diagnostics::{Diagnostic, Mismatch};

/// The parts of `plan.json` that re-planning needs (other fields are ignored).
#[derive(Debug, Deserialize)]
pub struct PublishedPlan {
    pub format: String,
    pub first_monday: NaiveDate,
    pub weeks: u32,
    pub days: Vec<PublishedDay>,
}

#[derive(Debug, Deserialize)]
pub struct PublishedDay {
    pub date: NaiveDate,
    pub routes: Vec<PublishedRouteView>,
}

#[derive(Debug, Deserialize)]
pub struct PublishedRouteView {
    pub vehicle_id: String,
    pub visits: Vec<PublishedVisitView>,
}

#[derive(Debug, Deserialize)]
pub struct PublishedVisitView {
    pub stop_id: Option<String>,
    pub published: (String, String),
    pub class: Option<(String, String)>,
    pub requests: Vec<RequestRef>,
    #[serde(default)]
    pub sessions: Vec<SessionView>,
}

#[derive(Debug, Deserialize)]
pub struct RequestRef {
    pub id: String,
}

/// The published routes in the data set's indices, and the ids of requests the plan
/// served that the data no longer has (cancelled).
#[derive(Debug)]
pub struct Resolved {
    pub routes: Vec<PublishedRoute>,
    pub cancelled: Vec<String>,
}

/// Parses `plan.json` text.
pub fn parse_published(text: &str, label: &str) -> Result<PublishedPlan, Diagnostic> {
    let plan: PublishedPlan =
        serde_json::from_str(text).map_err(|e| Diagnostic::plan_mismatch(label, Mismatch::NotAPlan(e.to_string())))?;
    if plan.format != "junkai-plan" {
        return Err(Diagnostic::bad_format(
            &format!("{label}: format"),
            &plan.format,
            ["「junkai-plan」", "\"junkai-plan\""],
        ));
    }
    Ok(plan)
}

impl PublishedPlan {
    /// Resolves the plan against `data`, which must be loaded for the plan's horizon.
    pub fn resolve(&self, data: &Dataset, label: &str) -> Result<Resolved, Vec<Diagnostic>> {
        let p = &data.problem;
        let mut errors = Vec::new();
        let mut routes = Vec::new();
        let mut cancelled = Vec::new();
        let request_index = |id: &str| p.requests().iter().position(|r| r.id == id);
        for (d, day) in self.days.iter().enumerate() {
            let at = format!("{label}: days[{d}]");
            let ordinal = data.calendar.ordinal_of(day.date);
            let Some(day_index) = p.horizon().days.iter().position(|h| i64::from(h.ordinal) == ordinal) else {
                errors.push(Diagnostic::plan_mismatch(&format!("{at}.date"), Mismatch::NotAWorkingDay(day.date)));
                continue;
            };
            for (k, route) in day.routes.iter().enumerate() {
                let at = format!("{at}.routes[{k}]");
                let Some(vehicle) = p.vehicles().iter().position(|v| v.id == route.vehicle_id) else {
                    errors.push(Diagnostic::plan_mismatch(
                        &format!("{at}.vehicle_id"),
                        Mismatch::UnknownVehicle(route.vehicle_id.clone()),
                    ));
                    continue;
                };
                let mut visits = Vec::new();
                for (i, v) in route.visits.iter().enumerate() {
                    let at = format!("{at}.visits[{i}]");
                    let requests: Vec<usize> = v.requests.iter().filter_map(|r| request_index(&r.id)).collect();
                    cancelled
                        .extend(v.requests.iter().filter(|r| request_index(&r.id).is_none()).map(|r| r.id.clone()));
                    let place = match &v.stop_id {
                        Some(id) => match p.stops().iter().position(|s| &s.id == id) {
                            Some(s) => VisitPlace::Stop(s),
                            None => {
                                errors.push(Diagnostic::plan_mismatch(
                                    &format!("{at}.stop_id"),
                                    Mismatch::UnknownStop(id.clone()),
                                ));
                                continue;
                            }
                        },
                        // A home visit whose request was cancelled is not made.
                        None => match requests.first() {
                            Some(&r) => VisitPlace::Home(r),
                            None => continue,
                        },
                    };
                    let (from, to) = (parse_time(&v.published.0), parse_time(&v.published.1));
                    let Some(window) = from.zip(to).filter(|(a, b)| a <= b).map(|(a, b)| TimeWindow::new(a, b)) else {
                        errors.push(Diagnostic::plan_mismatch(
                            &format!("{at}.published"),
                            Mismatch::BadWindow(format!("{}–{}", v.published.0, v.published.1)),
                        ));
                        continue;
                    };
                    let class_kind = v.class.as_ref().and_then(|(id, _)| p.kinds().iter().position(|k| &k.id == id));
                    let sessions = v.sessions.iter().filter_map(|s| resolve_session(p, s)).collect();
                    visits.push(PublishedVisit { place, window, requests, class_kind, sessions });
                }
                routes.push(PublishedRoute { day: day_index, vehicle, visits });
            }
        }
        if errors.is_empty() { Ok(Resolved { routes, cancelled }) } else { Err(errors) }
    }
}

/// A published session in the data's indices; `None` when its request or person is gone
/// (the request is then re-planned without it).
fn resolve_session(p: &junkai_solver::model::Problem, s: &SessionView) -> Option<Session> {
    Some(Session {
        request: p.requests().iter().position(|r| r.id == s.request_id)?,
        resource: p.remote().iter().position(|x| x.id == s.remote_id)?,
        start: parse_time(&s.start)?,
        end: parse_time(&s.end)?,
    })
}
