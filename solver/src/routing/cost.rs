//! Penalised cost: route costs plus weighted violations, so that the search can pass
//! through infeasible solutions (time warp, excess load, excess work) while the penalty
//! weights adapt (see `penalty`).

use super::schedule::RouteCost;

/// Penalty weights per unit of violation (cost units per time unit and per load unit).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostEvaluator {
    pub time_warp: f64,
    pub load: f64,
}

impl CostEvaluator {
    /// The route's cost plus its penalties. Feasible routes cost exactly `cost`.
    #[inline]
    pub fn penalised(&self, c: &RouteCost) -> i64 {
        let warp = c.time_warp.get() + c.excess_work.get();
        if warp == 0 && c.excess_load == 0 {
            return c.cost.get();
        }
        let penalty = warp as f64 * self.time_warp + c.excess_load as f64 * self.load;
        c.cost.get() + (penalty + 0.5) as i64
    }

    /// The same weights multiplied, to push a solution towards feasibility.
    pub fn boosted(&self, factor: f64) -> CostEvaluator {
        CostEvaluator { time_warp: self.time_warp * factor, load: self.load * factor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{Cost, Seconds};

    #[test]
    fn feasible_routes_cost_their_cost_and_violations_add_weighted() {
        let e = CostEvaluator { time_warp: 2.0, load: 10.0 };
        let mut c = RouteCost { cost: Cost(100), ..RouteCost::default() };
        assert_eq!(e.penalised(&c), 100);
        c.time_warp = Seconds(3);
        c.excess_load = 1;
        assert_eq!(e.penalised(&c), 116);
        assert_eq!(e.boosted(10.0).penalised(&c), 260);
    }
}
