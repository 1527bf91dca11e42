//! junkai: plans weekly routes and timetables of mobile public-service units.
//!
//! The application layer: reads data folders into the solver's model, runs the planner,
//! and writes plans in standard formats. All optimisation lives in `junkai-solver`.

pub mod calendar;
pub mod cli;
pub mod clock;
pub mod diagnostics;
pub mod io;
pub mod lang;
pub mod pipeline;
pub mod sample;
pub mod server;
