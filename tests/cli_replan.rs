//! `junkai replan` end to end: new and cancelled requests are handled without moving a
//! published window; a full re-optimisation reports changed windows; a plan that does not
//! match the data is refused with E1023.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

mod common;
use common::junkai;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fixtures/tiny/problem.json")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn success(o: Output) -> String {
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&o.stderr));
    stdout
}

/// Plans the tiny fixture into `dir/published` and returns the plan file.
fn publish(dir: &Path) -> PathBuf {
    let out = dir.join("published");
    success(junkai().args(["--lang", "en", "plan", "--data"]).arg(fixture()).arg("--out").arg(&out).output().unwrap());
    out.join("plan.json")
}

/// (date, stop or home request, published window) → request ids, for every visit.
fn visits(plan: &Value) -> BTreeMap<(String, String, String), Vec<String>> {
    let mut map = BTreeMap::new();
    for day in plan["days"].as_array().unwrap() {
        for route in day["routes"].as_array().unwrap() {
            for v in route["visits"].as_array().unwrap() {
                let ids: Vec<String> =
                    v["requests"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
                let place = v["stop_id"].as_str().map_or_else(|| format!("home:{}", ids[0]), str::to_string);
                let window = format!("{}-{}", v["published"][0], v["published"][1]);
                map.insert((day["date"].as_str().unwrap().to_string(), place, window), ids);
            }
        }
    }
    map
}

fn served_ids(plan: &Value) -> Vec<String> {
    visits(plan).into_values().flatten().collect()
}

#[test]
fn new_requests_are_inserted_without_moving_a_published_window() {
    let dir = tempfile::tempdir().unwrap();
    let published_file = publish(dir.path());
    let published = read_json(&published_file);
    let added = json!({
        "format": "junkai-requests", "version": 1,
        "requests": [
            { "id": "N1", "kind": "admin", "stop": "konaka", "earliest": "2026-12-07", "latest": "2026-12-11" },
            { "id": "N2", "kind": "medical", "stop": "nagaone", "earliest": "2026-12-07", "latest": "2026-12-11", "priority": 5 },
            { "id": "N3", "kind": "admin", "home": { "lon": 139.34, "lat": 36.53 }, "earliest": "2026-12-08", "latest": "2026-12-10" }
        ]
    });
    let added_file = dir.path().join("new.json");
    std::fs::write(&added_file, added.to_string()).unwrap();
    let cancelled = served_ids(&published)[0].clone();

    let out = dir.path().join("replanned");
    let stdout = success(
        junkai()
            .args(["--lang", "en", "replan", "--plan"])
            .arg(&published_file)
            .arg("--data")
            .arg(fixture())
            .arg("--requests")
            .arg(&added_file)
            .args(["--cancel", &cancelled])
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap(),
    );
    let replanned = read_json(&out.join("plan.json"));
    let after = visits(&replanned);
    // Every published visit that still serves someone is still there, same day and window.
    for (key, ids) in visits(&published) {
        if ids.iter().any(|id| id != &cancelled) {
            assert!(after.contains_key(&key), "published visit {key:?} moved: {stdout}");
        }
    }
    let served = served_ids(&replanned);
    assert!(!served.contains(&cancelled), "the cancelled request is not served");
    // Each new request is served or reported with a reason.
    let unserved: Vec<&str> =
        replanned["unserved"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap()).collect();
    for id in ["N1", "N2", "N3"] {
        assert!(served.iter().any(|s| s == id) || unserved.contains(&id), "{id} is lost: {unserved:?}");
    }
    assert!(served.iter().any(|s| s == "N1"), "a request at a published visit with room is served");
    assert!(stdout.contains("published visits kept in their windows"), "{stdout}");
    assert!(stdout.contains("1 cancelled"), "{stdout}");
}

#[test]
fn a_full_reoptimisation_reports_the_windows_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let published_file = publish(dir.path());
    // Same data, same seed: the full re-optimisation reproduces the plan.
    let stdout = success(
        junkai()
            .args(["--lang", "en", "replan", "--full", "--plan"])
            .arg(&published_file)
            .arg("--data")
            .arg(fixture())
            .arg("--out")
            .arg(dir.path().join("full"))
            .output()
            .unwrap(),
    );
    assert!(stdout.contains("full re-optimisation: 0 of"), "{stdout}");
}

#[test]
fn a_plan_that_does_not_match_the_data_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let published_file = publish(dir.path());
    let mut plan = read_json(&published_file);
    plan["days"][0]["routes"][0]["vehicle_id"] = json!("no-such-unit");
    std::fs::write(&published_file, plan.to_string()).unwrap();
    let out = dir.path().join("replanned");
    let o = junkai()
        .args(["--lang", "en", "replan", "--plan"])
        .arg(&published_file)
        .arg("--data")
        .arg(fixture())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("E1023") && stderr.contains("vehicle_id"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn cancelling_an_unknown_request_is_a_coded_error() {
    let dir = tempfile::tempdir().unwrap();
    let published_file = publish(dir.path());
    let o = junkai()
        .args(["--lang", "en", "replan", "--plan"])
        .arg(&published_file)
        .arg("--data")
        .arg(fixture())
        .args(["--cancel", "nobody"])
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("E1007 --cancel"), "{stderr}");
}

/// Re-plans the published tiny plan against the fixture changed by `change`.
fn replan_with(dir: &Path, change: impl FnOnce(&mut Value)) -> (Value, Value) {
    let published_file = publish(dir);
    let mut data = read_json(&fixture());
    change(&mut data);
    let data_file = dir.join("changed.json");
    std::fs::write(&data_file, data.to_string()).unwrap();
    let out = dir.join("replanned");
    success(
        junkai()
            .args(["--lang", "en", "replan", "--plan"])
            .arg(&published_file)
            .arg("--data")
            .arg(&data_file)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap(),
    );
    (read_json(&published_file), read_json(&out.join("plan.json")))
}

/// Every request the published plan served is served by the re-plan or reported unserved
/// with a reason.
fn assert_none_lost(published: &Value, replanned: &Value) {
    let served = served_ids(replanned);
    let unserved: Vec<(&str, &str)> = replanned["unserved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["id"].as_str().unwrap(), u["code"].as_str().unwrap_or("")))
        .collect();
    for id in served_ids(published) {
        let reported = unserved.iter().any(|(u, code)| *u == id && !code.is_empty());
        assert!(served.contains(&id) || reported, "{id} is lost: {unserved:?}");
    }
}

fn routes_on<'a>(plan: &'a Value, date: &str) -> Vec<&'a Value> {
    plan["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["date"] == date)
        .flat_map(|d| d["routes"].as_array().unwrap())
        .collect()
}

#[test]
fn a_unit_out_of_service_on_a_published_day_has_its_visits_moved_or_reported() {
    let dir = tempfile::tempdir().unwrap();
    let published = publish(dir.path());
    let day = read_json(&published)["days"][1].clone();
    let (date, unit) = (day["date"].as_str().unwrap().to_string(), day["routes"][0]["vehicle_id"].clone());
    let (published, replanned) = replan_with(dir.path(), |data| {
        let vehicle = data["vehicles"].as_array_mut().unwrap().iter_mut().find(|v| v["id"] == unit).unwrap();
        vehicle["out_of_service"] = json!([{ "from": date, "reason": "故障" }]);
    });
    assert!(routes_on(&replanned, &date).iter().all(|r| r["vehicle_id"] != unit), "{unit} runs on {date}");
    assert_none_lost(&published, &replanned);
}

#[test]
fn a_hall_closed_on_a_published_day_is_not_visited_that_day() {
    let dir = tempfile::tempdir().unwrap();
    let published = publish(dir.path());
    let day = read_json(&published)["days"][2].clone();
    let (date, stop) = (day["date"].as_str().unwrap().to_string(), day["routes"][0]["visits"][0]["stop_id"].clone());
    assert!(stop.is_string(), "the day starts at a hall");
    let (published, replanned) = replan_with(dir.path(), |data| {
        let hall = data["stops"].as_array_mut().unwrap().iter_mut().find(|s| s["id"] == stop).unwrap();
        hall["closed"] = json!([{ "from": date, "to": date, "reason": "地区の行事" }]);
    });
    let visits_there = routes_on(&replanned, &date)
        .iter()
        .flat_map(|r| r["visits"].as_array().unwrap())
        .filter(|v| v["stop_id"] == stop)
        .count();
    assert_eq!(visits_there, 0, "{stop} is closed on {date}");
    assert_none_lost(&published, &replanned);
}
