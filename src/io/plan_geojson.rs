//! `plan.geojson`: depots, stops and one LineString per vehicle-day, with simplestyle
//! colours and Japanese names in the properties. Home visits are private: no point marks
//! a home and route lines pass from the stop before to the stop after it.
//!
//! Legs follow the roads when the data set has a road network (`"geometry": "road"`),
//! and are straight lines between stops otherwise (`"geometry": "straight"`).

use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject};
use junkai_solver::model::Point;
use serde_json::json;

use super::announced::{Announced, Publication};
use super::plan_view::PlanView;
use super::problem_file::Dataset;

/// A stop's visits as the map lists them: 「12/08(火) 09:30–10:30 移動市役所」.
fn stop_visit_labels(view: &PlanView, stop_id: &str) -> Vec<String> {
    view.days
        .iter()
        .flat_map(|d| d.routes.iter().flat_map(move |r| r.visits.iter().map(move |v| (d, r, v))))
        .filter(|(_, _, v)| v.stop_id.as_deref() == Some(stop_id))
        .map(|(d, r, v)| {
            format!("{}({}) {}–{} {}", d.date.format("%m/%d"), d.weekday, v.published.0, v.published.1, r.vehicle_name)
        })
        .collect()
}

/// A stop's marker colour: grey without visits, green in the mountains, else blue.
fn stop_colour(visited: bool, mountainous: bool) -> &'static str {
    if !visited {
        "#999999"
    } else if mountainous {
        "#009E73"
    } else {
        "#0072B2"
    }
}

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
        let visits = stop_visit_labels(view, &stop.id);
        features.push(feature(
            GeometryValue::new_point(position(stop.location)),
            json!({
                "type": "stop", "id": stop.id, "name": stop.name, "reading": stop.reading,
                "district": stop.district, "mountainous": stop.mountainous, "address": data.stops[s].address,
                "visits": visits,
                "marker-color": stop_colour(!visits.is_empty(), stop.mountainous),
                "marker-symbol": if stop.mountainous { "triangle" } else { "circle" },
            }),
        ));
    }
    for day in &view.days {
        for route in &day.routes {
            let line: Vec<[f64; 2]> = route.line.iter().map(|&(x, y)| [x, y]).collect();
            features.push(feature(
                GeometryValue::new_line_string(line),
                json!({
                    "type": "route", "date": day.date.to_string(), "weekday": day.weekday,
                    "vehicle": route.vehicle_id, "name": format!("{} {}({})", route.vehicle_name, day.date.format("%m/%d"), day.weekday),
                    "departure": route.departure, "return": route.return_time, "distance_km": route.distance_km,
                    "stops": route.visits.iter().map(|v| v.name.clone()).collect::<Vec<_>>(),
                    "home_visits": route.visits.iter().filter(|v| v.stop_id.is_none()).count(),
                    "geometry": if route.road_geometry { "road" } else { "straight" },
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

/// The announced map (`maps`: each publication's stored map, newest first): depots and
/// stops from the newest map with each stop's visits from the whole announced calendar,
/// and each date's route lines from the publication that date is read from.
pub fn announced_map(announced: &Announced, maps: &[(&Publication, String)]) -> Result<String, serde_json::Error> {
    let view = announced.view();
    let mut out = FeatureCollection { features: Vec::new(), bbox: None, foreign_members: None };
    for (i, (publication, text)) in maps.iter().enumerate().filter(|(_, (_, t))| !t.is_empty()) {
        let map: FeatureCollection = serde_json::from_str(text)?;
        if out.foreign_members.is_none() {
            out.foreign_members = map.foreign_members.clone();
        }
        for mut f in map.features {
            let kind = f.property("type").and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let date = f.property("date").and_then(|v| v.as_str()).and_then(|d| d.parse().ok());
            match kind.as_str() {
                "route" if date.is_some_and(|d| announced.reads_from(publication, d)) => out.features.push(f),
                "stop" if i == 0 => {
                    let id = f.property("id").and_then(|v| v.as_str()).unwrap_or_default().to_string();
                    let mountainous = f.property("mountainous").and_then(|v| v.as_bool()).unwrap_or(false);
                    let visits = view.as_ref().map(|v| stop_visit_labels(v, &id)).unwrap_or_default();
                    f.set_property("marker-color", stop_colour(!visits.is_empty(), mountainous));
                    f.set_property("visits", visits);
                    out.features.push(f);
                }
                "depot" if i == 0 => out.features.push(f),
                _ => {}
            }
        }
    }
    Ok(out.to_string())
}

/// One vehicle-day for the crew: the route line (home visits included; this file is as
/// confidential as the itinerary) and the stops in order.
pub fn crew_route_geojson(
    view: &PlanView,
    day: &super::plan_view::DayView,
    route: &super::plan_view::RouteView,
) -> FeatureCollection {
    let mut features = vec![feature(
        GeometryValue::new_line_string(route.crew_line.iter().map(|&(x, y)| [x, y]).collect::<Vec<_>>()),
        json!({
            "type": "route", "date": day.date.to_string(), "vehicle": route.vehicle_id, "name": route.vehicle_name,
            "geometry": if route.road_geometry { "road" } else { "straight" },
            "stroke": route.colour, "stroke-width": 4,
        }),
    )];
    for (i, v) in route.visits.iter().enumerate() {
        features.push(feature(
            GeometryValue::new_point(position(v.location)),
            json!({"type": "visit", "order": i + 1, "name": v.name, "start": v.start, "end": v.end, "marker-symbol": (i + 1).to_string()}),
        ));
    }
    let mut members = JsonObject::new();
    members.insert("attribution".into(), json!(view.credits));
    FeatureCollection { features, bbox: None, foreign_members: Some(members) }
}
