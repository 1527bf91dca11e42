//! A route of the working solution with cached prefix and suffix summaries, and the
//! evaluation of proposed routes built from pieces of existing ones.
//!
//! Visits are indexed 1..=n (0 and n+1 would be the depots). A proposal is a short list of
//! [`Piece`]s; on the fast path (single-window jobs, no lunch break) it is priced by
//! concatenating cached [`Segment`]s, in O(pieces) for prefixes, suffixes and single jobs;
//! otherwise the job sequence is materialised and simulated (`schedule::evaluate`).

use super::instance::{Instance, Load};
use super::schedule::{self, RouteCost};
use super::segment::Segment;

/// A part of a proposed route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Visits `from..=to` (1-based) of a route, in order; empty when `from > to`.
    Range { route: usize, from: usize, to: usize },
    /// Visits `from..=to` of a route in reverse order.
    Reversed { route: usize, from: usize, to: usize },
    /// A single job.
    Job(usize),
}

#[derive(Clone, Debug)]
pub struct Route {
    pub vehicle: usize,
    pub jobs: Vec<usize>,
    /// `prefix[i]` summarises visits 1..=i (index 0 unused); `suffix[i]` visits i..=n.
    prefix: Vec<Option<Segment>>,
    suffix: Vec<Option<Segment>>,
    /// `walked[i]`: distance from visit 1 to visit i along the route (`walked[1] = 0`).
    walked: Vec<i64>,
    /// `locations[i]`: location of visit i (index 0 unused).
    locations: Vec<usize>,
    /// The whole route, depots included.
    pub cost: RouteCost,
}

impl Route {
    pub fn new(inst: &Instance, fast: bool, vehicle: usize, jobs: Vec<usize>) -> Route {
        let mut r = Route {
            vehicle,
            jobs,
            prefix: Vec::new(),
            suffix: Vec::new(),
            walked: Vec::new(),
            locations: Vec::new(),
            cost: RouteCost::default(),
        };
        r.refresh(inst, fast);
        r
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// The job at visit index `i` (1-based).
    pub fn at(&self, i: usize) -> usize {
        self.jobs[i - 1]
    }

    /// Recomputes caches and cost after `jobs` changed.
    pub fn refresh(&mut self, inst: &Instance, fast: bool) {
        let n = self.jobs.len();
        self.prefix.clear();
        self.suffix.clear();
        self.locations.clear();
        self.locations.push(usize::MAX);
        self.locations.extend(self.jobs.iter().map(|&j| inst.jobs[j].location));
        self.walked.clear();
        self.walked.resize(n + 1, 0);
        for i in 2..=n {
            let (a, b) = (self.locations[i - 1], self.locations[i]);
            self.walked[i] = self.walked[i - 1] + inst.matrix.distance(a, b).get();
        }
        if fast {
            self.prefix.resize(n + 2, None);
            self.suffix.resize(n + 2, None);
            for i in 1..=n {
                let node = node_segment(inst, self.jobs[i - 1]);
                self.prefix[i] = Some(match self.prefix[i - 1] {
                    Some(p) => p.then(inst.matrix, &node),
                    None => node,
                });
            }
            for i in (1..=n).rev() {
                let node = node_segment(inst, self.jobs[i - 1]);
                self.suffix[i] = Some(match self.suffix[i + 1] {
                    Some(s) => node.then(inst.matrix, &s),
                    None => node,
                });
            }
            self.cost = close(inst, self.vehicle, self.prefix[n]);
        } else {
            self.cost = schedule::evaluate(inst, self.vehicle, &self.jobs);
        }
    }

    fn range(&self, inst: &Instance, from: usize, to: usize) -> Option<Segment> {
        if from > to {
            return None;
        }
        if from == 1 {
            return self.prefix[to];
        }
        if to == self.jobs.len() {
            return self.suffix[from];
        }
        let mut seg = node_segment(inst, self.jobs[from - 1]);
        for i in from + 1..=to {
            seg = seg.then(inst.matrix, &node_segment(inst, self.jobs[i - 1]));
        }
        Some(seg)
    }

    fn reversed(&self, inst: &Instance, from: usize, to: usize) -> Option<Segment> {
        if from > to {
            return None;
        }
        let mut seg = node_segment(inst, self.jobs[to - 1]);
        for i in (from..to).rev() {
            seg = seg.then(inst.matrix, &node_segment(inst, self.jobs[i - 1]));
        }
        Some(seg)
    }
}

/// The single-visit segment of a job (fast path only: its one window).
pub fn node_segment(inst: &Instance, job: usize) -> Segment {
    let j = &inst.jobs[job];
    Segment::node(j.location, j.service.get(), j.windows[0], j.demand)
}

/// Adds the vehicle's depots around the jobs' summary and turns it into a route cost.
fn close(inst: &Instance, vehicle: usize, jobs: Option<Segment>) -> RouteCost {
    let Some(body) = jobs else { return RouteCost::default() };
    let v = &inst.vehicles[vehicle];
    let start = Segment::node(v.start_location, 0, v.shift, Load::default());
    let end = Segment::node(v.end_location, 0, v.shift, Load::default());
    let all = start.then(inst.matrix, &body).then(inst.matrix, &end);
    // With time warp the two paths count duration differently (the segments charge the
    // warp as time); they agree exactly on every feasible route.
    let duration = all.time.duration;
    let excess_work = v.max_work.map_or(0, |m| (duration - m.get()).max(0));
    RouteCost {
        distance: crate::units::Meters(all.distance),
        duration: crate::units::Seconds(duration),
        time_warp: crate::units::Seconds(all.time.time_warp),
        excess_load: all.load.excess_over(v.capacity),
        excess_work: crate::units::Seconds(excess_work),
        cost: crate::units::Cost(
            inst.rates.per_meter * all.distance + inst.rates.per_second * duration + v.fixed_cost.get(),
        ),
    }
}

/// A lower bound on the cost of the route `pieces` would form: its distance (exact) and
/// fixed cost, ignoring time-dependent cost and penalties. `None` for reversed pieces on
/// asymmetric data, where the internal distance is not cached.
#[inline]
pub fn distance_bound(inst: &Instance, routes: &[Route], vehicle: usize, pieces: &[Piece]) -> Option<i64> {
    let m = inst.matrix;
    let v = &inst.vehicles[vehicle];
    let mut at = v.start_location;
    let mut total = 0i64;
    let mut any = false;
    for piece in pieces {
        let (first, last, inside) = match *piece {
            Piece::Range { route, from, to } if from <= to => {
                let r = &routes[route];
                (r.locations[from], r.locations[to], r.walked[to] - r.walked[from])
            }
            Piece::Job(j) => (inst.jobs[j].location, inst.jobs[j].location, 0),
            Piece::Reversed { from, to, .. } if from <= to => return None,
            _ => continue,
        };
        total += m.distance(at, first).get() + inside;
        at = last;
        any = true;
    }
    if !any {
        return Some(0);
    }
    total += m.distance(at, v.end_location).get();
    Some(inst.rates.per_meter * total + v.fixed_cost.get())
}

/// Prices the route `pieces` would form for `vehicle`. `scratch` is reused for the
/// materialised sequence on the general path.
pub fn evaluate(
    inst: &Instance,
    fast: bool,
    routes: &[Route],
    vehicle: usize,
    pieces: &[Piece],
    scratch: &mut Vec<usize>,
) -> RouteCost {
    if fast {
        let mut acc: Option<Segment> = None;
        for piece in pieces {
            let seg = match *piece {
                Piece::Range { route, from, to } => routes[route].range(inst, from, to),
                Piece::Reversed { route, from, to } => routes[route].reversed(inst, from, to),
                Piece::Job(j) => Some(node_segment(inst, j)),
            };
            acc = match (acc, seg) {
                (Some(a), Some(b)) => Some(a.then(inst.matrix, &b)),
                (a, b) => a.or(b),
            };
        }
        return close(inst, vehicle, acc);
    }
    materialise(routes, pieces, scratch);
    schedule::evaluate(inst, vehicle, scratch)
}

/// Writes the job sequence of `pieces` into `out`.
pub fn materialise(routes: &[Route], pieces: &[Piece], out: &mut Vec<usize>) {
    out.clear();
    for piece in pieces {
        match *piece {
            Piece::Range { route, from, to } if from <= to => out.extend_from_slice(&routes[route].jobs[from - 1..to]),
            Piece::Reversed { route, from, to } if from <= to => {
                out.extend(routes[route].jobs[from - 1..to].iter().rev())
            }
            Piece::Job(j) => out.push(j),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::TravelMatrix;
    use crate::routing::instance::{CostRates, Job, RouteVehicle};
    use crate::units::{Cost, Meters, Seconds, TimeWindow};
    use proptest::prelude::*;

    fn instance<'m>(m: &'m TravelMatrix, jobs: &[(i64, i64, i64, i64)], max_work: Option<i64>) -> Instance<'m> {
        Instance {
            matrix: m,
            jobs: jobs
                .iter()
                .enumerate()
                .map(|(i, &(open, width, service, demand))| Job {
                    location: i + 1,
                    service: Seconds(service),
                    windows: vec![TimeWindow::new(Seconds(open), Seconds(open + width))],
                    demand: Load::single(demand),
                    prize: None,
                    allowed_vehicles: None,
                })
                .collect(),
            vehicles: vec![RouteVehicle {
                start_location: 0,
                end_location: 0,
                shift: TimeWindow::new(Seconds(0), Seconds(600)),
                capacity: Load::single(10),
                max_work: max_work.map(Seconds),
                lunch: None,
                fixed_cost: Cost(7),
            }],
            rates: CostRates { per_meter: 2, per_second: 1 },
        }
    }

    /// Both paths agree on distance, load and time warp always, and on everything when the
    /// route is on time.
    fn agree(fast: RouteCost, slow: RouteCost) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            (fast.distance, fast.excess_load, fast.time_warp),
            (slow.distance, slow.excess_load, slow.time_warp)
        );
        if fast.time_warp == Seconds::ZERO {
            prop_assert_eq!(fast, slow);
        }
        Ok(())
    }

    proptest! {
        /// The O(1) segment path prices every route exactly as the full simulation does.
        #[test]
        fn segments_agree_with_simulation(
            points in prop::collection::vec((0..60i64, 0..60i64), 8),
            jobs in prop::collection::vec((0..400i64, 0..120i64, 0..40i64, 0..5i64), 7),
            order in Just((0..7usize).collect::<Vec<_>>()).prop_shuffle(),
            cut in 0..8usize,
            max_work in prop::option::of(100..500i64),
        ) {
            let m = TravelMatrix::from_fn(8, |a, b| {
                let d = (points[a].0 - points[b].0).abs() + (points[a].1 - points[b].1).abs();
                (Seconds(d), Meters(d * 3))
            });
            let inst = instance(&m, &jobs, max_work);
            let route = Route::new(&inst, true, 0, order.clone());
            agree(route.cost, schedule::evaluate(&inst, 0, &order))?;
            // A proposal made of a prefix, a reversed middle and a job priced both ways.
            let len = order.len();
            let pieces = [
                Piece::Range { route: 0, from: 1, to: cut.min(len) },
                Piece::Reversed { route: 0, from: cut.min(len) + 1, to: len.saturating_sub(1) },
                Piece::Job(order[len - 1]),
            ];
            let mut scratch = Vec::new();
            let fast = evaluate(&inst, true, std::slice::from_ref(&route), 0, &pieces, &mut scratch);
            let slow = evaluate(&inst, false, std::slice::from_ref(&route), 0, &pieces, &mut scratch);
            agree(fast, slow)?;
            if let Some(bound) = distance_bound(&inst, std::slice::from_ref(&route), 0, &[pieces[0], pieces[2]]) {
                let c = evaluate(&inst, true, std::slice::from_ref(&route), 0, &[pieces[0], pieces[2]], &mut scratch);
                prop_assert!(bound <= c.cost.get());
            }
        }
    }
}
