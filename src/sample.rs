//! Seeded generator of sample requests (サンプルデータ), so that the default data set can
//! be planned any week. The output is ordinary request JSON, validated like user input,
//! and always labelled as sample data.
//!
//! Rules (deterministic for a seed and horizon):
//! * `per_week` requests per week of the horizon, ids `SAMPLE-<week>-<n>`;
//! * service kind weighted 2 for consultation kinds and 1 for class kinds;
//! * stop: among stops hosting the kind, mountainous stops weigh 3, others 1;
//! * earliest date: a weekday of that week; latest: 4 to 13 days later;
//! * 30 % prefer two weekdays, 20 % prefer mornings, 10 % afternoons;
//! * priority 1–5 with weights 1:2:4:2:1; service minutes = kind default −5, ±0 or +10;
//! * 10 % of medical-unit requests are home visits within ~800 m of a mountainous stop;
//! * 30 % of requests of a kind that needs remote staff name their own person of that
//!   kind (the patient's doctor), chosen evenly;
//! * resident names and phone numbers are obviously fake.

use chrono::Duration;
use junkai_solver::model::{RemoteResource, ServiceKind, Stop, Weekday};
use junkai_solver::rng::Rng;
use serde_json::{Value, json};

use crate::calendar::Calendar;
use crate::io::problem_file::SampleSpec;

fn pick_weighted(rng: &mut Rng, weights: &[u32]) -> Option<usize> {
    let total: u32 = weights.iter().sum();
    if total == 0 {
        return None;
    }
    let mut x = rng.below(total as usize) as u32;
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return Some(i);
        }
        x -= w;
    }
    None
}

/// Generates sample requests for the calendar's horizon.
pub fn generate(
    stops: &[Stop],
    kinds: &[ServiceKind],
    remote: &[RemoteResource],
    calendar: &Calendar,
    spec: SampleSpec,
) -> Vec<Value> {
    let mut rng = Rng::seed(spec.seed);
    let kind_weights: Vec<u32> = kinds.iter().map(|k| if k.class.is_some() { 1 } else { 2 }).collect();
    let mut out = Vec::new();
    let mut n = 0;
    for week in 0..calendar.weeks {
        for _ in 0..spec.per_week {
            let Some(kind) = pick_weighted(&mut rng, &kind_weights) else { return out };
            let stop_weights: Vec<u32> = stops
                .iter()
                .map(|s| {
                    if !s.hosts.contains(kind) {
                        0
                    } else if s.mountainous {
                        3
                    } else {
                        1
                    }
                })
                .collect();
            let Some(stop) = pick_weighted(&mut rng, &stop_weights) else { continue };
            n += 1;
            let k = &kinds[kind];
            let weekday = rng.below(5) as i64;
            let earliest = calendar.first_monday + Duration::days(i64::from(week) * 7 + weekday);
            let latest = earliest + Duration::days(4 + rng.below(10) as i64);
            let mut request = json!({
                "id": format!("SAMPLE-{}-{n:03}", week + 1),
                "kind": k.id,
                "earliest": earliest.format("%Y-%m-%d").to_string(),
                "latest": latest.format("%Y-%m-%d").to_string(),
                "priority": 1 + pick_weighted(&mut rng, &[1, 2, 4, 2, 1]).unwrap_or(2),
                "resident": {"name": format!("サンプル住民{n:03}"), "phone": format!("000-0000-{n:04}")},
                "note": "サンプルデータ / sample data",
            });
            if k.class.is_none() {
                let delta = [-5i64, 0, 10][rng.below(3)];
                request["minutes"] = json!((k.default_service.minutes() + delta).max(5));
            }
            if rng.unit() < 0.3 {
                let a = Weekday::from_index(rng.below(5));
                let b = Weekday::from_index(rng.below(5));
                request["preferred_weekdays"] = json!([a.key(), b.key()]);
            }
            let t = rng.unit();
            if t < 0.2 {
                request["preferred_time"] = json!(["09:00", "12:00"]);
            } else if t < 0.3 {
                request["preferred_time"] = json!(["13:00", "16:00"]);
            }
            let home_capable = k.class.is_none() && k.id.contains("medical");
            if home_capable && stops[stop].mountainous && rng.unit() < 0.1 {
                let s = stops[stop].location;
                let dx = (rng.unit() - 0.5) * 0.016;
                let dy = (rng.unit() - 0.5) * 0.012;
                request["home"] =
                    json!({"lon": ((s.lon + dx) * 1e6).round() / 1e6, "lat": ((s.lat + dy) * 1e6).round() / 1e6});
            } else {
                request["stop"] = json!(stops[stop].id);
            }
            let own: Vec<&RemoteResource> = remote.iter().filter(|x| Some(&x.kind) == k.remote_kind.as_ref()).collect();
            if !own.is_empty() && rng.unit() < 0.3 {
                request["remote"] = json!(own[rng.below(own.len())].id);
            }
            out.push(request);
        }
    }
    out
}
