//! Local search with granular neighbourhoods over penalised costs (infeasible solutions
//! allowed, violations weighted by the current penalties).
//!
//! Operators live one per file and share one contract: given the working solution and two
//! anchors — `u`, a routed job, and `v`, a visit (or the start depot, visit 0) of some
//! route — return the improving [`Change`] (new contents of at most two routes as pieces
//! of the current ones, with the change of penalised cost) or `None`. The driver applies
//! the first improving change and keeps going until a full pass finds none. Routes carry
//! a modification stamp so pairs that cannot have changed are not evaluated again
//! (as in HGS and PyVRP).

mod optional;
mod relocate;
mod swap;
mod swap_star;
mod swap_tails;
mod two_opt;

use super::context::Context;
use super::cost::CostEvaluator;
use super::route::{Piece, distance_bound, evaluate};
use super::solution::Solution;
use crate::rng::Rng;

/// An improving change: new contents of routes, and the (negative) cost delta.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub delta: i64,
    pub routes: Vec<(usize, Vec<Piece>)>,
}

/// A visit anchor: `(route, visit index)`, visit 0 being the route's start depot.
pub type Anchor = (usize, usize);

/// What evaluations reuse and count.
#[derive(Default)]
pub struct Scratch {
    /// The job sequence of a proposal on the general (simulated) path.
    pub jobs: Vec<usize>,
    /// Moves judged: calls of [`Eval::judge`].
    pub judged: u64,
    /// Proposed routes priced exactly: calls of [`Eval::price`].
    pub priced: u64,
}

/// Shared state of an evaluation.
pub struct Eval<'a, 'i, 'm> {
    pub ctx: &'a Context<'i, 'm>,
    pub sol: &'a Solution,
    pub costs: &'a CostEvaluator,
    pub scratch: &'a mut Scratch,
}

impl Eval<'_, '_, '_> {
    /// Penalised cost of route `r` rebuilt from `pieces`.
    pub fn price(&mut self, r: usize, pieces: &[Piece]) -> i64 {
        self.scratch.priced += 1;
        let c = evaluate(self.ctx.inst, self.ctx.fast, &self.sol.routes, r, pieces, &mut self.scratch.jobs);
        self.costs.penalised(&c)
    }

    /// Current penalised cost of route `r`.
    pub fn current(&self, r: usize) -> i64 {
        self.costs.penalised(&self.sol.routes[r].cost)
    }

    /// The change if rebuilding `a` (and `b`, a different route) lowers the cost by more
    /// than `bonus` (`bonus` < 0 means the change must gain at least that much).
    pub fn judge(&mut self, a: (usize, &[Piece]), b: Option<(usize, &[Piece])>, bonus: i64) -> Option<Change> {
        self.scratch.judged += 1;
        let mut delta = bonus - self.current(a.0);
        if let Some((rb, _)) = b {
            delta -= self.current(rb);
        }
        // Cheap test first: distance and fixed costs alone may already rule the move out.
        let inst = self.ctx.inst;
        let bound_a = distance_bound(inst, &self.sol.routes, a.0, a.1);
        if bound_a.is_some_and(|x| delta + x >= 0) {
            return None;
        }
        let bound_b = b.map_or(Some(0), |(rb, pb)| distance_bound(inst, &self.sol.routes, rb, pb));
        if let (Some(x), Some(y)) = (bound_a, bound_b)
            && delta + x + y >= 0
        {
            return None;
        }
        delta += self.price(a.0, a.1);
        if let Some((rb, pb)) = b {
            if bound_b.is_some_and(|y| delta + y >= 0) {
                return None;
            }
            delta += self.price(rb, pb);
        }
        (delta < 0).then(|| Change {
            delta,
            routes: std::iter::once((a.0, a.1.to_vec())).chain(b.map(|(r, p)| (r, p.to_vec()))).collect(),
        })
    }

    /// Whether every job in visits `from..=to` of route `r` may ride with vehicle `v`.
    pub fn allowed(&self, r: usize, from: usize, to: usize, v: usize) -> bool {
        !self.ctx.restricted
            || from > to
            || self.sol.routes[r].jobs[from - 1..to].iter().all(|&j| self.ctx.inst.jobs[j].can_use(v))
    }
}

type NodeOperator = fn(&mut Eval, Anchor, Anchor) -> Option<Change>;

const NODE_OPERATORS: [NodeOperator; 7] = [
    relocate::relocate_one,
    relocate::relocate_two,
    swap::swap_one_one,
    swap::swap_two_one,
    swap::swap_two_two,
    swap_tails::swap_tails,
    two_opt::two_opt,
];

/// Reusable local-search state (buffers, modification stamps and the set of promising
/// jobs: those near a recent change, which are the only ones a focused search looks at).
pub struct LocalSearch {
    order: Vec<usize>,
    route_order: Vec<usize>,
    last_modified: Vec<u64>,
    last_tested: Vec<u64>,
    /// Per route: the stamp when SWAP* last compared it with the others.
    last_star: Vec<u64>,
    counter: u64,
    promising: Vec<bool>,
    /// Per job: predecessor and successor before a change (`usize::MAX` = depot).
    links: Vec<(usize, usize)>,
    scratch: Scratch,
}

const DEPOT: usize = usize::MAX;

impl LocalSearch {
    pub fn new(ctx: &Context) -> LocalSearch {
        let n = ctx.inst.jobs.len();
        LocalSearch {
            order: (0..n).collect(),
            route_order: (0..ctx.inst.vehicles.len()).collect(),
            last_modified: vec![0; ctx.inst.vehicles.len()],
            last_tested: vec![0; n],
            last_star: vec![0; ctx.inst.vehicles.len()],
            counter: 0,
            promising: vec![false; n],
            links: vec![(DEPOT, DEPOT); n],
            scratch: Scratch::default(),
        }
    }

    /// Moves judged and routes priced so far (see [`Scratch`]).
    pub fn counts(&self) -> (u64, u64) {
        (self.scratch.judged, self.scratch.priced)
    }

    /// Marks a job and its route neighbours promising.
    pub fn mark(&mut self, sol: &Solution, job: usize) {
        self.promising[job] = true;
        if let Some((r, p)) = sol.position[job] {
            let route = &sol.routes[r];
            if p > 1 {
                self.promising[route.at(p - 1)] = true;
            }
            if p < route.len() {
                self.promising[route.at(p + 1)] = true;
            }
        }
    }

    fn link_of(route: &[usize], i: usize) -> (usize, usize) {
        let pred = if i == 0 { DEPOT } else { route[i - 1] };
        let succ = route.get(i + 1).copied().unwrap_or(DEPOT);
        (pred, succ)
    }

    /// Applies a change and marks every job whose predecessor or successor changed (or
    /// that left the routes, with its old neighbours) promising.
    fn apply(&mut self, ctx: &Context, sol: &mut Solution, change: &Change) {
        self.counter += 1;
        let mut before: Vec<usize> = Vec::new();
        for (r, _) in &change.routes {
            self.last_modified[*r] = self.counter;
            let jobs = &sol.routes[*r].jobs;
            for i in 0..jobs.len() {
                self.links[jobs[i]] = Self::link_of(jobs, i);
                before.push(jobs[i]);
            }
        }
        sol.apply(ctx, &change.routes);
        for (r, _) in &change.routes {
            let jobs = &sol.routes[*r].jobs;
            for i in 0..jobs.len() {
                if self.links[jobs[i]] != Self::link_of(jobs, i) {
                    self.promising[jobs[i]] = true;
                }
            }
            // Newly inserted jobs had no links before.
            for &j in jobs {
                if self.links[j] == (DEPOT, DEPOT) && !before.contains(&j) {
                    self.promising[j] = true;
                }
            }
        }
        for j in before {
            if sol.position[j].is_none() {
                let (p, s) = self.links[j];
                for x in [p, s] {
                    if x != DEPOT {
                        self.promising[x] = true;
                    }
                }
            }
            self.links[j] = (DEPOT, DEPOT);
        }
    }

    /// Improves `sol` over every job, with route-pair operators too, until no operator
    /// finds an improving change.
    pub fn run_exhaustive(&mut self, ctx: &Context, sol: &mut Solution, costs: &CostEvaluator, rng: &mut Rng) {
        self.promising.iter_mut().for_each(|p| *p = true);
        self.search(ctx, sol, costs, rng, true);
    }

    /// Improves `sol` starting from the jobs marked promising (see [`LocalSearch::mark`]),
    /// following changes outwards, with node operators only.
    pub fn run_focused(&mut self, ctx: &Context, sol: &mut Solution, costs: &CostEvaluator, rng: &mut Rng) {
        self.search(ctx, sol, costs, rng, false);
    }

    fn search(&mut self, ctx: &Context, sol: &mut Solution, costs: &CostEvaluator, rng: &mut Rng, exhaustive: bool) {
        self.counter += 1;
        self.last_modified.iter_mut().for_each(|m| *m = self.counter);
        self.last_tested.iter_mut().for_each(|t| *t = 0);
        self.last_star.iter_mut().for_each(|t| *t = 0);
        rng.shuffle(&mut self.order);
        rng.shuffle(&mut self.route_order);
        loop {
            let mut step = 0;
            while self.promising.iter().any(|&p| p) {
                for k in 0..self.order.len() {
                    let u = self.order[k];
                    if self.promising[u] {
                        self.promising[u] = false;
                        self.improve_job(ctx, sol, costs, u, step);
                    }
                }
                step += 1;
            }
            if !exhaustive || !self.improve_routes(ctx, sol, costs) {
                break;
            }
        }
    }

    /// Tries every operator from `u`; `step` counts the passes over the promising jobs so far.
    fn improve_job(&mut self, ctx: &Context, sol: &mut Solution, costs: &CostEvaluator, u: usize, step: usize) {
        let tested = self.last_tested[u];
        self.last_tested[u] = self.counter;
        if sol.position[u].is_none() {
            if !sol.enabled[u] {
                return;
            }
            let mut e = Eval { ctx, sol, costs, scratch: &mut self.scratch };
            if let Some(change) = optional::insert(&mut e, u) {
                self.apply(ctx, sol, &change);
            }
            return;
        }
        for &v in &ctx.neighbours[u] {
            let (Some(pu), Some(pv)) = (sol.position[u], sol.position[v]) else { continue };
            if self.last_modified[pu.0] <= tested && self.last_modified[pv.0] <= tested {
                continue;
            }
            let mut targets = [Some(pv), None];
            if pv.1 == 1 {
                targets[1] = Some((pv.0, 0));
            }
            for target in targets.into_iter().flatten() {
                let Some(pu) = sol.position[u] else { break };
                let mut e = Eval { ctx, sol, costs, scratch: &mut self.scratch };
                if let Some(change) = NODE_OPERATORS.iter().find_map(|op| op(&mut e, pu, target)) {
                    self.apply(ctx, sol, &change);
                    break;
                }
            }
        }
        // Moves into an empty route (one per profile) open a route: a relocation, or a
        // split with 2-opt*. As in PyVRP they wait for the second pass over the jobs, so a
        // search from many short routes merges them first, and then run whether or not
        // `u`'s route changed (an empty route is never stamped as modified).
        if step > 0 && sol.position[u].is_some() {
            let empties: Vec<usize> = ctx.empty_routes(|r| sol.routes[r].is_empty()).collect();
            for empty in empties {
                let Some(pu) = sol.position[u] else { break };
                let mut e = Eval { ctx, sol, costs, scratch: &mut self.scratch };
                if let Some(change) = NODE_OPERATORS.iter().find_map(|op| op(&mut e, pu, (empty, 0))) {
                    self.apply(ctx, sol, &change);
                    break;
                }
            }
        }
        if ctx.any_optional && sol.position[u].is_some() {
            let mut e = Eval { ctx, sol, costs, scratch: &mut self.scratch };
            if let Some(change) = optional::remove(&mut e, u) {
                self.apply(ctx, sol, &change);
            }
        }
    }

    /// Route-pair operators (SWAP*) between routes changed since they were last compared;
    /// returns whether any change was made.
    fn improve_routes(&mut self, ctx: &Context, sol: &mut Solution, costs: &CostEvaluator) -> bool {
        let before = self.counter;
        let used: Vec<usize> = self.route_order.iter().copied().filter(|&r| !sol.routes[r].is_empty()).collect();
        let n = used.len();
        for a in 0..n {
            let ra = used[a];
            let tested = self.last_star[ra];
            self.last_star[ra] = self.counter;
            for &rb in &used[a + 1..] {
                if sol.routes[ra].is_empty() || sol.routes[rb].is_empty() {
                    continue;
                }
                if self.last_modified[ra] <= tested && self.last_modified[rb] <= tested {
                    continue;
                }
                let mut e = Eval { ctx, sol, costs, scratch: &mut self.scratch };
                if let Some(change) = swap_star::swap_star(&mut e, ra, rb) {
                    self.apply(ctx, sol, &change);
                }
            }
        }
        self.counter != before
    }
}
