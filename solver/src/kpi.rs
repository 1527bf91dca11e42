//! Key figures of a plan: service, coverage of mountainous stops, distance, unit time and
//! remote staff's sessions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::Problem;
use crate::plan::{Plan, UnservedReason, VisitPlace};
use crate::units::{Meters, Seconds};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kpis {
    pub requests_total: usize,
    pub requests_served: usize,
    /// Mean days between a served request's earliest date and its visit.
    pub mean_waiting_days: f64,
    /// Served requests whose visit day is one of their preferred weekdays.
    pub served_on_preferred_weekday: usize,
    pub mountainous_stops: usize,
    pub mountainous_stops_visited: usize,
    pub visits: usize,
    #[serde(rename = "distance_m")]
    pub distance: Meters,
    /// Sum over routes of return minus departure, lunch breaks included.
    #[serde(rename = "unit_time_s")]
    pub unit_time: Seconds,
    /// Unit time over the total shift time of the routes' unit-days (0–1).
    pub utilisation: f64,
    pub unserved_by_reason: BTreeMap<UnservedReason, usize>,
    /// Of the weeks in which a stop with a weekly minimum is visited, the share in which a
    /// visit falls on the stop's most frequent weekday (1 = perfectly regular).
    pub regular_weekday_share: f64,
    /// Of the visits on such a stop's most frequent weekday, the share whose published
    /// window starts within an hour of the stop's median start on that weekday
    /// ("about the same time week after week"; 1 when no stop is visited twice so).
    pub regular_time_share: f64,
    /// Per remote person (in `Problem::remote()` order): sessions held and how much of
    /// their online time they fill.
    #[serde(default)]
    pub remote: Vec<RemoteKpi>,
}

/// Sessions of one remote person over the horizon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RemoteKpi {
    pub id: String,
    pub sessions: usize,
    #[serde(rename = "session_time_s")]
    pub session_time: Seconds,
    /// Online hours on the horizon's working days (days off excluded), times the sessions
    /// they hold at once.
    #[serde(rename = "online_time_s")]
    pub online_time: Seconds,
    /// Session time over online time (0–1; 0 without online time).
    pub utilisation: f64,
}

impl Kpis {
    pub fn compute(problem: &Problem, plan: &Plan) -> Kpis {
        let mut served = 0;
        let mut waiting = 0u64;
        let mut preferred = 0;
        let mut visited = vec![false; problem.stops().len()];
        let mut visits = 0;
        for (day, _, visit) in plan.visits() {
            visits += 1;
            if let VisitPlace::Stop(s) = visit.place {
                visited[s] = true;
            }
            for &r in &visit.requests {
                let req = &problem.requests()[r];
                served += 1;
                waiting += u64::from(day.ordinal.saturating_sub(req.earliest_day));
                if req.preferred_weekdays.contains(day.weekday()) {
                    preferred += 1;
                }
            }
        }
        let mut distance = Meters::ZERO;
        let mut unit_time = Seconds::ZERO;
        let mut shift_time = Seconds::ZERO;
        for day in &plan.days {
            for route in &day.routes {
                distance += route.distance;
                unit_time += route.return_time - route.departure;
                let shift = problem.vehicles()[route.vehicle].shift_on(day.day);
                shift_time += shift.map_or(Seconds::ZERO, |s| s.length());
            }
        }
        let mut unserved_by_reason = BTreeMap::new();
        for u in &plan.unserved {
            *unserved_by_reason.entry(u.reason).or_insert(0) += 1;
        }
        let mountainous: Vec<usize> = (0..problem.stops().len()).filter(|&s| problem.stops()[s].mountainous).collect();
        let (regular_weekday_share, regular_time_share) = regularity(problem, plan);
        Kpis {
            requests_total: problem.requests().len(),
            requests_served: served,
            mean_waiting_days: if served == 0 { 0.0 } else { waiting as f64 / served as f64 },
            served_on_preferred_weekday: preferred,
            mountainous_stops: mountainous.len(),
            mountainous_stops_visited: mountainous.iter().filter(|&&s| visited[s]).count(),
            visits,
            distance,
            unit_time,
            utilisation: if shift_time.get() == 0 { 0.0 } else { unit_time.get() as f64 / shift_time.get() as f64 },
            unserved_by_reason,
            regular_weekday_share,
            regular_time_share,
            remote: remote_kpis(problem, plan),
        }
    }
}

fn remote_kpis(problem: &Problem, plan: &Plan) -> Vec<RemoteKpi> {
    let mut held = vec![(0usize, Seconds::ZERO); problem.remote().len()];
    for s in plan.visits().flat_map(|(_, _, v)| &v.sessions) {
        if let Some(h) = held.get_mut(s.resource) {
            *h = (h.0 + 1, h.1 + (s.end - s.start));
        }
    }
    problem
        .remote()
        .iter()
        .zip(held)
        .map(|(person, (sessions, session_time))| {
            let online: Seconds = problem.horizon().days.iter().map(|&d| person.capacity_on(d)).sum();
            let online_time = online * i64::from(person.concurrent);
            let utilisation =
                if online_time.get() == 0 { 0.0 } else { session_time.get() as f64 / online_time.get() as f64 };
            RemoteKpi { id: person.id.clone(), sessions, session_time, online_time, utilisation }
        })
        .collect()
}

/// Weekday and time-of-day regularity of stops with a weekly minimum (see [`Kpis`]).
fn regularity(problem: &Problem, plan: &Plan) -> (f64, f64) {
    let mut per_stop: BTreeMap<usize, Vec<(u32, usize, Seconds)>> = BTreeMap::new();
    for (day, _, visit) in plan.visits() {
        if let VisitPlace::Stop(s) = visit.place
            && problem.stops()[s].rule.min_per_week > 0
        {
            per_stop.entry(s).or_default().push((day.week(), day.weekday().index(), visit.published.start));
        }
    }
    let (mut regular, mut weeks) = (0usize, 0usize);
    let (mut on_time, mut repeated) = (0usize, 0usize);
    for visits in per_stop.values() {
        let mut count = [0usize; 7];
        visits.iter().for_each(|&(_, k, _)| count[k] += 1);
        let usual = (0..7).max_by_key(|&k| (count[k], std::cmp::Reverse(k))).unwrap_or(0);
        let mut stop_weeks: Vec<u32> = visits.iter().map(|&(w, _, _)| w).collect();
        stop_weeks.sort_unstable();
        stop_weeks.dedup();
        weeks += stop_weeks.len();
        regular += stop_weeks.iter().filter(|&&w| visits.iter().any(|&(vw, k, _)| vw == w && k == usual)).count();
        let mut starts: Vec<Seconds> = visits.iter().filter(|&&(_, k, _)| k == usual).map(|&(_, _, t)| t).collect();
        if starts.len() >= 2 {
            starts.sort_unstable();
            let median = starts[starts.len() / 2];
            repeated += starts.len();
            on_time += starts.iter().filter(|&&t| (t.get() - median.get()).abs() <= 3600).count();
        }
    }
    let share = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    (share(regular, weeks), share(on_time, repeated))
}
