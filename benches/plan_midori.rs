//! Runtime benchmark of the whole planning pipeline on the embedded Midori data:
//! load and validate, build the travel matrix, plan, and check — for one and four weeks.
//!
//! Run: `cargo bench --bench plan_midori` (results go to docs/BENCHMARKS.md by hand).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use junkai::io::data_folder::load_documents;
use junkai::io::problem_file::{HorizonChoice, parse};
use junkai_solver::check::check;
use junkai_solver::matrix::great_circle_matrix;
use junkai_solver::weekly::{PlanParams, plan};

/// One full run; returns (requests served, requests, how days were assigned, elapsed).
fn run(weeks: u32) -> (usize, usize, String, Duration) {
    let started = Instant::now();
    let docs = load_documents(None).expect("embedded data loads");
    let choice = HorizonChoice::weeks(
        NaiveDate::from_ymd_opt(2026, 12, 7),
        Some(weeks),
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    );
    let data = parse(&docs, choice).expect("embedded data is valid");
    let p = &data.problem;
    let flags: Vec<bool> = (0..p.locations().len()).map(|l| p.location_is_mountainous(l)).collect();
    let matrix = great_circle_matrix(p.locations(), &flags, &data.travel);
    let result = plan(p, &matrix, &PlanParams::default(), &mut |_| {});
    assert!(check(p, &matrix, &result).is_empty(), "every benchmarked plan is feasible");
    let served = result.visits().map(|(_, _, v)| v.requests.len()).sum();
    let a = &result.assignment;
    let assignment = format!(
        "{} {} ({} variables, gap {})",
        a.method,
        a.backend.map_or(String::new(), |b| b.to_string()),
        a.variables,
        a.gap.map_or("-".into(), |g| format!("{:.2}%", g * 100.0))
    );
    (served, p.requests().len(), assignment, started.elapsed())
}

fn main() {
    // `cargo test --benches` passes `--bench`-less arguments; keep that run short.
    let quick = !std::env::args().any(|a| a == "--bench");
    let repeats = if quick { 1 } else { 20 };
    println!("| horizon | served / requests | day assignment | median | min | runs |");
    println!("|---|---|---|---|---|---|");
    for weeks in [1, 4] {
        let mut times = Vec::with_capacity(repeats);
        let (mut served, mut assignment) = ((0, 0), String::new());
        for _ in 0..repeats {
            let (s, n, a, t) = run(weeks);
            (served, assignment) = ((s, n), a);
            times.push(t);
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {weeks} week(s) | {}/{} | {assignment} | {:.1} ms | {:.1} ms | {repeats} |",
            served.0,
            served.1,
            ms(times[times.len() / 2]),
            ms(times[0])
        );
    }
}
