//! Adaptive penalty weights: the share of feasible solutions among recent local-search
//! results is steered towards a target by raising or lowering each weight (load, time),
//! as in HGS (Vidal 2022) and PyVRP.

use super::cost::CostEvaluator;

/// Target share of solutions that are feasible for each constraint.
const TARGET_FEASIBLE: f64 = 0.65;
const TOLERANCE: f64 = 0.05;
const INCREASE: f64 = 1.5;
const DECREASE: f64 = 0.9;
const SOLUTIONS_BETWEEN_UPDATES: usize = 500;
const MIN_WEIGHT: f64 = 0.1;
const MAX_WEIGHT: f64 = 1e7;

pub struct PenaltyManager {
    pub costs: CostEvaluator,
    load_feasible: Vec<bool>,
    time_feasible: Vec<bool>,
}

fn adjust(weight: f64, history: &[bool]) -> f64 {
    let share = history.iter().filter(|&&f| f).count() as f64 / history.len().max(1) as f64;
    let next = if share < TARGET_FEASIBLE - TOLERANCE {
        weight * INCREASE
    } else if share > TARGET_FEASIBLE + TOLERANCE {
        weight * DECREASE
    } else {
        weight
    };
    next.clamp(MIN_WEIGHT, MAX_WEIGHT)
}

impl PenaltyManager {
    pub fn new(initial: CostEvaluator) -> Self {
        PenaltyManager { costs: initial, load_feasible: Vec::new(), time_feasible: Vec::new() }
    }

    /// Records whether a local-search result respected load and time; updates the weights
    /// every [`SOLUTIONS_BETWEEN_UPDATES`] registrations.
    pub fn register(&mut self, load_ok: bool, time_ok: bool) {
        self.load_feasible.push(load_ok);
        self.time_feasible.push(time_ok);
        if self.load_feasible.len() >= SOLUTIONS_BETWEEN_UPDATES {
            self.costs.load = adjust(self.costs.load, &self.load_feasible);
            self.costs.time_warp = adjust(self.costs.time_warp, &self.time_feasible);
            self.load_feasible.clear();
            self.time_feasible.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_rise_when_too_few_solutions_are_feasible_and_fall_otherwise() {
        let mut m = PenaltyManager::new(CostEvaluator { time_warp: 10.0, load: 10.0 });
        for i in 0..SOLUTIONS_BETWEEN_UPDATES {
            m.register(i % 10 == 0, true);
        }
        assert!(m.costs.load > 10.0);
        assert!(m.costs.time_warp < 10.0);
    }
}
