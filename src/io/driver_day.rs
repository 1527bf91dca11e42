//! A crew's day as JSON for the drivers' API and page: stops in order with times, the
//! requests to handle with residents' names (private: only for the crew and planners),
//! what to bring, the route line, and navigation links.

use geojson::FeatureCollection;
use serde::{Deserialize, Serialize};

use super::itinerary::{gsi_link, itinerary, what_to_bring};
use super::plan_geojson::crew_route_geojson;
use super::plan_view::{PlanView, RouteView, SessionView};
use super::problem_file::Dataset;
use crate::lang::Lang;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DriverRequest {
    pub id: String,
    pub kind_name: String,
    pub minutes: i64,
    pub priority: u8,
    pub resident_name: String,
    pub phone: String,
    pub note: String,
    /// The remote session of this request: when, and who joins by video (to call).
    #[serde(default)]
    pub session: Option<SessionView>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DriverStop {
    pub order: usize,
    pub stop_id: Option<String>,
    pub name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub arrival: String,
    pub start: String,
    pub departure: String,
    pub published: (String, String),
    pub class: Option<String>,
    pub requests: Vec<DriverRequest>,
    /// Turn-by-turn navigation (Google Maps directions) and the GSI map.
    pub navigation: String,
    pub map: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DriverDay {
    pub date: String,
    pub weekday: String,
    pub unit_id: String,
    pub unit_name: String,
    pub depot_name: String,
    pub departure: String,
    pub return_time: String,
    pub lunch: Option<(String, String)>,
    /// The lunch break is taken after this stop (its `order`).
    #[serde(default)]
    pub lunch_after: Option<usize>,
    pub distance_km: f64,
    pub stops: Vec<DriverStop>,
    pub bring: Vec<String>,
    /// The route as a GeoJSON FeatureCollection (road-following when roads are loaded).
    pub geometry: FeatureCollection,
    /// The printable itinerary (Markdown), Japanese and English.
    pub itinerary_ja: String,
    pub itinerary_en: String,
}

fn stop(i: usize, v: &super::plan_view::VisitView) -> DriverStop {
    let (lat, lon) = (v.location.lat, v.location.lon);
    DriverStop {
        order: i + 1,
        stop_id: v.stop_id.clone(),
        name: v.name.clone(),
        // A home's address is the resident's (private, like the name).
        address: match &v.stop_id {
            Some(_) => v.address.clone(),
            None => v.requests.iter().map(|r| r.contact.address.clone()).find(|a| !a.is_empty()).unwrap_or_default(),
        },
        lon,
        lat,
        arrival: v.arrival.clone(),
        start: v.start.clone(),
        departure: v.end.clone(),
        published: v.published.clone(),
        class: v.class.as_ref().map(|(_, name)| name.clone()),
        requests: v
            .requests
            .iter()
            .map(|r| DriverRequest {
                id: r.id.clone(),
                kind_name: r.kind_name.clone(),
                minutes: r.minutes,
                priority: r.priority,
                resident_name: r.contact.name.clone(),
                phone: r.contact.phone.clone(),
                note: r.contact.note.clone(),
                session: v.sessions.iter().find(|s| s.request_id == r.id).cloned(),
            })
            .collect(),
        navigation: format!("https://www.google.com/maps/dir/?api=1&destination={lat:.6},{lon:.6}&travelmode=driving"),
        map: gsi_link(lat, lon),
    }
}

/// Every crew day of a plan.
pub fn driver_days(data: &Dataset, view: &PlanView) -> Vec<DriverDay> {
    let mut out = Vec::new();
    for day in &view.days {
        for route in &day.routes {
            out.push(driver_day(data, view, day, route));
        }
    }
    out
}

fn driver_day(data: &Dataset, view: &PlanView, day: &super::plan_view::DayView, route: &RouteView) -> DriverDay {
    DriverDay {
        date: day.date.to_string(),
        weekday: day.weekday.clone(),
        unit_id: route.vehicle_id.clone(),
        unit_name: route.vehicle_name.clone(),
        depot_name: route.depot_name.clone(),
        departure: route.departure.clone(),
        return_time: route.return_time.clone(),
        lunch: route.lunch.as_ref().map(|l| (l.start.clone(), l.end.clone())),
        lunch_after: route.lunch.as_ref().map(|l| l.after_visit),
        distance_km: route.distance_km,
        stops: route.visits.iter().enumerate().map(|(i, v)| stop(i, v)).collect(),
        bring: what_to_bring(data, route).into_iter().map(str::to_string).collect(),
        geometry: crew_route_geojson(view, day, route),
        itinerary_ja: itinerary(data, view, day, route, Lang::Ja),
        itinerary_en: itinerary(data, view, day, route, Lang::En),
    }
}
