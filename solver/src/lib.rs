//! junkai-solver: the pure, synchronous, deterministic optimisation core of junkai.
//!
//! No I/O, no environment, no dates or time zones; the wall clock is read only to honour
//! a time limit. Units: integer seconds and metres ([`units`]).

pub mod check;
pub mod check_sessions;
pub mod kpi;
pub mod lp;
pub mod matrix;
pub mod model;
pub mod plan;
pub mod rng;
pub mod routing;
pub mod units;
pub mod weekly;
