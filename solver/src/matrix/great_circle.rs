//! Travel times from great-circle distance × a detour factor, at speeds per area.
//!
//! A leg touching a mountainous location (中山間地域) uses the mountain detour factor and
//! speed: winding valley roads are both longer and slower than the straight line suggests.

use geo::{Distance, Haversine};

use super::TravelMatrix;
use crate::model::Point;
use crate::units::{Meters, Seconds};

/// Detour factors (road length / straight-line length, >= 1) and average speeds (km/h, > 0).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GreatCircleConfig {
    pub detour_factor: f64,
    pub speed_kmh: f64,
    pub mountain_detour_factor: f64,
    pub mountain_speed_kmh: f64,
}

impl Default for GreatCircleConfig {
    /// Defaults for rural Gunma: 1.3 detour at 36 km/h on the plain, 1.6 detour at 28 km/h in
    /// the hills (national and prefectural roads along the Watarase valley).
    fn default() -> Self {
        GreatCircleConfig { detour_factor: 1.3, speed_kmh: 36.0, mountain_detour_factor: 1.6, mountain_speed_kmh: 28.0 }
    }
}

/// Builds the matrix for `points`; `mountainous[i]` marks locations in hilly areas.
/// Durations are rounded up to whole seconds, distances to whole metres.
pub fn great_circle_matrix(points: &[Point], mountainous: &[bool], config: &GreatCircleConfig) -> TravelMatrix {
    assert_eq!(points.len(), mountainous.len(), "one mountainous flag per point");
    let geo_points: Vec<geo::Point> = points.iter().map(|p| geo::Point::new(p.lon, p.lat)).collect();
    TravelMatrix::from_fn(points.len(), |i, j| {
        let straight_m = Haversine.distance(geo_points[i], geo_points[j]);
        let (factor, speed) = if mountainous[i] || mountainous[j] {
            (config.mountain_detour_factor, config.mountain_speed_kmh)
        } else {
            (config.detour_factor, config.speed_kmh)
        };
        let road_m = straight_m * factor;
        let seconds = road_m / (speed / 3.6);
        (Seconds(seconds.ceil() as i64), Meters(road_m.round() as i64))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_kilometre_east_at_the_equator_takes_the_expected_time() {
        let pts = [Point::new(0.0, 0.0), Point::new(0.008_993_2, 0.0)];
        let cfg = GreatCircleConfig { detour_factor: 1.0, speed_kmh: 36.0, ..Default::default() };
        let m = great_circle_matrix(&pts, &[false, false], &cfg);
        assert!((m.distance(0, 1).get() - 1000).abs() <= 1, "{:?}", m.distance(0, 1));
        assert!((m.duration(0, 1).get() - 100).abs() <= 1);
        assert_eq!(m.duration(1, 1), Seconds::ZERO);
    }

    #[test]
    fn mountain_legs_are_slower() {
        let pts = [Point::new(139.3, 36.5), Point::new(139.35, 36.55)];
        let cfg = GreatCircleConfig::default();
        let plain = great_circle_matrix(&pts, &[false, false], &cfg);
        let hills = great_circle_matrix(&pts, &[false, true], &cfg);
        assert!(hills.duration(0, 1) > plain.duration(0, 1));
        assert!(hills.distance(1, 0) > plain.distance(1, 0));
    }
}
