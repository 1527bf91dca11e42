//! `junkai plan` end to end: the default Midori data and the tiny fixture, every output
//! read back in its standard format, private data kept out of public files, a golden
//! plan for the tiny fixture, and determinism for a seed.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{junkai, repo};

fn run_plan(args: &[&str], out: &Path) -> String {
    let o = junkai().args(["plan"]).args(args).arg("--out").arg(out).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&o.stderr));
    stdout
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn default_data_plans_a_week_with_all_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let summary = run_plan(&["--week", "2026-12-07"], dir.path());
    assert!(summary.contains("サンプルデータ"), "sample data is labelled: {summary}");

    let plan = read_json(&dir.path().join("plan.json"));
    assert_eq!(plan["format"], "junkai-plan");
    assert_eq!(plan["sample_requests"], true);
    let k = &plan["kpis"];
    assert!(k["requests_served"].as_u64().unwrap() * 10 >= k["requests_total"].as_u64().unwrap() * 8, "{k}");
    assert_eq!(k["mountainous_stops_visited"], k["mountainous_stops"], "every hill stop is visited weekly: {k}");
    assert_eq!(plan["days"].as_array().unwrap().len(), 5);

    let geo: geojson::GeoJson = std::fs::read_to_string(dir.path().join("plan.geojson")).unwrap().parse().unwrap();
    let geojson::GeoJson::FeatureCollection(fc) = geo else { panic!("not a FeatureCollection") };
    let lines = fc.features.iter().filter(|f| f.property("type") == Some(&Value::from("route"))).count();
    let routes: usize = plan["days"].as_array().unwrap().iter().map(|d| d["routes"].as_array().unwrap().len()).sum();
    assert_eq!(lines, routes);
    assert!(fc.features.iter().all(|f| f.geometry.is_some()));

    let csv = std::fs::read(dir.path().join("timetable.csv")).unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM for Excel");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.ends_with("\r\n"));
    let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(rows[0].starts_with("地区,拠点ID,拠点名"));
    assert!(rows.len() > 20);
    assert!(rows.iter().all(|r| r.matches(',').count() == rows[0].matches(',').count()), "same column count");

    let itineraries: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("itinerary-"))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(itineraries.len(), routes);
}

#[test]
fn private_data_stays_in_the_crew_itineraries() {
    let dir = tempfile::tempdir().unwrap();
    run_plan(&["--data", repo("data/fixtures/tiny/problem.json").to_str().unwrap()], dir.path());
    for public in ["plan.json", "plan.geojson", "timetable.csv"] {
        let text = String::from_utf8_lossy(&std::fs::read(dir.path().join(public)).unwrap()).into_owned();
        assert!(!text.contains("試験 花子") && !text.contains("000-0000-0001"), "{public} leaks a resident's data");
        assert!(!text.contains("139.36,") && !text.contains("139.36]"), "{public} leaks a home position");
    }
    let crew: String = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("itinerary-"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(crew.contains("試験 花子"), "the crew sees who booked");
}

#[test]
fn tiny_fixture_matches_its_golden_plan() {
    let dir = tempfile::tempdir().unwrap();
    run_plan(&["--data", repo("data/fixtures/tiny/problem.json").to_str().unwrap(), "--seed", "1"], dir.path());
    let got = std::fs::read_to_string(dir.path().join("plan.json")).unwrap();
    let golden = repo("tests/golden/tiny-plan.json");
    if std::env::var_os("JUNKAI_BLESS").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file (regenerate with JUNKAI_BLESS=1)");
    assert_eq!(got, want, "plan changed: review and regenerate with JUNKAI_BLESS=1 cargo test --test cli_plan");
}

#[test]
fn the_same_seed_gives_the_same_plan() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for d in [&a, &b] {
        run_plan(&["--week", "2026-12-07", "--seed", "7"], d.path());
    }
    let read = |d: &tempfile::TempDir| std::fs::read(d.path().join("plan.json")).unwrap();
    assert_eq!(read(&a), read(&b));
}

#[test]
fn year_end_weeks_skip_holidays_and_closures() {
    let dir = tempfile::tempdir().unwrap();
    run_plan(&["--week", "2026-12-28", "--weeks", "2", "--lang", "en", "--mip-time-limit", "1"], dir.path());
    let plan = read_json(&dir.path().join("plan.json"));
    let dates: Vec<&str> = plan["days"].as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap()).collect();
    for closed in ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01"] {
        assert!(!dates.contains(&closed), "{closed} is closed: {dates:?}");
    }
    let closed: Vec<&str> = plan["closed"].as_array().unwrap().iter().map(|c| c["date"].as_str().unwrap()).collect();
    assert_eq!(closed, ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01"]);
}

#[test]
fn sample_requests_are_reproducible_and_plannable() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(repo("data/midori/problem.json"), folder.join("problem.json")).unwrap();
    let generate = |out: &Path| {
        let o = junkai()
            .args(["sample-requests", "--week", "2026-12-07", "--seed", "5", "--per-week", "20", "--out"])
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read(out).unwrap()
    };
    let first = generate(&folder.join("requests.json"));
    assert_eq!(first, generate(&dir.path().join("again.json")));
    let doc: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(doc["sample"], true);
    assert_eq!(doc["requests"].as_array().unwrap().len(), 20);
    let out = dir.path().join("out");
    let summary = run_plan(&["--data", folder.to_str().unwrap(), "--week", "2026-12-07"], &out);
    assert!(summary.contains("/20"), "{summary}");
}
