//! Mixed-integer programming behind a small, solver-neutral model. This is the only module
//! that imports good_lp. The backend is the pure-Rust `microlp` by default, HiGHS with the
//! `highs` cargo feature.

use std::time::Duration;

use good_lp::{Expression, ProblemVariables, Solution, SolutionStatus, SolverModel, WithTimeLimit, variable};

/// A variable of a [`MipModel`] (its index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Var(pub usize);

/// A maximisation problem: variables with bounds, integrality and objective coefficients;
/// constraints `Σ coeff·var ≤ rhs` (or `=`).
#[derive(Clone, Debug, Default)]
pub struct MipModel {
    /// `(min, max, integer, objective coefficient)` per variable.
    vars: Vec<(f64, f64, bool, f64)>,
    rows: Vec<Row>,
}

/// A constraint `Σ coeff·var (≤ or =) rhs`.
#[derive(Clone, Debug)]
struct Row {
    terms: Vec<(Var, f64)>,
    kind: RowKind,
    rhs: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    LessEq,
    Equal,
}

impl MipModel {
    /// A binary variable with objective coefficient `objective`.
    pub fn binary(&mut self, objective: f64) -> Var {
        self.vars.push((0.0, 1.0, true, objective));
        Var(self.vars.len() - 1)
    }

    /// A continuous variable in `[min, max]`.
    pub fn continuous(&mut self, min: f64, max: f64, objective: f64) -> Var {
        self.vars.push((min, max, false, objective));
        Var(self.vars.len() - 1)
    }

    pub fn less_eq(&mut self, terms: Vec<(Var, f64)>, rhs: f64) {
        if !terms.is_empty() {
            self.rows.push(Row { terms, kind: RowKind::LessEq, rhs });
        }
    }

    pub fn equal(&mut self, terms: Vec<(Var, f64)>, rhs: f64) {
        self.rows.push(Row { terms, kind: RowKind::Equal, rhs });
    }

    pub fn variable_count(&self) -> usize {
        self.vars.len()
    }

    pub fn constraint_count(&self) -> usize {
        self.rows.len()
    }

    /// Objective value of an assignment.
    pub fn objective_of(&self, values: &[f64]) -> f64 {
        self.vars.iter().zip(values).map(|(v, x)| v.3 * x).sum()
    }
}

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MipStatus {
    /// Proven optimal.
    Optimal,
    /// Feasible, stopped by the time limit before the proof.
    TimeLimit,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MipOutcome {
    pub status: MipStatus,
    pub objective: f64,
    /// Best proven upper bound, when the backend reports one.
    pub bound: Option<f64>,
    /// Relative gap between objective and bound, when known.
    pub gap: Option<f64>,
    pub values: Vec<f64>,
    pub backend: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MipError {
    #[error("the model is infeasible")]
    Infeasible,
    #[error("no feasible solution within the time limit")]
    NoSolution,
    #[error("the MIP backend failed: {0}")]
    Backend(String),
    #[error(
        "the model is too large for the {backend} backend ({variables} variables, limit {limit}; the `highs` feature takes larger models)"
    )]
    TooLarge { variables: usize, limit: usize, backend: &'static str },
}

/// The largest model (in variables) worth handing to the backend: beyond it the pure-Rust
/// `microlp` rarely finds a first solution within seconds, so the caller falls back at once.
pub const MAX_VARIABLES: usize = backend::MAX_VARIABLES;
/// Name of the compiled-in backend.
pub const BACKEND: &str = backend::NAME;

/// Solves the model (maximising) within `time_limit`.
pub fn solve(model: &MipModel, time_limit: Duration) -> Result<MipOutcome, MipError> {
    let mut problem = ProblemVariables::new();
    let vars: Vec<good_lp::Variable> = model
        .vars
        .iter()
        .map(|&(min, max, integer, _)| {
            problem.add(if integer { variable().binary() } else { variable().min(min).max(max) })
        })
        .collect();
    let objective: Expression = model.vars.iter().zip(&vars).map(|(v, &x)| v.3 * x).sum();
    let rows: Vec<good_lp::Constraint> = model
        .rows
        .iter()
        .map(|row| {
            let lhs: Expression = row.terms.iter().map(|&(Var(i), c)| c * vars[i]).sum();
            match row.kind {
                RowKind::LessEq => lhs.leq(row.rhs),
                RowKind::Equal => lhs.eq(row.rhs),
            }
        })
        .collect();
    let unsolved = problem.maximise(objective);
    backend::solve(unsolved, rows, &vars, time_limit, model)
}

fn map_error(e: good_lp::ResolutionError) -> MipError {
    match e {
        good_lp::ResolutionError::Infeasible => MipError::Infeasible,
        good_lp::ResolutionError::Other(m) if m.contains("Time limit") => MipError::NoSolution,
        other => MipError::Backend(other.to_string()),
    }
}

/// Adds the rows to a backend's problem and solves it: the solution, its status and the
/// variables' values.
fn solve_rows<P: SolverModel<Error = good_lp::ResolutionError>>(
    mut problem: P,
    rows: Vec<good_lp::Constraint>,
    vars: &[good_lp::Variable],
) -> Result<(P::Solution, MipStatus, Vec<f64>), MipError> {
    for row in rows {
        problem.add_constraint(row);
    }
    let solution = problem.solve().map_err(map_error)?;
    let status = match solution.status() {
        SolutionStatus::Optimal => MipStatus::Optimal,
        _ => MipStatus::TimeLimit,
    };
    let values: Vec<f64> = vars.iter().map(|&v| solution.value(v)).collect();
    Ok((solution, status, values))
}

#[cfg(not(feature = "highs"))]
mod backend {
    use super::*;

    pub const NAME: &str = "microlp";
    pub const MAX_VARIABLES: usize = 2_500;

    pub fn solve(
        unsolved: good_lp::variable::UnsolvedProblem,
        rows: Vec<good_lp::Constraint>,
        vars: &[good_lp::Variable],
        time_limit: Duration,
        model: &MipModel,
    ) -> Result<MipOutcome, MipError> {
        let p = unsolved.using(good_lp::microlp).with_time_limit(time_limit.as_secs_f64());
        let (solution, status, values) = solve_rows(p, rows, vars)?;
        let stats = solution.into_inner().stats();
        let objective = model.objective_of(&values);
        let bound = if status == MipStatus::Optimal { Some(objective) } else { stats.best_bound };
        let gap = if status == MipStatus::Optimal { Some(0.0) } else { stats.gap };
        Ok(MipOutcome { status, objective, bound, gap, values, backend: NAME })
    }
}

#[cfg(feature = "highs")]
mod backend {
    use super::*;

    pub const NAME: &str = "highs";
    pub const MAX_VARIABLES: usize = 15_000;

    pub fn solve(
        unsolved: good_lp::variable::UnsolvedProblem,
        rows: Vec<good_lp::Constraint>,
        vars: &[good_lp::Variable],
        time_limit: Duration,
        model: &MipModel,
    ) -> Result<MipOutcome, MipError> {
        let mut p = unsolved.using(good_lp::highs).with_time_limit(time_limit.as_secs_f64()).set_threads(1);
        p.set_verbose(false);
        let (_, status, values) = solve_rows(p, rows, vars)?;
        let objective = model.objective_of(&values);
        let (bound, gap) = if status == MipStatus::Optimal { (Some(objective), Some(0.0)) } else { (None, None) };
        Ok(MipOutcome { status, objective, bound, gap, values, backend: NAME })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_knapsack_is_solved_to_optimality() {
        // max 5a + 4b + 3c  s.t. 2a + 3b + c <= 5, a, b, c binary → a = c = 1 (8) vs a + b (9): 9.
        let mut m = MipModel::default();
        let (a, b, c) = (m.binary(5.0), m.binary(4.0), m.binary(3.0));
        m.less_eq(vec![(a, 2.0), (b, 3.0), (c, 1.0)], 5.0);
        let out = solve(&m, Duration::from_secs(10)).unwrap();
        assert_eq!(out.status, MipStatus::Optimal);
        assert!((out.objective - 9.0).abs() < 1e-6);
        assert_eq!(out.values.iter().map(|v| v.round() as i32).collect::<Vec<_>>(), vec![1, 1, 0]);
    }

    #[test]
    fn infeasible_models_are_reported() {
        let mut m = MipModel::default();
        let a = m.binary(1.0);
        m.equal(vec![(a, 1.0)], 2.0);
        assert_eq!(solve(&m, Duration::from_secs(5)), Err(MipError::Infeasible));
    }
}
