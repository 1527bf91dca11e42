//! No input, however malformed, panics: random mutations of a valid problem file either
//! load or come back as coded diagnostics.

use std::path::Path;

use chrono::NaiveDate;
use junkai::io::problem_file::{Documents, HorizonChoice, parse};
use junkai_solver::check::check;
use junkai_solver::matrix::great_circle_matrix;
use junkai_solver::weekly::{PlanParams, plan};
use proptest::prelude::*;
use serde_json::{Value, json};

fn fixture() -> Value {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fixtures/tiny/problem.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// All paths to values in the document, as lists of keys/indices.
fn paths(v: &Value, prefix: Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(prefix.clone());
    match v {
        Value::Object(m) => m.iter().for_each(|(k, c)| {
            let mut p = prefix.clone();
            p.push(json!(k));
            paths(c, p, out);
        }),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| {
            let mut p = prefix.clone();
            p.push(json!(i));
            paths(c, p, out);
        }),
        _ => {}
    }
}

fn replace(doc: &mut Value, path: &[Value], new: Value) {
    let mut node = doc;
    for key in path {
        node = match key {
            Value::String(k) => &mut node[k.as_str()],
            Value::Number(i) => &mut node[i.as_u64().unwrap() as usize],
            _ => unreachable!(),
        };
    }
    *node = new;
}

fn weird_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
        Just(json!("25:99")),
        Just(json!("2026-02-30")),
        Just(json!([])),
        Just(json!({})),
        Just(json!(["09:00"])),
        Just(json!({"weekdays": [["12:00", "09:00"]]})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mutated_files_never_panic(picks in prop::collection::vec((any::<prop::sample::Index>(), weird_value()), 1..4)) {
        let mut doc = fixture();
        for (pick, value) in picks {
            let mut all = Vec::new();
            paths(&doc, Vec::new(), &mut all);
            let path = pick.get(&all).clone();
            replace(&mut doc, &path, value);
        }
        let docs = Documents::new(("fuzz.json".into(), doc), None);
        let choice = HorizonChoice::weeks(NaiveDate::from_ymd_opt(2026, 12, 7), Some(1), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        match parse(&docs, choice) {
            Ok(data) => {
                // Whatever loads also plans, and the plan passes the independent check.
                let p = &data.problem;
                let flags: Vec<bool> = (0..p.locations().len()).map(|l| p.location_is_mountainous(l)).collect();
                let m = great_circle_matrix(p.locations(), &flags, &data.travel);
                let result = plan(p, &m, &PlanParams::default(), &mut |_| {});
                let violations = check(p, &m, &result);
                prop_assert!(violations.is_empty(), "{:?}", violations);
            }
            Err(diagnostics) => prop_assert!(!diagnostics.is_empty()),
        }
    }
}
