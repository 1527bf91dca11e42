//! `plan.geojson`: depots, stops and one LineString per vehicle-day, with simplestyle
//! colours and Japanese names in the properties. Home visits are private: no point marks
//! a home and route lines pass from the stop before to the stop after it.
//!
//! Legs follow the roads when the data set has a road network (`"geometry": "road"`),
//! and are straight lines between stops otherwise (`"geometry": "straight"`).

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
