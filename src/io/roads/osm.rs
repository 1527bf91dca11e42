//! Reading drivable ways from an OpenStreetMap `.osm.pbf` extract (osmpbf), in two passes:
//! first the ways (keeping those a unit may drive), then only the nodes they use.

use std::collections::HashMap;
use std::path::Path;

use osmpbf::{Element, ElementReader};

use super::network::{ImportStats, Oneway, Way};
use super::profile::{RoadProfile, parse_maxspeed};

/// Why a way is not kept.
enum Verdict {
    Keep(f64, Oneway),
    NotRoad,
    Class,
    Access,
}

fn judge<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>, profile: &RoadProfile) -> Verdict {
    let tags: HashMap<&str, &str> = tags.collect();
    let Some(class) = tags.get("highway") else { return Verdict::NotRoad };
    let Some(&class_speed) = profile.speeds_kmh.get(*class) else { return Verdict::Class };
    let denied = |k: &str| tags.get(k).is_some_and(|v| matches!(*v, "no" | "private"));
    let allowed = |k: &str| tags.get(k).is_some_and(|v| matches!(*v, "yes" | "designated" | "permissive"));
    if (denied("access") || denied("vehicle") || denied("motor_vehicle") || denied("motorcar"))
        && !(allowed("motor_vehicle") || allowed("motorcar"))
    {
        return Verdict::Access;
    }
    // Typical speed of the class, capped by the legal limit where tagged.
    let speed = tags.get("maxspeed").and_then(|v| parse_maxspeed(v)).map_or(class_speed, |m| m.min(class_speed));
    let implied = *class == "motorway" || tags.get("junction").is_some_and(|j| *j == "roundabout");
    let oneway = match tags.get("oneway").copied() {
        Some("yes" | "true" | "1") => Oneway::Forward,
        Some("-1" | "reverse") => Oneway::Backward,
        Some("no" | "false" | "0") => Oneway::Both,
        _ if implied => Oneway::Forward,
        _ => Oneway::Both,
    };
    Verdict::Keep(speed, oneway)
}

/// Reads the drivable ways; `progress(elements read)` is called now and then.
pub fn read_ways(
    path: &Path,
    profile: &RoadProfile,
    stats: &mut ImportStats,
    progress: &dyn Fn(u64),
) -> Result<Vec<Way>, String> {
    let mut ways: Vec<(Vec<i64>, f64, Oneway)> = Vec::new();
    let mut seen = 0u64;
    ElementReader::from_path(path)
        .map_err(|e| e.to_string())?
        .for_each(|element| {
            seen += 1;
            if seen.is_multiple_of(100_000) {
                progress(seen);
            }
            if let Element::Way(w) = element {
                stats.ways_read += 1;
                match judge(w.tags(), profile) {
                    Verdict::Keep(speed, oneway) => ways.push((w.refs().collect(), speed, oneway)),
                    Verdict::NotRoad => stats.dropped_not_road += 1,
                    Verdict::Class => stats.dropped_class += 1,
                    Verdict::Access => stats.dropped_access += 1,
                }
            }
        })
        .map_err(|e| e.to_string())?;
    let mut wanted: HashMap<i64, (f64, f64)> =
        ways.iter().flat_map(|w| w.0.iter().map(|&n| (n, (f64::NAN, f64::NAN)))).collect();
    ElementReader::from_path(path)
        .map_err(|e| e.to_string())?
        .for_each(|element| {
            let (id, at) = match element {
                Element::Node(n) => (n.id(), (n.lon(), n.lat())),
                Element::DenseNode(n) => (n.id(), (n.lon(), n.lat())),
                _ => return,
            };
            if let Some(slot) = wanted.get_mut(&id) {
                *slot = at;
            }
        })
        .map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(ways.len());
    for (nodes, speed_kmh, oneway) in ways {
        // Ways that reference nodes missing from the extract keep their known parts only.
        let known: Vec<i64> = nodes.into_iter().filter(|n| wanted.get(n).is_some_and(|p| p.0.is_finite())).collect();
        if known.len() < 2 {
            stats.dropped_clipped += 1;
            continue;
        }
        let points = known.iter().map(|n| wanted[n]).collect();
        out.push(Way { nodes: known, points, speed_kmh, oneway });
    }
    Ok(out)
}
