//! Which roads a unit drives on and how fast: speeds per OSM `highway` class with Japanese
//! defaults (configurable in a JSON file), and a slow-down for winding roads.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Speeds (km/h) per `highway` class, and the winding-road rule. Classes not listed are
/// not drivable for the units. A tagged `maxspeed` below the class speed caps it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadProfile {
    pub speeds_kmh: BTreeMap<String, f64>,
    #[serde(default)]
    pub winding: WindingRule,
}

/// A road whose length exceeds its end-to-end distance by more than `threshold` times is
/// winding: its speed is multiplied by `threshold / sinuosity`, but never below
/// `min_factor` (mountain roads along the Watarase valley are the case in point).
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindingRule {
    pub threshold: f64,
    pub min_factor: f64,
}

impl Default for WindingRule {
    fn default() -> Self {
        WindingRule { threshold: 1.2, min_factor: 0.6 }
    }
}

impl Default for RoadProfile {
    /// Typical speeds on Japanese roads for a small van, below the legal limits: 高速道路 80,
    /// 国道 (trunk) 50, 主要地方道 (primary/secondary) 40, 一般県道 (tertiary) 30, 市町村道 30,
    /// 生活道路 (residential) 20.
    fn default() -> Self {
        let speeds = [
            ("motorway", 80.0),
            ("motorway_link", 50.0),
            ("trunk", 50.0),
            ("trunk_link", 40.0),
            ("primary", 40.0),
            ("primary_link", 35.0),
            ("secondary", 40.0),
            ("secondary_link", 30.0),
            ("tertiary", 30.0),
            ("tertiary_link", 25.0),
            ("unclassified", 30.0),
            ("road", 20.0),
            ("residential", 20.0),
            ("living_street", 10.0),
            ("service", 15.0),
        ];
        RoadProfile {
            speeds_kmh: speeds.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            winding: WindingRule::default(),
        }
    }
}

impl RoadProfile {
    /// Speed factor for a road of `length` over an end-to-end distance `chord`.
    pub fn winding_factor(&self, length: f64, chord: f64) -> f64 {
        if chord <= 0.0 || length <= 0.0 {
            return 1.0;
        }
        let sinuosity = length / chord;
        if sinuosity <= self.winding.threshold {
            1.0
        } else {
            (self.winding.threshold / sinuosity).max(self.winding.min_factor)
        }
    }
}

/// Parses an OSM `maxspeed` value in km/h ("40", "40 km/h", "25 mph"); `None` if unknown.
pub fn parse_maxspeed(value: &str) -> Option<f64> {
    let v = value.trim();
    let (number, factor) = match v.strip_suffix("mph") {
        Some(n) => (n.trim(), 1.609_344),
        None => (v.trim_end_matches("km/h").trim(), 1.0),
    };
    number.parse::<f64>().ok().filter(|s| *s > 0.0 && s.is_finite()).map(|s| s * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maxspeed_values_parse() {
        assert_eq!(parse_maxspeed("40"), Some(40.0));
        assert_eq!(parse_maxspeed("50 km/h"), Some(50.0));
        assert!((parse_maxspeed("30 mph").unwrap() - 48.28).abs() < 0.01);
        assert_eq!(parse_maxspeed("JP:urban"), None);
        assert_eq!(parse_maxspeed("signals"), None);
    }

    #[test]
    fn winding_roads_are_slower_but_not_too_slow() {
        let p = RoadProfile::default();
        assert_eq!(p.winding_factor(100.0, 95.0), 1.0);
        assert!((p.winding_factor(150.0, 100.0) - 0.8).abs() < 1e-9);
        assert_eq!(p.winding_factor(1000.0, 100.0), 0.6);
    }
}
