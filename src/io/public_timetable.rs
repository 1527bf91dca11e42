//! The public timetable read back from a stored `plan.json`: one entry per visit at a
//! stop (home visits are private and left out), with the announced window, the unit and
//! the services offered — never the requests or who made them; and a stop's public fields.

use serde::{Deserialize, Serialize};

use super::plan_view::PlanView;

/// A stop's public fields, read from its stored document (the problem-file format; the
/// other fields are not public and are not read).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicStop {
    pub id: String,
    pub name: String,
    /// Kana reading (GTFS-JP `ja-Hrkt`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reading: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub district: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// WGS84 degrees.
    pub lon: f64,
    pub lat: f64,
    #[serde(default)]
    pub mountainous: bool,
    /// Service kinds the place can host.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Opening windows as in the problem file (shown, not interpreted).
    #[serde(default)]
    pub windows: serde_json::Value,
}

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

/// Every public visit of a plan, by date and time.
pub fn public_visits(plan: &PlanView) -> Vec<PublicVisit> {
    let mut out = Vec::new();
    for day in &plan.days {
        for route in &day.routes {
            for v in &route.visits {
                let Some(stop_id) = &v.stop_id else { continue };
                let mut services: Vec<String> = Vec::new();
                for r in &v.requests {
                    if !r.kind_name.is_empty() && !services.contains(&r.kind_name) {
                        services.push(r.kind_name.clone());
                    }
                }
                out.push(PublicVisit {
                    stop_id: stop_id.clone(),
                    stop_name: v.name.clone(),
                    date: day.date.to_string(),
                    weekday: day.weekday.clone(),
                    from: v.published.0.clone(),
                    to: v.published.1.clone(),
                    unit_id: route.vehicle_id.clone(),
                    unit_name: route.vehicle_name.clone(),
                    services,
                    class: v.class.as_ref().map(|(_, name)| name.clone()),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.date, &a.from, &a.stop_id).cmp(&(&b.date, &b.from, &b.stop_id)));
    out
}
