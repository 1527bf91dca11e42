//! Remote staff benchmark (docs/BENCHMARKS.md, "Remote staff"): how many requests the
//! remote people's hours cost, and how the session scheduling holds up when several units
//! share a few doctors.
//!
//! 1. The embedded Midori week (2026-12-07) with its sample remote staff, against the same
//!    data with nobody needed (every `remote_kind` and request `remote` removed).
//! 2. A synthetic stress case: 6 medical units from two depots, 60 halls, 300 online
//!    consultations over one week (15–30 min, 30 % naming their own doctor), 4 doctors
//!    with one online window a day (staggered over the day), a 5-minute buffer; planned
//!    with the windows 2 h, 1.5 h, 1 h and 0.5 h long, and with unlimited doctors.
//!
//! Every plan passes `check()` (which includes the independent session check) and every
//! served request that needs a person has its session; the benchmark asserts both.
//!
//! Run: `cargo bench --bench remote_staff`.

use std::time::Instant;

use chrono::NaiveDate;
use junkai::io::data_folder::load_documents;
use junkai::io::problem_file::{Documents, HorizonChoice, parse};
use junkai_solver::check::check;
use junkai_solver::matrix::great_circle_matrix;
use junkai_solver::model::Problem;
use junkai_solver::plan::{Plan, UnservedReason};
use junkai_solver::rng::Rng;
use junkai_solver::weekly::{PlanParams, plan};
use serde_json::{Value, json};

/// The figures of one planned case.
struct Outcome {
    requests: usize,
    served: usize,
    needing: usize,
    sessions: usize,
    no_remote: usize,
    utilisation: f64,
    seconds: f64,
}

fn planned(problem: &Problem, travel: &junkai_solver::matrix::GreatCircleConfig) -> Outcome {
    let started = Instant::now();
    let flags: Vec<bool> = (0..problem.locations().len()).map(|l| problem.location_is_mountainous(l)).collect();
    let matrix = great_circle_matrix(problem.locations(), &flags, travel);
    let result = plan(problem, &matrix, &PlanParams::default(), &mut |_| {});
    let seconds = started.elapsed().as_secs_f64();
    let violations = check(problem, &matrix, &result);
    assert!(violations.is_empty(), "every benchmarked plan passes the check: {violations:#?}");
    outcome(problem, &result, seconds)
}

fn outcome(problem: &Problem, result: &Plan, seconds: f64) -> Outcome {
    let served_needing: usize =
        result.visits().map(|(_, _, v)| v.requests.iter().filter(|&&r| problem.needs_remote(r)).count()).sum();
    let sessions: usize = result.visits().map(|(_, _, v)| v.sessions.len()).sum();
    assert_eq!(sessions, served_needing, "every served request that needs a person has its session");
    let kpis = junkai_solver::kpi::Kpis::compute(problem, result);
    let (held, online) =
        kpis.remote.iter().fold((0, 0), |(h, o), r| (h + r.session_time.get(), o + r.online_time.get()));
    Outcome {
        requests: problem.requests().len(),
        served: result.visits().map(|(_, _, v)| v.requests.len()).sum(),
        needing: (0..problem.requests().len()).filter(|&r| problem.needs_remote(r)).count(),
        sessions,
        no_remote: result.unserved.iter().filter(|u| u.reason == UnservedReason::NoRemote).count(),
        utilisation: if online == 0 { 0.0 } else { held as f64 / online as f64 },
        seconds,
    }
}

/// The same problem with nobody needed (unlimited remote staff).
fn unlimited(problem: &Problem) -> Problem {
    let mut parts = problem.parts().clone();
    parts.kinds.iter_mut().for_each(|k| k.remote_kind = None);
    parts.requests.iter_mut().for_each(|r| r.remote = None);
    Problem::new(parts).expect("still valid")
}

fn row(case: &str, o: &Outcome) {
    println!(
        "| {case} | {}/{} ({:.1} %) | {}/{} | {} | {:.0} % | {:.2} s |",
        o.served,
        o.requests,
        100.0 * o.served as f64 / o.requests as f64,
        o.sessions,
        o.needing,
        o.no_remote,
        100.0 * o.utilisation,
        o.seconds
    );
}

fn midori() {
    let docs = load_documents(None).expect("embedded data loads");
    let choice = HorizonChoice::weeks(
        NaiveDate::from_ymd_opt(2026, 12, 7),
        Some(1),
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    );
    let data = parse(&docs, choice).expect("embedded data is valid");
    row("Midori week, sample remote staff", &planned(&data.problem, &data.travel));
    row("Midori week, nobody needed", &planned(&unlimited(&data.problem), &data.travel));
}

/// The stress case with online windows of `minutes` per doctor and day.
fn stress(minutes: i64) -> Value {
    let mut rng = Rng::seed(20_261_202);
    let mut coord = || (139.20 + rng.unit() * 0.30, 36.38 + rng.unit() * 0.25);
    let halls: Vec<Value> = (0..60)
        .map(|s| {
            let (lon, lat) = coord();
            json!({
                "id": format!("H{s}"), "name": format!("集会所{s}"), "lon": lon, "lat": lat,
                "windows": { "weekdays": [["09:00", "12:00"], ["13:00", "16:30"]] },
                "hosts": ["medical"], "visit_rule": { "max_per_week": 2, "min_gap_days": 1 },
                "min_stay_minutes": 20
            })
        })
        .collect();
    let units: Vec<Value> = (0..6)
        .map(|v| {
            json!({
                "id": format!("M{v}"), "name": format!("医療{v}"), "equipment": ["medical"],
                "depot": if v % 2 == 0 { "east" } else { "west" },
                "shifts": { "weekdays": ["08:30", "17:15"] },
                "lunch": { "window": ["11:30", "13:30"], "minutes": 45 },
                "max_work_minutes": 465, "capacity": { "consultations": 16, "seats": 0 }
            })
        })
        .collect();
    // Staggered starts: 09:00, 10:30, 13:00, 14:30.
    let starts = [9 * 60, 10 * 60 + 30, 13 * 60, 14 * 60 + 30];
    let hhmm = |m: i64| format!("{:02}:{:02}", m / 60, m % 60);
    let doctors: Vec<Value> = starts
        .iter()
        .enumerate()
        .map(|(i, &from)| {
            json!({
                "id": format!("dr{i}"), "name": format!("医師{i}"), "kind": "doctor",
                "organisation": format!("診療所{i}"), "contact": format!("000-0000-90{i:02}"),
                "hours": { "weekdays": [[hhmm(from), hhmm(from + minutes)]] }
            })
        })
        .collect();
    let mut rng = Rng::seed(7);
    let requests: Vec<Value> = (0..300)
        .map(|n| {
            let day = rng.below(5) as i64;
            let earliest = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap() + chrono::Duration::days(day);
            let latest = earliest + chrono::Duration::days(rng.below(5 - day as usize) as i64);
            let minutes = [15, 20, 30][rng.below(3)];
            let mut r = json!({
                "id": format!("R{n:03}"), "kind": "medical", "stop": format!("H{}", rng.below(60)),
                "minutes": minutes,
                "earliest": earliest.to_string(), "latest": latest.to_string(),
                "priority": 1 + rng.below(5)
            });
            if rng.unit() < 0.3 {
                r["remote"] = json!(format!("dr{}", rng.below(4)));
            }
            r
        })
        .collect();
    json!({
        "format": "junkai-problem", "version": 1, "name": "remote staff stress case",
        "calendar": { "open_weekdays": ["weekdays"], "national_holidays": true },
        "travel": { "detour_factor": 1.3, "speed_kmh": 36 },
        "equipment": ["medical"],
        "service_kinds": [
            { "id": "medical", "name": "オンライン診療", "equipment": ["medical"], "default_minutes": 20, "remote_kind": "doctor" }
        ],
        "depots": [
            { "id": "east", "name": "東支所", "lon": 139.42, "lat": 36.55 },
            { "id": "west", "name": "本庁", "lon": 139.25, "lat": 36.42 }
        ],
        "vehicles": units, "stops": halls, "remote_staff": doctors, "session_buffer_minutes": 5,
        "requests": requests
    })
}

fn stress_case(minutes: i64, limit: bool) {
    let docs = Documents::new(("stress".into(), stress(minutes)), None);
    let choice = HorizonChoice::weeks(
        NaiveDate::from_ymd_opt(2027, 2, 1),
        Some(1),
        NaiveDate::from_ymd_opt(2027, 1, 25).unwrap(),
    );
    let data = parse(&docs, choice).expect("the stress case is valid");
    if limit {
        row(&format!("stress, 4 doctors × {minutes} min a day"), &planned(&data.problem, &data.travel));
    } else {
        row("stress, unlimited doctors", &planned(&unlimited(&data.problem), &data.travel));
    }
}

fn main() {
    // `cargo test --benches` runs without `--bench`: keep that run to one case.
    let full = std::env::args().any(|a| a == "--bench");
    println!("| case | served | sessions / needing a person | U07 | remote utilisation | time |");
    println!("|---|---|---|---|---|---|");
    if !full {
        stress_case(60, true);
        return;
    }
    midori();
    for minutes in [120, 90, 60, 30] {
        stress_case(minutes, true);
    }
    stress_case(120, false);
}
