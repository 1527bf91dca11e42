//! A plan resolved for output: dates, names, published windows and request details,
//! shared by every writer (JSON, GeoJSON, CSV, itineraries) so that they agree.

use chrono::NaiveDate;
use junkai_solver::kpi::Kpis;
use junkai_solver::model::{Place, Point};
use junkai_solver::plan::{Plan, UnservedReason, VisitPlace};
use junkai_solver::units::Seconds;
use serde::{Deserialize, Serialize};

use super::problem_file::{Contact, Dataset, OutsideHorizon};
use super::route_geometry::route_line;
use super::travel::Travel;
use crate::lang::Text;

/// Colours for vehicles on maps (simplestyle), distinguishable for common colour-vision
/// deficiencies (Okabe–Ito palette).
pub const VEHICLE_COLOURS: [&str; 7] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

/// Positions are not in `plan.json` (home visits are private); a plan read back has none.
fn unknown_point() -> Point {
    Point { lon: 0.0, lat: 0.0 }
}

fn hhmm(t: Seconds) -> String {
    t.to_string()
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequestView {
    pub id: String,
    pub kind: String,
    pub kind_name: String,
    pub minutes: i64,
    pub priority: u8,
    /// Private: only in the crew's itinerary, never serialised into public outputs.
    #[serde(skip)]
    pub contact: Contact,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VisitView {
    /// Stop id, or `None` for a home visit (whose place is private).
    pub stop_id: Option<String>,
    pub name: String,
    pub district: String,
    pub address: String,
    #[serde(skip, default = "unknown_point")]
    pub location: Point,
    pub mountainous: bool,
    pub arrival: String,
    pub start: String,
    pub end: String,
    /// The window announced to residents (see `solver::plan::Visit::published`).
    pub published: (String, String),
    /// Class kind id and name, when a class is held.
    pub class: Option<(String, String)>,
    pub requests: Vec<RequestView>,
    /// Services residents may use on this visit without booking (from the unit's equipment
    /// and the kinds the place hosts that are marked `walk_in`).
    #[serde(default)]
    pub walk_in: Vec<String>,
    /// Remote sessions (a doctor or counsellor joining by video), in order of start.
    #[serde(default)]
    pub sessions: Vec<SessionView>,
}

/// A remote session of a visit: who joins by video, when, and for which request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub request_id: String,
    pub remote_id: String,
    pub remote_name: String,
    pub organisation: String,
    /// How the crew reaches them (phone or meeting address).
    pub contact: String,
    pub start: String,
    pub end: String,
}

/// The lunch break of a route, taken at the place of visit number `after_visit` (1-based).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LunchView {
    pub start: String,
    pub end: String,
    pub after_visit: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RouteView {
    pub vehicle_id: String,
    pub vehicle_name: String,
    pub colour: String,
    pub depot_id: String,
    pub depot_name: String,
    #[serde(skip, default = "unknown_point")]
    pub depot_location: Point,
    /// The route's line for public maps (home visits left out), and for the crew.
    #[serde(skip)]
    pub line: Vec<(f64, f64)>,
    #[serde(skip)]
    pub crew_line: Vec<(f64, f64)>,
    /// Whether the lines follow roads (else straight legs).
    pub road_geometry: bool,
    pub departure: String,
    pub return_time: String,
    pub lunch: Option<LunchView>,
    pub distance_km: f64,
    pub visits: Vec<VisitView>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DayView {
    pub date: NaiveDate,
    pub weekday: String,
    pub routes: Vec<RouteView>,
}

#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UnservedView {
    pub id: String,
    pub code: String,
    pub reason: Text,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShortfallView {
    pub stop_id: String,
    pub stop_name: String,
    pub week_of: NaiveDate,
    pub planned: u32,
    pub required: u32,
    pub code: String,
    pub reason: Text,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClosedView {
    pub date: NaiveDate,
    pub reason: Text,
}

/// Everything the writers need.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanView {
    pub format: String,
    pub version: u32,
    pub name: String,
    pub sample_requests: bool,
    pub first_monday: NaiveDate,
    pub weeks: u32,
    pub closed: Vec<ClosedView>,
    pub kpis: Kpis,
    /// How visits were assigned to days (MIP status, objective, bound, gap).
    pub assignment: junkai_solver::plan::AssignmentReport,
    pub days: Vec<DayView>,
    pub unserved: Vec<UnservedView>,
    pub shortfalls: Vec<ShortfallView>,
    pub not_in_horizon: Vec<OutsideHorizon>,
    pub credits: Vec<String>,
}

/// Bilingual label of an unserved reason.
pub fn reason_text(reason: UnservedReason) -> Text {
    match reason {
        UnservedReason::NoUnit => Text::new("必要な装備の車両がありません", "no unit carries the needed equipment"),
        UnservedReason::NoDay => Text::new("希望期間に訪問できる日がありません", "no open day in the requested dates"),
        UnservedReason::TooLong => Text::new("所要時間が開所時間より長いです", "longer than every opening window"),
        UnservedReason::VisitLimit => {
            Text::new("訪問回数・間隔の規則で枠がありません", "the stop's visit rule leaves no slot")
        }
        UnservedReason::Capacity => {
            Text::new("車両の時間・定員が不足しています", "the units' time or capacity is used up")
        }
        UnservedReason::Deferred => {
            Text::new("次の計画期間に持ち越し（期限内）", "carried over to the next horizon (still within its dates)")
        }
        UnservedReason::NoRemote => Text::new(
            "オンラインで対応する医師・相談員の空き時間がありません",
            "no remote doctor or counsellor was free for the session",
        ),
    }
}

fn request_view(data: &Dataset, r: usize) -> RequestView {
    let p = &data.problem;
    let req = &p.requests()[r];
    let kind = &p.kinds()[req.kind];
    RequestView {
        id: req.id.clone(),
        kind: kind.id.clone(),
        kind_name: kind.name.clone(),
        minutes: p.request_service(r).minutes(),
        priority: req.priority,
        contact: data.contacts[r].clone(),
    }
}

/// Services residents may use without booking on this visit: kinds marked `walk_in` that
/// the place hosts and the unit is equipped for.
fn walk_in_services(data: &Dataset, vehicle: usize, place: VisitPlace) -> Vec<String> {
    let p = &data.problem;
    let VisitPlace::Stop(s) = place else { return Vec::new() };
    let equipment = p.vehicles()[vehicle].equipment;
    (0..p.kinds().len())
        .filter(|&k| data.kinds[k].walk_in && p.stops()[s].hosts.contains(k))
        .filter(|&k| equipment.covers(p.kinds()[k].equipment))
        .map(|k| p.kinds()[k].name.clone())
        .collect()
}

fn visit_view(data: &Dataset, vehicle: usize, v: &junkai_solver::plan::Visit) -> VisitView {
    let p = &data.problem;
    let (stop_id, name, district, address, location, mountainous) = match v.place {
        VisitPlace::Stop(s) => {
            let stop = &p.stops()[s];
            let info = &data.stops[s];
            (
                Some(stop.id.clone()),
                stop.name.clone(),
                stop.district.clone(),
                info.address.clone(),
                stop.location,
                stop.mountainous,
            )
        }
        VisitPlace::Home(r) => {
            let at = match p.requests()[r].place {
                Place::Home(pt) => pt,
                Place::Stop(s) => p.stops()[s].location,
            };
            (None, "訪問（自宅）".to_string(), String::new(), String::new(), at, false)
        }
    };
    VisitView {
        stop_id,
        name,
        district,
        address,
        location,
        mountainous,
        arrival: hhmm(v.arrival),
        start: hhmm(v.start),
        end: hhmm(v.end),
        published: (hhmm(v.published.start), hhmm(v.published.end)),
        class: v.class_kind.map(|k| (p.kinds()[k].id.clone(), p.kinds()[k].name.clone())),
        requests: v.requests.iter().map(|&r| request_view(data, r)).collect(),
        walk_in: walk_in_services(data, vehicle, v.place),
        sessions: v.sessions.iter().map(|s| session_view(data, s)).collect(),
    }
}

fn session_view(data: &Dataset, s: &junkai_solver::model::Session) -> SessionView {
    let person = &data.problem.remote()[s.resource];
    SessionView {
        request_id: data.problem.requests()[s.request].id.clone(),
        remote_id: person.id.clone(),
        remote_name: person.name.clone(),
        organisation: person.organisation.clone(),
        contact: person.contact.clone(),
        start: hhmm(s.start),
        end: hhmm(s.end),
    }
}

impl PlanView {
    /// The visit that serves request `id` next from `today` on, else its latest before
    /// (a request announced twice — once on a day that has passed — is told the one ahead).
    pub fn next_visit_of(&self, id: &str, today: NaiveDate) -> Option<(&DayView, &RouteView, &VisitView)> {
        let mut all = Vec::new();
        for day in &self.days {
            for route in &day.routes {
                all.extend(
                    route.visits.iter().filter(|v| v.requests.iter().any(|r| r.id == id)).map(|v| (day, route, v)),
                );
            }
        }
        let (ahead, past): (Vec<_>, Vec<_>) = all.into_iter().partition(|(day, _, _)| day.date >= today);
        ahead.into_iter().next().or_else(|| past.into_iter().last())
    }

    pub fn new(data: &Dataset, travel: &Travel, plan: &Plan) -> PlanView {
        let p = &data.problem;
        let days = plan
            .days
            .iter()
            .map(|d| DayView {
                date: data.calendar.date_of(d.day),
                weekday: d.day.weekday().japanese().to_string(),
                routes: d
                    .routes
                    .iter()
                    .map(|r| {
                        let unit = &p.vehicles()[r.vehicle];
                        let depot = &p.depots()[unit.depot];
                        let lunch = r.lunch.zip(unit.lunch).map(|(slot, rule)| LunchView {
                            start: hhmm(slot.start),
                            end: hhmm(slot.start + rule.length),
                            after_visit: slot.after_visits,
                        });
                        RouteView {
                            vehicle_id: unit.id.clone(),
                            vehicle_name: unit.name.clone(),
                            colour: VEHICLE_COLOURS[r.vehicle % VEHICLE_COLOURS.len()].to_string(),
                            depot_id: depot.id.clone(),
                            depot_name: depot.name.clone(),
                            depot_location: depot.location,
                            line: route_line(data, travel, r, false).0,
                            crew_line: route_line(data, travel, r, true).0,
                            road_geometry: travel.roads.is_some(),
                            departure: hhmm(r.departure),
                            return_time: hhmm(r.return_time),
                            lunch,
                            distance_km: (r.distance.km() * 10.0).round() / 10.0,
                            visits: r.visits.iter().map(|v| visit_view(data, r.vehicle, v)).collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let unserved = plan
            .unserved
            .iter()
            .map(|u| UnservedView {
                id: p.requests()[u.request].id.clone(),
                code: u.reason.code().to_string(),
                reason: reason_text(u.reason),
            })
            .collect();
        let shortfalls = plan
            .shortfalls
            .iter()
            .map(|s| ShortfallView {
                stop_id: p.stops()[s.stop].id.clone(),
                stop_name: p.stops()[s.stop].name.clone(),
                week_of: data.calendar.first_monday + chrono::Duration::days(i64::from(s.week) * 7),
                planned: s.planned,
                required: s.required,
                code: s.reason.code().to_string(),
                reason: reason_text(s.reason),
            })
            .collect();
        PlanView {
            format: "junkai-plan".to_string(),
            version: 1,
            name: data.name.clone(),
            sample_requests: data.sample_requests,
            first_monday: data.calendar.first_monday,
            weeks: data.calendar.weeks,
            closed: data
                .calendar
                .closed
                .iter()
                .map(|c| ClosedView { date: c.date, reason: c.reason.clone() })
                .collect(),
            kpis: Kpis::compute(p, plan),
            assignment: plan.assignment.clone(),
            days,
            unserved,
            shortfalls,
            not_in_horizon: data.outside_horizon.clone(),
            credits: data.credits.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use junkai_solver::plan::{AssignedBy, AssignmentReport, MipBackend};

    #[test]
    fn the_assignment_reads_and_writes_plan_json_as_it_always_was() {
        let stored = r#"{"method":"greedy","backend":"","status":null,"objective":null,"bound":null,"gap":null,
            "variables":0,"constraints":0,"message":"greedy assignment requested"}"#;
        let greedy: AssignmentReport = serde_json::from_str(stored).unwrap();
        assert_eq!((greedy.method, greedy.backend), (AssignedBy::Greedy, None));
        assert_eq!(serde_json::to_value(&greedy).unwrap()["backend"], "");
        let mip: AssignmentReport =
            serde_json::from_str(&stored.replace(r#""greedy","backend":"""#, r#""mip","backend":"highs""#)).unwrap();
        assert_eq!((mip.method, mip.backend), (AssignedBy::Mip, Some(MipBackend::Highs)));
        assert_eq!(serde_json::to_value(&mip).unwrap()["method"], "mip");
        assert!(
            serde_json::from_str::<AssignmentReport>(&stored.replace(r#""backend":"""#, r#""backend":"cplex""#))
                .is_err()
        );
    }
}
