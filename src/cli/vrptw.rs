//! `junkai vrptw FILE`: solves a Solomon or VRPLIB benchmark instance with the routing
//! core and prints `{"instance", "vehicles", "distance", "runtime_s", "routes"}`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use junkai_solver::routing::{SearchParams, solve, verify};
use serde_json::json;

use super::{EXIT_FAILURE, report};
use crate::diagnostics::Diagnostic;
use crate::io::vrp_benchmark::parse_instance;
use crate::lang::Lang;

#[derive(Args)]
pub struct VrptwArgs {
    /// Instance file (Solomon text format or VRPLIB).
    pub file: PathBuf,
    /// Time limit in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(args: &VrptwArgs, lang: Lang) -> ExitCode {
    let started = Instant::now();
    let label = args.file.display().to_string();
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => return report(&[Diagnostic::read_failed(&label, &e)], lang),
    };
    let bench = match parse_instance(&text, &label) {
        Ok(b) => b,
        Err(d) => return report(&[d], lang),
    };
    let matrix = bench.matrix();
    let instance = bench.routing_instance(&matrix);
    let limit = Duration::from_secs_f64(args.time_limit.max(0.0)).saturating_sub(started.elapsed());
    let params = SearchParams {
        seed: args.seed,
        max_iterations: u64::MAX,
        max_no_improvement: u64::MAX,
        time_limit: Some(limit),
        ..SearchParams::default()
    };
    let solution = solve(&instance, &params, &mut |_, _| {});
    if let Err(why) = verify(&instance, &solution) {
        eprintln!("the solution failed the core's check: {why}");
        return ExitCode::from(EXIT_FAILURE);
    }
    if !solution.unassigned.is_empty() {
        eprintln!("{} customers could not be served within the fleet limit", solution.unassigned.len());
        return ExitCode::from(EXIT_FAILURE);
    }
    let routes: Vec<Vec<u32>> = solution
        .routes
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.iter().map(|&j| bench.numbers[j + 1]).collect())
        .collect();
    let out = json!({
        "instance": bench.name,
        "vehicles": routes.len(),
        "distance": bench.distance(&solution.routes),
        "runtime_s": started.elapsed().as_secs_f64(),
        "iterations": solution.iterations,
        "routes": routes,
    });
    say!("{out}");
    ExitCode::SUCCESS
}
