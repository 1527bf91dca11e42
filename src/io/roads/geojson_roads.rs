//! Reading roads from a GeoJSON FeatureCollection of LineStrings (or MultiLineStrings) with
//! OSM-like properties: `highway` (default `unclassified`), `oneway` (`yes`/`-1`), and
//! `maxspeed`. Lines meet where they share an exact coordinate.

use std::collections::HashMap;

use geojson::{GeoJson, GeometryValue};

use super::network::{ImportStats, Oneway, Way};
use super::profile::{RoadProfile, parse_maxspeed};

pub fn read_ways(text: &str, profile: &RoadProfile, stats: &mut ImportStats) -> Result<Vec<Way>, String> {
    let geo: GeoJson = text.parse().map_err(|e: geojson::Error| e.to_string())?;
    let GeoJson::FeatureCollection(fc) = geo else { return Err("expected a FeatureCollection".into()) };
    let mut keys: HashMap<(u64, u64), i64> = HashMap::new();
    let mut key_of = |p: (f64, f64)| {
        let next = keys.len() as i64;
        *keys.entry((p.0.to_bits(), p.1.to_bits())).or_insert(next)
    };
    let mut ways = Vec::new();
    for (i, feature) in fc.features.iter().enumerate() {
        stats.ways_read += 1;
        let prop = |k: &str| feature.property(k).and_then(|v| v.as_str().map(str::to_string));
        let class = prop("highway").unwrap_or_else(|| "unclassified".into());
        let Some(&class_speed) = profile.speeds_kmh.get(&class) else {
            stats.dropped_class += 1;
            continue;
        };
        let speed_kmh = prop("maxspeed").and_then(|m| parse_maxspeed(&m)).map_or(class_speed, |m| m.min(class_speed));
        let oneway = match prop("oneway").as_deref() {
            Some("yes" | "true" | "1") => Oneway::Forward,
            Some("-1") => Oneway::Backward,
            _ => Oneway::Both,
        };
        let lines: Vec<Vec<(f64, f64)>> = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::LineString { coordinates }) => vec![positions(coordinates)],
            Some(GeometryValue::MultiLineString { coordinates }) => coordinates.iter().map(|l| positions(l)).collect(),
            _ => return Err(format!("feature {i} is not a LineString or MultiLineString")),
        };
        for points in lines.into_iter().filter(|l| l.len() >= 2) {
            if points.iter().any(|p| !p.0.is_finite() || !p.1.is_finite()) {
                return Err(format!("feature {i} has an invalid coordinate"));
            }
            let nodes = points.iter().map(|&p| key_of(p)).collect();
            ways.push(Way { nodes, points, speed_kmh, oneway });
        }
        stats.ways_kept += 1;
    }
    Ok(ways)
}

fn positions(coords: &[geojson::Position]) -> Vec<(f64, f64)> {
    coords
        .iter()
        .map(|p| (p.as_slice().first().copied().unwrap_or(f64::NAN), p.as_slice().get(1).copied().unwrap_or(f64::NAN)))
        .collect()
}
