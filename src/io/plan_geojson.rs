//! `plan.geojson`: depots, stops and one LineString per vehicle-day, with simplestyle
//! colours and Japanese names in the properties. Home visits are private: no point marks
//! a home and route lines pass from the stop before to the stop after it.
//!
//! Legs are straight lines between stops (`"geometry": "straight"`) until a road network
//! is imported.

use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject};
use junkai_solver::model::Point;
use serde_json::json;

use super::plan_view::PlanView;
use super::problem_file::Dataset;

fn position(p: Point) -> [f64; 2] {
    [p.lon, p.lat]
}

fn feature(geometry: GeometryValue, properties: serde_json::Value) -> Feature {
    let properties: JsonObject = match properties {
        serde_json::Value::Object(map) => map,
        _ => JsonObject::new(),
    };
    Feature { geometry: Some(Geometry::new(geometry)), properties: Some(properties), ..Feature::default() }
}

pub fn plan_geojson(data: &Dataset, view: &PlanView) -> FeatureCollection {
    let p = &data.problem;
    let mut features = Vec::new();
    for (d, depot) in p.depots().iter().enumerate() {
        features.push(feature(
            GeometryValue::new_point(position(depot.location)),
            json!({
                "type": "depot", "id": depot.id, "name": depot.name,
                "approximate": data.depots[d].approximate,
                "marker-color": "#555555", "marker-symbol": "town-hall",
            }),
        ));
    }
    for (s, stop) in p.stops().iter().enumerate() {
        let visits: Vec<String> = view
            .days
            .iter()
            .flat_map(|d| d.routes.iter().flat_map(move |r| r.visits.iter().map(move |v| (d, r, v))))
            .filter(|(_, _, v)| v.stop_id.as_deref() == Some(&stop.id))
            .map(|(d, r, v)| {
                format!(
                    "{}({}) {}–{} {}",
                    d.date.format("%m/%d"),
                    d.weekday,
                    v.published.0,
                    v.published.1,
                    r.vehicle_name
                )
            })
            .collect();
        features.push(feature(
            GeometryValue::new_point(position(stop.location)),
            json!({
                "type": "stop", "id": stop.id, "name": stop.name, "reading": stop.reading,
                "district": stop.district, "mountainous": stop.mountainous, "address": data.stops[s].address,
                "visits": visits,
                "marker-color": if visits.is_empty() { "#999999" } else if stop.mountainous { "#009E73" } else { "#0072B2" },
                "marker-symbol": if stop.mountainous { "triangle" } else { "circle" },
            }),
        ));
    }
    for day in &view.days {
        for route in &day.routes {
            let mut line = vec![position(route.depot_location)];
            line.extend(route.visits.iter().filter(|v| v.stop_id.is_some()).map(|v| position(v.location)));
            line.push(position(route.depot_location));
            features.push(feature(
                GeometryValue::new_line_string(line),
                json!({
                    "type": "route", "date": day.date.to_string(), "weekday": day.weekday,
                    "vehicle": route.vehicle_id, "name": format!("{} {}({})", route.vehicle_name, day.date.format("%m/%d"), day.weekday),
                    "departure": route.departure, "return": route.return_time, "distance_km": route.distance_km,
                    "stops": route.visits.iter().map(|v| v.name.clone()).collect::<Vec<_>>(),
                    "home_visits": route.visits.iter().filter(|v| v.stop_id.is_none()).count(),
                    "geometry": "straight",
                    "stroke": route.colour, "stroke-width": 3, "stroke-opacity": 0.8,
                }),
            ));
        }
    }
    let mut fc = FeatureCollection { features, bbox: None, foreign_members: None };
    let mut members = JsonObject::new();
    members.insert("name".into(), json!(view.name));
    members.insert("sample_requests".into(), json!(view.sample_requests));
    members.insert("attribution".into(), json!(view.credits));
    fc.foreign_members = Some(members);
    fc
}
