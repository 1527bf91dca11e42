//! Road networks behind the matrix seam: a directed road graph, snapping of points to its
//! edges, many-to-many travel times and distances, and the road-following geometry of legs.
//! This is the only module that uses petgraph (for strongly connected components).

mod ch;
mod ch_query;
mod codec;
mod dijkstra;
mod graph;
mod snap;
mod synthetic;

pub use codec::{fnv1a, from_bytes, to_bytes};
pub use graph::{RoadEdge, RoadGraph};
pub use snap::{Snap, SnapIndex};
pub use synthetic::synthetic_grid;

use rayon::prelude::*;

use super::TravelMatrix;
use crate::model::Point;
use crate::units::{Meters, Seconds};
use dijkstra::{Cost, Search, along_same_edge, entries, exits};

/// Problems with road data or with points on it. Codes `E2xxx`, documented in errors.md.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RoadError {
    #[error("E2010 the road network is too large (more than 2^32 nodes or edges)")]
    TooLarge,
    #[error("E2011 road node {node} has an invalid position")]
    BadNode { node: usize },
    #[error("E2012 road edge {edge} has an invalid end, length or time")]
    BadEdge { edge: usize },
    #[error("E2013 the road file is corrupt: {reason}")]
    Corrupt { reason: &'static str },
    #[error("E2101 point {point} is {offset_m:.0} m from the nearest road (limit {limit_m:.0} m)")]
    TooFar { point: usize, offset_m: f64, limit_m: f64 },
    #[error("E2102 point {point} lies on roads cut off from the other points")]
    Disconnected { point: usize },
    #[error("E2103 the road network has no edges")]
    Empty,
}

/// Travel times and distances between points over roads, and where each point snapped.
pub struct RoadMatrix {
    pub matrix: TravelMatrix,
    pub snaps: Vec<Snap>,
}

/// Snaps all points (reporting every point farther than `max_snap_m` from a road).
pub fn snap_points(
    graph: &RoadGraph,
    index: &SnapIndex,
    points: &[Point],
    max_snap_m: f64,
) -> Result<Vec<Snap>, Vec<RoadError>> {
    if graph.edge_count() == 0 {
        return Err(vec![RoadError::Empty]);
    }
    let mut errors = Vec::new();
    let snaps: Vec<Snap> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let s = index.snap(graph, (p.lon, p.lat))?;
            if s.offset_m > max_snap_m {
                errors.push(RoadError::TooFar { point: i, offset_m: s.offset_m, limit_m: max_snap_m });
            }
            Some(s)
        })
        .collect();
    if errors.is_empty() { Ok(snaps) } else { Err(errors) }
}

/// Costs from one snapped point to all, `None` where unreachable.
fn row(
    graph: &RoadGraph,
    search: &mut Search,
    snaps: &[Snap],
    targets: &[Vec<(usize, Cost)>],
    from: usize,
) -> Vec<Option<Cost>> {
    let wanted: Vec<usize> = targets.iter().flatten().map(|&(v, _)| v).collect();
    search.run(graph, &exits(graph, &snaps[from]), &wanted);
    (0..snaps.len())
        .map(|to| {
            if to == from {
                return Some(Cost::default());
            }
            let via_graph = targets[to]
                .iter()
                .filter_map(|&(v, c)| {
                    search
                        .reached(v)
                        .map(|r| Cost { time_ms: r.time_ms + c.time_ms, length_dm: r.length_dm + c.length_dm })
                })
                .min();
            via_graph.into_iter().chain(along_same_edge(graph, &snaps[from], &snaps[to])).min()
        })
        .collect()
}

/// Many-to-many travel times (seconds, rounded) and distances (metres) between snapped
/// points: with the graph's contraction hierarchy when it has one, otherwise one Dijkstra
/// per source that stops when every target is settled; sources in parallel. Points that
/// cannot reach or be reached from most others are reported as disconnected.
pub fn road_matrix(graph: &RoadGraph, snaps: Vec<Snap>) -> Result<RoadMatrix, Vec<RoadError>> {
    let n = snaps.len();
    let rows: Vec<Vec<Option<Cost>>> = match &graph.hierarchy {
        Some(h) => ch_query::matrix(graph, h, &snaps),
        None => {
            let targets: Vec<Vec<(usize, Cost)>> = snaps.iter().map(|s| entries(graph, s)).collect();
            (0..n)
                .into_par_iter()
                .map_init(|| Search::new(graph.node_count()), |search, i| row(graph, search, &snaps, &targets, i))
                .collect()
        }
    };
    let missing = |i: usize| (0..n).filter(|&j| rows[i][j].is_none() || rows[j][i].is_none()).count();
    let errors: Vec<RoadError> = (0..n)
        .filter(|&i| missing(i) * 2 > n.saturating_sub(1))
        .map(|point| RoadError::Disconnected { point })
        .collect();
    if !errors.is_empty() || rows.iter().flatten().any(Option::is_none) {
        let errors = if errors.is_empty() {
            (0..n).filter(|&i| missing(i) > 0).map(|point| RoadError::Disconnected { point }).collect()
        } else {
            errors
        };
        return Err(errors);
    }
    let matrix = TravelMatrix::from_fn(n, |i, j| {
        let c = rows[i][j].expect("checked above");
        (Seconds(((c.time_ms + 500) / 1000) as i64), Meters(((c.length_dm + 5) / 10) as i64))
    });
    Ok(RoadMatrix { matrix, snaps })
}

/// The road-following polyline (lon, lat) of the fastest leg from snapped point `from` to
/// `to`, starting and ending at the snapped positions.
pub fn leg_geometry(graph: &RoadGraph, snaps: &[Snap], from: usize, to: usize) -> Vec<(f64, f64)> {
    let (a, b) = (&snaps[from], &snaps[to]);
    if along_same_edge(graph, a, b).is_some() {
        let e = a.edge as usize;
        return if a.fraction <= b.fraction {
            cut(graph, e, a.fraction, b.fraction)
        } else {
            reversed_cut(graph, a, b)
        };
    }
    let Some((start_node, edges, end)) = fastest_path(graph, a, b) else { return Vec::new() };
    // Leave the start along the snapped edge (or its reverse) towards `start_node`.
    let mut line = if graph.head[a.edge as usize] as usize == start_node {
        cut(graph, a.edge as usize, a.fraction, 1.0)
    } else {
        a.reverse.map_or_else(Vec::new, |r| cut(graph, r as usize, 1.0 - a.fraction, 1.0))
    };
    for e in edges {
        extend(&mut line, graph.edge_polyline(e));
    }
    let arrive = if graph.tail(b.edge as usize) == end {
        cut(graph, b.edge as usize, 0.0, b.fraction)
    } else {
        b.reverse.map_or_else(Vec::new, |r| cut(graph, r as usize, 0.0, 1.0 - b.fraction))
    };
    extend(&mut line, arrive);
    line
}

/// Node where the path leaves the start edge, its original edges, and the node where it
/// joins the end edge.
fn fastest_path(graph: &RoadGraph, a: &Snap, b: &Snap) -> Option<(usize, Vec<usize>, usize)> {
    if let Some(h) = &graph.hierarchy {
        return ch_query::path(graph, h, a, b);
    }
    let mut search = Search::new(graph.node_count());
    let target = entries(graph, b);
    let wanted: Vec<usize> = target.iter().map(|&(v, _)| v).collect();
    search.run(graph, &exits(graph, a), &wanted);
    let (end, _) = target
        .iter()
        .filter_map(|&(v, c)| search.reached(v).map(|r| (v, r.time_ms + c.time_ms)))
        .min_by_key(|x| x.1)?;
    let edges = search.path_edges(graph, end);
    Some((edges.first().map_or(end, |&e| graph.tail(e)), edges, end))
}

fn reversed_cut(graph: &RoadGraph, a: &Snap, b: &Snap) -> Vec<(f64, f64)> {
    a.reverse.map_or_else(Vec::new, |r| cut(graph, r as usize, 1.0 - a.fraction, 1.0 - b.fraction))
}

fn extend(line: &mut Vec<(f64, f64)>, more: Vec<(f64, f64)>) {
    let skip = usize::from(line.last().is_some_and(|l| more.first() == Some(l)));
    line.extend(more.into_iter().skip(skip));
}

/// The part of edge `e`'s polyline between fractions `from` and `to` of its length.
fn cut(graph: &RoadGraph, e: usize, from: f64, to: f64) -> Vec<(f64, f64)> {
    let line = graph.edge_polyline(e);
    let lengths: Vec<f64> =
        line.windows(2).map(|w| ((w[0].0 - w[1].0).powi(2) + (w[0].1 - w[1].1).powi(2)).sqrt()).collect();
    let total: f64 = lengths.iter().sum();
    let at = |f: f64| -> (f64, f64) {
        let mut target = f * total;
        for (i, &l) in lengths.iter().enumerate() {
            if target <= l || i + 1 == lengths.len() {
                let t = if l > 0.0 { (target / l).clamp(0.0, 1.0) } else { 0.0 };
                return (line[i].0 + t * (line[i + 1].0 - line[i].0), line[i].1 + t * (line[i + 1].1 - line[i].1));
            }
            target -= l;
        }
        line[0]
    };
    let mut out = vec![at(from)];
    let mut along = 0.0;
    for (i, &l) in lengths.iter().enumerate() {
        along += l;
        let f = if total > 0.0 { along / total } else { 1.0 };
        if f > from && f < to && i + 1 < line.len() - 1 {
            out.push(line[i + 1]);
        }
    }
    out.push(at(to));
    out
}
