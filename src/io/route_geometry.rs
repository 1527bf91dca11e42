//! The line a route draws on a map: legs that follow the roads when a road network is
//! loaded (simplified for display), straight legs otherwise.

use geo::{LineString, Simplify};
use junkai_solver::matrix::road::leg_geometry;
use junkai_solver::plan::{Route, VisitPlace};

use super::problem_file::Dataset;
use super::travel::Travel;

/// Simplification tolerance in degrees (about 1 m).
const SIMPLIFY_DEG: f64 = 0.00001;

/// The polyline (lon, lat) of a route, depot to depot, and whether it follows roads.
/// With `include_homes` false, home visits are left out and the line passes from the stop
/// before to the stop after (public maps never show where residents live).
pub fn route_line(data: &Dataset, travel: &Travel, route: &Route, include_homes: bool) -> (Vec<(f64, f64)>, bool) {
    let p = &data.problem;
    let depot = p.depot_location(p.vehicles()[route.vehicle].depot);
    let mut stops = vec![depot];
    for v in &route.visits {
        match v.place {
            VisitPlace::Stop(s) => stops.push(p.stop_location(s)),
            VisitPlace::Home(r) if include_homes => stops.push(p.request_location(r)),
            VisitPlace::Home(_) => {}
        }
    }
    stops.push(depot);
    stops.dedup();
    let point = |l: usize| (p.locations()[l].lon, p.locations()[l].lat);
    let Some(roads) = &travel.roads else {
        return (stops.iter().map(|&l| point(l)).collect(), false);
    };
    let mut line: Vec<(f64, f64)> = Vec::new();
    for w in stops.windows(2) {
        let leg = leg_geometry(&roads.graph, &roads.snaps, w[0], w[1]);
        let leg = if leg.is_empty() { vec![point(w[0]), point(w[1])] } else { leg };
        let skip = usize::from(line.last() == leg.first());
        line.extend(leg.into_iter().skip(skip));
    }
    let simplified = LineString::from(line).simplify(SIMPLIFY_DEG);
    (simplified.0.into_iter().map(|c| (c.x, c.y)).collect(), true)
}
