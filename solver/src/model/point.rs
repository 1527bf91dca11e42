//! Geographic points (WGS84 longitude/latitude in degrees) and depots.

use serde::{Deserialize, Serialize};

/// A WGS84 position in decimal degrees. Invariant: `-180 <= lon <= 180`, `-90 <= lat <= 90`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

impl Point {
    pub const fn new(lon: f64, lat: f64) -> Point {
        Point { lon, lat }
    }

    pub fn is_valid(&self) -> bool {
        self.lon.is_finite()
            && self.lat.is_finite()
            && (-180.0..=180.0).contains(&self.lon)
            && (-90.0..=90.0).contains(&self.lat)
    }
}

/// A base (庁舎 / 支所) where units start and end their day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Depot {
    pub id: String,
    pub name: String,
    pub location: Point,
}
