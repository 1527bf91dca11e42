//! Places far outside the data set's boundary: a typo in a coordinate, or a place in the
//! wrong town. Warnings by default (`junkai check` prints them and passes; `--strict`
//! refuses), since a unit may well serve a hall just across the city line.

use geo::{Closest, ClosestPoint, Contains, Distance, Haversine, MultiPolygon, Point};
use junkai_solver::model::Place;

use super::problem_file::Dataset;
use crate::diagnostics::Diagnostic;

/// Kilometres between `p` and the nearest point of `boundary` (0 inside it).
pub fn km_outside(boundary: &MultiPolygon<f64>, p: Point<f64>) -> f64 {
    if boundary.contains(&p) {
        return 0.0;
    }
    match boundary.closest_point(&p) {
        Closest::Intersection(_) => 0.0,
        Closest::SinglePoint(q) => Haversine.distance(p, q) / 1000.0,
        Closest::Indeterminate => f64::INFINITY,
    }
}

/// Every depot, stop and home visit farther than `max_km` outside `boundary`.
pub fn far_outside(data: &Dataset, boundary: &MultiPolygon<f64>, max_km: f64) -> Vec<Diagnostic> {
    let p = &data.problem;
    let depots = p.depots().iter().enumerate().map(|(i, d)| (format!("depots[{i}]"), d.location));
    let stops = p.stops().iter().enumerate().map(|(i, s)| (format!("stops[{i}]"), s.location));
    let homes = p.requests().iter().filter_map(|r| match r.place {
        Place::Home(at) => Some((format!("requests[{}].home", r.id), at)),
        Place::Stop(_) => None,
    });
    depots
        .chain(stops)
        .chain(homes)
        .filter_map(|(path, at)| {
            let km = km_outside(boundary, Point::new(at.lon, at.lat));
            (km > max_km).then(|| Diagnostic::far_outside(&path, km))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn distance_outside_is_zero_inside_and_grows_outside() {
        let square = MultiPolygon(vec![
            polygon![(x: 139.0, y: 36.0), (x: 139.1, y: 36.0), (x: 139.1, y: 36.1), (x: 139.0, y: 36.1)],
        ]);
        assert_eq!(km_outside(&square, Point::new(139.05, 36.05)), 0.0);
        let km = km_outside(&square, Point::new(139.2, 36.05));
        assert!((8.0..10.0).contains(&km), "0.1° of longitude at 36° N is about 9 km: {km}");
    }
}
