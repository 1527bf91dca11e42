//! Scale benchmark of weekly planning: synthetic prefecture-sized data sets (2,000 stops
//! spread over an 80 km × 70 km area, smaller sets over proportionally smaller ones, with
//! eight depots, a tenth of them mountainous and visited
//! weekly, one unit per 50 stops, 0.4 sample requests per stop and week), planned for one
//! five-day week through the same path as `junkai plan` (JSON → validation → matrix →
//! MIP/greedy day assignment → routing → check).
//!
//! Run: `cargo bench --bench plan_scale` (prints a Markdown table; peak memory is the
//! process's high-water mark after each size, so sizes run in increasing order).
//! `cargo bench --bench plan_scale -- --bench 2000` runs one size only.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use junkai::io::problem_file::{Documents, HorizonChoice, parse};
use junkai_solver::check::check;
use junkai_solver::matrix::great_circle_matrix;
use junkai_solver::rng::Rng;
use junkai_solver::weekly::{PlanParams, plan};
use serde_json::{Value, json};

const DEPOTS: usize = 8;

/// A synthetic data set with `stops` stops and `stops / 50` units (at least two): three
/// admin units for every two medical ones.
fn synthetic(stops: usize, seed: u64) -> Value {
    let mut rng = Rng::seed(seed);
    // The area shrinks with the number of stops, keeping the density of the 2,000-stop case.
    let side = (stops as f64 / 2000.0).sqrt();
    let mut coord = |lon0: f64, lat0: f64| (lon0 + rng.unit() * 0.9 * side, lat0 + rng.unit() * 0.63 * side);
    let depots: Vec<Value> = (0..DEPOTS)
        .map(|d| {
            let (lon, lat) = coord(138.65, 36.05);
            json!({ "id": format!("D{d}"), "name": format!("庁舎{d}"), "lon": lon, "lat": lat })
        })
        .collect();
    let units = (stops / 50).max(2);
    let vehicles: Vec<Value> = (0..units)
        .map(|v| {
            let medical = v % 5 >= 3;
            json!({
                "id": format!("V{v}"), "name": format!("{}{v}", if medical { "医療" } else { "行政" }),
                "equipment": [if medical { "medical" } else { "admin" }],
                "depot": format!("D{}", v % DEPOTS),
                "shifts": { "weekdays": ["08:30", "17:15"] },
                "lunch": { "window": ["11:30", "13:30"], "minutes": 45 },
                "max_work_minutes": 465,
                "capacity": { "consultations": 16, "seats": if medical { 0 } else { 10 } }
            })
        })
        .collect();
    let stop_list: Vec<Value> = (0..stops)
        .map(|s| {
            let (lon, lat) = coord(138.65, 36.05);
            let mountainous = s % 10 == 0;
            let rule = if mountainous {
                json!({ "min_per_week": 1, "max_per_week": 2, "min_gap_days": 1 })
            } else {
                json!({ "min_per_week": 0, "max_per_week": 2, "min_gap_days": 1 })
            };
            json!({
                "id": format!("S{s}"), "name": format!("集会所{s}"), "lon": lon, "lat": lat,
                "mountainous": mountainous,
                "windows": { "weekdays": [["09:30", "11:30"], ["13:30", "15:30"]] },
                "hosts": if s % 3 == 0 { json!(["admin", "medical", "class"]) } else { json!(["admin", "medical"]) },
                "visit_rule": rule, "min_stay_minutes": 30
            })
        })
        .collect();
    json!({
        "format": "junkai-problem", "version": 1, "name": format!("synthetic {stops} stops"),
        "calendar": { "open_weekdays": ["weekdays"], "national_holidays": true },
        "travel": { "detour_factor": 1.3, "speed_kmh": 40 },
        "equipment": ["admin", "medical"],
        "service_kinds": [
            { "id": "admin", "name": "手続・相談", "equipment": ["admin"], "default_minutes": 20 },
            { "id": "medical", "name": "オンライン診療", "equipment": ["medical"], "default_minutes": 30 },
            { "id": "class", "name": "スマホ教室", "equipment": ["admin"], "class": { "minutes": 90, "seats": 8 } }
        ],
        "depots": depots, "vehicles": vehicles, "stops": stop_list,
        "sample_requests": { "seed": seed, "per_week": stops * 2 / 5 }
    })
}

struct Measured {
    stops: usize,
    units: usize,
    requests: usize,
    served: usize,
    visits: usize,
    method: String,
    elapsed: Duration,
    peak_mb: f64,
}

/// Peak resident memory of this process so far (Linux `VmHWM`), in MB.
fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(f64::NAN);
    kb / 1024.0
}

fn run(stops: usize) -> Measured {
    let problem = synthetic(stops, 20_261_207);
    let started = Instant::now();
    let docs = Documents::new(("synthetic".into(), problem), None);
    let choice = HorizonChoice::weeks(
        NaiveDate::from_ymd_opt(2027, 2, 1),
        Some(1),
        NaiveDate::from_ymd_opt(2027, 1, 25).unwrap(),
    );
    let data = parse(&docs, choice).expect("the synthetic data is valid");
    let p = &data.problem;
    let flags: Vec<bool> = (0..p.locations().len()).map(|l| p.location_is_mountainous(l)).collect();
    let matrix = great_circle_matrix(p.locations(), &flags, &data.travel);
    let result = plan(p, &matrix, &PlanParams::default(), &mut |_| {});
    let elapsed = started.elapsed();
    let violations = check(p, &matrix, &result);
    assert!(violations.is_empty(), "every benchmarked plan is feasible: {violations:?}");
    let a = &result.assignment;
    let method = match a.gap {
        Some(g) => {
            format!("{} {} (gap {:.2}%)", a.method, a.backend.map_or(String::new(), |b| b.to_string()), g * 100.0)
        }
        None => a.method.to_string(),
    };
    eprintln!("{stops} stops: {}", a.message);
    Measured {
        stops,
        units: p.vehicles().len(),
        requests: p.requests().len(),
        served: result.visits().map(|(_, _, v)| v.requests.len()).sum(),
        visits: result.visits().count(),
        method,
        elapsed,
        peak_mb: peak_memory_mb(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` runs without `--bench`: keep that run to the smallest size.
    let sizes: Vec<usize> = match args.iter().position(|a| a == "--bench") {
        None => vec![100],
        Some(i) => match args.get(i + 1).and_then(|s| s.parse().ok()) {
            Some(n) => vec![n],
            None => vec![250, 500, 1000, 2000],
        },
    };
    println!("| stops | units | requests | served | visits | day assignment | time | peak memory |");
    println!("|---|---|---|---|---|---|---|---|");
    for stops in sizes {
        let m = run(stops);
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.1} s | {:.0} MB |",
            m.stops,
            m.units,
            m.requests,
            m.served,
            m.visits,
            m.method,
            m.elapsed.as_secs_f64(),
            m.peak_mb
        );
    }
}
