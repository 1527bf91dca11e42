//! The public timetable read back from a stored `plan.json`: one entry per visit at a
//! stop (home visits are private and left out), with the announced window, the unit and
//! the services offered — never the requests or who made them.

use serde::Serialize;
use serde_json::Value;

/// A visit as residents see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicVisit {
    pub stop_id: String,
    pub stop_name: String,
    pub date: String,
    pub weekday: String,
    /// The announced window, `HH:MM`.
    pub from: String,
    pub to: String,
    pub unit_id: String,
    pub unit_name: String,
    /// Service names offered on this visit (booked kinds), each once.
    pub services: Vec<String>,
    /// The class held, if any (e.g. 移動スマホ教室).
    pub class: Option<String>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// Every public visit of a plan, by date and time.
pub fn public_visits(plan: &Value) -> Vec<PublicVisit> {
    let mut out = Vec::new();
    for day in plan.get("days").and_then(Value::as_array).into_iter().flatten() {
        for route in day.get("routes").and_then(Value::as_array).into_iter().flatten() {
            for v in route.get("visits").and_then(Value::as_array).into_iter().flatten() {
                let Some(stop_id) = v.get("stop_id").and_then(Value::as_str) else { continue };
                let mut services: Vec<String> = Vec::new();
                for r in v.get("requests").and_then(Value::as_array).into_iter().flatten() {
                    let name = text(r, "kind_name");
                    if !name.is_empty() && !services.contains(&name) {
                        services.push(name);
                    }
                }
                let class = v.get("class").and_then(|c| c.get(1)).and_then(Value::as_str).map(str::to_string);
                let window = |i: usize| v["published"].get(i).and_then(Value::as_str).unwrap_or_default().to_string();
                out.push(PublicVisit {
                    stop_id: stop_id.to_string(),
                    stop_name: text(v, "name"),
                    date: text(day, "date"),
                    weekday: text(day, "weekday"),
                    from: window(0),
                    to: window(1),
                    unit_id: text(route, "vehicle_id"),
                    unit_name: text(route, "vehicle_name"),
                    services,
                    class,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.date, &a.from, &a.stop_id).cmp(&(&b.date, &b.from, &b.stop_id)));
    out
}
