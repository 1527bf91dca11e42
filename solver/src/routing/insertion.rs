//! Inserting unassigned jobs: cheapest feasible position, greedy (with blinks) for the
//! recreate step, and regret-2 for the initial construction.

use super::schedule::evaluate;
use super::state::State;
use crate::rng::Rng;

/// A feasible place for a job and the change in route cost it causes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insertion {
    pub vehicle: usize,
    pub position: usize,
    pub delta: i64,
}

/// Candidate vehicles for a job: non-empty routes plus one empty route per profile.
fn candidate_vehicles(state: &State, job: usize) -> Vec<usize> {
    let mut vs: Vec<usize> = (0..state.routes.len()).filter(|&v| !state.routes[v].is_empty()).collect();
    vs.extend(state.empty_routes());
    vs.retain(|&v| state.inst.jobs[job].can_use(v));
    vs
}

/// The best and second-best feasible insertions of `job` (in different routes), skipping
/// each position with probability `blink`.
pub fn best_two(
    state: &State,
    job: usize,
    blink: f64,
    rng: &mut Rng,
    buf: &mut Vec<usize>,
) -> (Option<Insertion>, Option<Insertion>) {
    let mut best: Option<Insertion> = None;
    let mut second: Option<Insertion> = None;
    for v in candidate_vehicles(state, job) {
        let route = &state.routes[v];
        let old = state.costs[v].cost.get();
        let mut route_best: Option<Insertion> = None;
        for pos in 0..=route.len() {
            if blink > 0.0 && rng.unit() < blink {
                continue;
            }
            buf.clear();
            buf.extend_from_slice(&route[..pos]);
            buf.push(job);
            buf.extend_from_slice(&route[pos..]);
            let c = evaluate(state.inst, v, buf);
            if !c.is_feasible() {
                continue;
            }
            let delta = c.cost.get() - old;
            if route_best.is_none_or(|b| delta < b.delta) {
                route_best = Some(Insertion { vehicle: v, position: pos, delta });
            }
        }
        if let Some(rb) = route_best {
            if best.is_none_or(|b| rb.delta < b.delta) {
                second = best;
                best = Some(rb);
            } else if second.is_none_or(|s| rb.delta < s.delta) {
                second = Some(rb);
            }
        }
    }
    (best, second)
}

fn apply(state: &mut State, job: usize, ins: Insertion) {
    let mut route = state.routes[ins.vehicle].clone();
    route.insert(ins.position, job);
    state.set_route(ins.vehicle, route);
}

/// Whether serving the job at `delta` is worth it (always, for mandatory jobs).
fn worth(state: &State, job: usize, delta: i64) -> bool {
    delta < state.inst.prize(job).get()
}

/// Inserts `jobs` one by one in the given order at their cheapest feasible position.
/// Jobs that fit nowhere (or are not worth their cost) stay unassigned.
pub fn insert_greedy(state: &mut State, jobs: &[usize], blink: f64, rng: &mut Rng) {
    let mut buf = Vec::new();
    for &job in jobs {
        let (best, _) = best_two(state, job, blink, rng, &mut buf);
        if let Some(ins) = best.filter(|i| worth(state, job, i.delta)) {
            apply(state, job, ins);
        }
    }
}

/// Regret-2 insertion: repeatedly inserts the job that would lose most by waiting
/// (second-best minus best cost; a job with one option left goes first).
pub fn insert_regret(state: &mut State, jobs: &[usize], rng: &mut Rng) {
    let mut pending: Vec<usize> = jobs.to_vec();
    let mut buf = Vec::new();
    while !pending.is_empty() {
        let mut pick: Option<(i64, usize, Insertion)> = None;
        let mut still_possible = Vec::with_capacity(pending.len());
        for &job in &pending {
            let (best, second) = best_two(state, job, 0.0, rng, &mut buf);
            let Some(b) = best.filter(|b| worth(state, job, b.delta)) else { continue };
            still_possible.push(job);
            let regret = match second {
                Some(s) => s.delta - b.delta,
                None => state.inst.prize(job).get().saturating_sub(b.delta),
            };
            if pick.is_none_or(|(r, _, _)| regret > r) {
                pick = Some((regret, job, b));
            }
        }
        let Some((_, job, ins)) = pick else { break };
        apply(state, job, ins);
        still_possible.retain(|&j| j != job);
        pending = still_possible;
    }
}
