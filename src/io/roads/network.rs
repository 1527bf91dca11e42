//! From drivable ways to a road graph: ways are split where they meet other ways (or end),
//! intermediate points become edge shapes, lengths are measured on the ellipsoid-free
//! haversine, and times come from the class speed (or `maxspeed`) and the winding rule.
//! Ways can be clipped to a boundary polygon first.

use std::collections::HashMap;

use geo::{Contains, Distance, Haversine, MultiPolygon, Point};
use junkai_solver::matrix::road::{RoadEdge, RoadError, RoadGraph};

use super::profile::RoadProfile;

/// Direction of travel allowed on a way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Oneway {
    Both,
    /// Only in the order of the way's nodes.
    Forward,
    /// Only against it (`oneway=-1`).
    Backward,
}

/// A drivable way: node keys (identities shared between ways at intersections), positions
/// (lon, lat), and its attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Way {
    pub nodes: Vec<i64>,
    pub points: Vec<(f64, f64)>,
    pub speed_kmh: f64,
    pub oneway: Oneway,
}

/// Counts reported by an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportStats {
    pub ways_read: usize,
    pub ways_kept: usize,
    pub dropped_not_road: usize,
    pub dropped_class: usize,
    pub dropped_access: usize,
    pub dropped_clipped: usize,
    pub nodes: usize,
    pub edges: usize,
}

fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    Haversine.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
}

/// Keeps the parts of each way inside the boundary (runs of at least two inside points).
pub fn clip(ways: Vec<Way>, boundary: &MultiPolygon<f64>, stats: &mut ImportStats) -> Vec<Way> {
    let mut out = Vec::new();
    for way in ways {
        let inside: Vec<bool> = way.points.iter().map(|p| boundary.contains(&Point::new(p.0, p.1))).collect();
        let mut start = None;
        let mut pieces = 0;
        for i in 0..=way.points.len() {
            let keep = inside.get(i).copied().unwrap_or(false);
            match (keep, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    if i - s >= 2 {
                        out.push(Way {
                            nodes: way.nodes[s..i].to_vec(),
                            points: way.points[s..i].to_vec(),
                            ..way.clone()
                        });
                        pieces += 1;
                    }
                    start = None;
                }
                _ => {}
            }
        }
        if pieces == 0 {
            stats.dropped_clipped += 1;
        }
    }
    out
}

/// Builds the graph. Nodes used by two or more ways, and way ends, become graph nodes;
/// the points between them become edge shapes.
pub fn build(ways: &[Way], profile: &RoadProfile, stats: &mut ImportStats) -> Result<RoadGraph, RoadError> {
    let mut uses: HashMap<i64, u32> = HashMap::new();
    for w in ways {
        for (i, &n) in w.nodes.iter().enumerate() {
            let end = i == 0 || i + 1 == w.nodes.len();
            *uses.entry(n).or_insert(0) += if end { 2 } else { 1 };
        }
    }
    let mut index: HashMap<i64, u32> = HashMap::new();
    let mut nodes: Vec<(f64, f64)> = Vec::new();
    let mut node_of = |key: i64, at: (f64, f64), nodes: &mut Vec<(f64, f64)>| -> u32 {
        *index.entry(key).or_insert_with(|| {
            nodes.push(at);
            (nodes.len() - 1) as u32
        })
    };
    let mut edges = Vec::new();
    for w in ways {
        let mut start = 0;
        for i in 1..w.nodes.len() {
            if uses.get(&w.nodes[i]).copied().unwrap_or(0) < 2 && i + 1 < w.nodes.len() {
                continue;
            }
            let part = &w.points[start..=i];
            let length: f64 = part.windows(2).map(|p| metres(p[0], p[1])).sum();
            let chord = metres(part[0], part[part.len() - 1]);
            let speed_ms = w.speed_kmh / 3.6 * profile.winding_factor(length, chord);
            let time_s = (length / speed_ms).max(0.1);
            let (a, b) =
                (node_of(w.nodes[start], part[0], &mut nodes), node_of(w.nodes[i], part[part.len() - 1], &mut nodes));
            let shape: Vec<(f64, f64)> = part[1..part.len() - 1].to_vec();
            if a != b || length > 0.0 {
                if w.oneway != Oneway::Backward {
                    edges.push(RoadEdge { from: a, to: b, length_m: length, time_s, geometry: shape.clone() });
                }
                if w.oneway != Oneway::Forward {
                    let mut back = shape;
                    back.reverse();
                    edges.push(RoadEdge { from: b, to: a, length_m: length, time_s, geometry: back });
                }
            }
            start = i;
        }
    }
    stats.nodes = nodes.len();
    stats.edges = edges.len();
    RoadGraph::new(nodes, edges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn way(nodes: &[i64], oneway: Oneway) -> Way {
        Way {
            nodes: nodes.to_vec(),
            points: nodes.iter().map(|&n| (139.3 + n as f64 * 0.001, 36.5)).collect(),
            speed_kmh: 36.0,
            oneway,
        }
    }

    #[test]
    fn ways_split_at_shared_nodes_and_respect_oneway() {
        let mut stats = ImportStats::default();
        // 1-2-3-4 two-way, and 3-5 one-way: node 3 is an intersection, 2 only a shape point.
        let g = build(
            &[way(&[1, 2, 3, 4], Oneway::Both), way(&[3, 5], Oneway::Forward)],
            &RoadProfile::default(),
            &mut stats,
        )
        .unwrap();
        assert_eq!(stats.nodes, 4);
        assert_eq!(stats.edges, 5);
        assert_eq!(g.edge_count(), 5);
        let first = g.find_edge(0, 1).unwrap();
        assert_eq!(g.edge_polyline(first).len(), 3, "node 2 is a shape point");
    }
}
