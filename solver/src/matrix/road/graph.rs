//! The road graph: nodes with positions, directed edges with length, travel time and
//! shape, stored as compressed adjacency arrays (CSR) for fast searches.

use petgraph::algo::kosaraju_scc;
use petgraph::graph::DiGraph;

use super::RoadError;
use super::ch::{self, Hierarchy};

/// An input edge. `geometry` lists the shape points *between* the end nodes (may be empty).
#[derive(Clone, Debug, PartialEq)]
pub struct RoadEdge {
    pub from: u32,
    pub to: u32,
    /// Length in metres (> 0, finite).
    pub length_m: f64,
    /// Travel time in seconds (> 0, finite).
    pub time_s: f64,
    pub geometry: Vec<(f64, f64)>,
}

/// A directed road graph. Invariants: edges sorted by source (`first_out` indexes them);
/// times in milliseconds and lengths in decimetres fit in `u32`; every node has a position.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadGraph {
    /// Node positions (lon, lat).
    pub(crate) nodes: Vec<(f64, f64)>,
    /// `first_out[v]..first_out[v+1]` are the edges leaving `v` (length `nodes + 1`).
    pub(crate) first_out: Vec<u32>,
    pub(crate) head: Vec<u32>,
    /// Travel time in milliseconds.
    pub(crate) time_ms: Vec<u32>,
    /// Length in decimetres.
    pub(crate) length_dm: Vec<u32>,
    /// Shape points of edge `e`: `shape[shape_first[e]..shape_first[e+1]]`.
    pub(crate) shape_first: Vec<u32>,
    pub(crate) shape: Vec<(f64, f64)>,
    /// Contraction hierarchy for fast queries on large graphs (built by [`RoadGraph::contract`]).
    pub(crate) hierarchy: Option<Hierarchy>,
}

impl RoadGraph {
    /// Builds a graph from node positions and edges; reports the first invalid element.
    pub fn new(nodes: Vec<(f64, f64)>, mut edges: Vec<RoadEdge>) -> Result<RoadGraph, RoadError> {
        let n = nodes.len();
        if n >= u32::MAX as usize || edges.len() >= u32::MAX as usize {
            return Err(RoadError::TooLarge);
        }
        if let Some(i) = nodes.iter().position(|p| !(p.0.is_finite() && p.1.is_finite())) {
            return Err(RoadError::BadNode { node: i });
        }
        for (i, e) in edges.iter().enumerate() {
            let ok = (e.from as usize) < n
                && (e.to as usize) < n
                && e.length_m.is_finite()
                && e.time_s.is_finite()
                && e.length_m >= 0.0
                && e.time_s > 0.0
                && e.length_m * 10.0 < f64::from(u32::MAX)
                && e.time_s * 1000.0 < f64::from(u32::MAX);
            if !ok {
                return Err(RoadError::BadEdge { edge: i });
            }
        }
        edges.sort_by_key(|e| (e.from, e.to));
        let mut first_out = vec![0u32; n + 1];
        for e in &edges {
            first_out[e.from as usize + 1] += 1;
        }
        for v in 0..n {
            first_out[v + 1] += first_out[v];
        }
        let mut shape_first = Vec::with_capacity(edges.len() + 1);
        let mut shape = Vec::new();
        shape_first.push(0);
        for e in &edges {
            shape.extend_from_slice(&e.geometry);
            shape_first.push(shape.len() as u32);
        }
        Ok(RoadGraph {
            nodes,
            first_out,
            head: edges.iter().map(|e| e.to).collect(),
            time_ms: edges.iter().map(|e| (e.time_s * 1000.0).round().max(1.0) as u32).collect(),
            length_dm: edges.iter().map(|e| (e.length_m * 10.0).round() as u32).collect(),
            shape_first,
            shape,
            hierarchy: None,
        })
    }

    /// Builds the contraction hierarchy; `progress(done, total)` reports contracted nodes.
    pub fn contract(&mut self, progress: &mut dyn FnMut(usize, usize)) {
        self.hierarchy = Some(ch::build(self, progress));
    }

    pub fn has_hierarchy(&self) -> bool {
        self.hierarchy.is_some()
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn edge_count(&self) -> usize {
        self.head.len()
    }

    pub fn position(&self, node: usize) -> (f64, f64) {
        self.nodes[node]
    }

    /// Every directed edge as `(from, to, time in ms, length in dm)`.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize, u32, u32)> + '_ {
        (0..self.node_count()).flat_map(move |v| {
            self.out_edges(v).map(move |e| (v, self.head[e] as usize, self.time_ms[e], self.length_dm[e]))
        })
    }

    /// Edges leaving `v`, as edge indices.
    #[inline]
    pub(crate) fn out_edges(&self, v: usize) -> std::ops::Range<usize> {
        self.first_out[v] as usize..self.first_out[v + 1] as usize
    }

    /// Source node of edge `e` (binary search over `first_out`).
    pub(crate) fn tail(&self, e: usize) -> usize {
        self.first_out.partition_point(|&f| f as usize <= e) - 1
    }

    /// The full polyline of edge `e`, end nodes included.
    pub fn edge_polyline(&self, e: usize) -> Vec<(f64, f64)> {
        let mut line = vec![self.nodes[self.tail(e)]];
        line.extend_from_slice(&self.shape[self.shape_first[e] as usize..self.shape_first[e + 1] as usize]);
        line.push(self.nodes[self.head[e] as usize]);
        line
    }

    /// The edge `from → to` with the shortest time, if any.
    pub fn find_edge(&self, from: usize, to: usize) -> Option<usize> {
        self.out_edges(from).filter(|&e| self.head[e] as usize == to).min_by_key(|&e| self.time_ms[e])
    }

    /// Strongly connected component of every node (component ids are arbitrary but equal
    /// within a component), computed with petgraph's Kosaraju.
    pub fn components(&self) -> Vec<u32> {
        let mut g: DiGraph<(), ()> = DiGraph::with_capacity(self.node_count(), self.edge_count());
        let ids: Vec<_> = (0..self.node_count()).map(|_| g.add_node(())).collect();
        for v in 0..self.node_count() {
            for e in self.out_edges(v) {
                g.add_edge(ids[v], ids[self.head[e] as usize], ());
            }
        }
        let mut component = vec![0u32; self.node_count()];
        for (c, members) in kosaraju_scc(&g).into_iter().enumerate() {
            for m in members {
                component[m.index()] = c as u32;
            }
        }
        component
    }
}
