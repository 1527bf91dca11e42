//! `junkai pvrp FILE`: solves a periodic VRP instance (Cordeau format) and prints
//! `{"instance", "distance", "days": [{"day": 1, "routes": [[customer numbers]]}]}`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use junkai_solver::weekly::periodic::solve_periodic;
use serde_json::json;

use super::report;
use crate::diagnostics::Diagnostic;
use crate::io::cordeau::parse_cordeau;
use crate::lang::Lang;

#[derive(Args)]
pub struct PvrpArgs {
    /// Instance file (Cordeau periodic VRP format).
    pub file: PathBuf,
    /// Time limit in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub time_limit: f64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(args: &PvrpArgs, lang: Lang) -> ExitCode {
    let started = Instant::now();
    let label = args.file.display().to_string();
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => return report(&[Diagnostic::read_failed(&label, &e)], lang),
    };
    let name = args.file.file_stem().map_or_else(|| "instance".into(), |s| s.to_string_lossy().into_owned());
    let inst = match parse_cordeau(&text, &label, &name) {
        Ok(i) => i,
        Err(d) => return report(&[d], lang),
    };
    let matrix = inst.matrix();
    let periodic = inst.periodic(&matrix);
    let limit = Duration::from_secs_f64(args.time_limit.max(0.0)).saturating_sub(started.elapsed());
    let solution = solve_periodic(&periodic, args.seed, limit);
    let all_routes: Vec<Vec<usize>> = solution.days.iter().flatten().cloned().collect();
    let days: Vec<serde_json::Value> = solution
        .days
        .iter()
        .enumerate()
        .map(|(d, routes)| {
            let numbered: Vec<Vec<u32>> =
                routes.iter().map(|r| r.iter().map(|&v| inst.vertices[v].0).collect()).collect();
            json!({"day": d + 1, "routes": numbered})
        })
        .collect();
    say!(
        "{}",
        json!({
            "instance": inst.name,
            "distance": inst.distance(&all_routes),
            "runtime_s": started.elapsed().as_secs_f64(),
            "days": days,
        })
    );
    ExitCode::SUCCESS
}
