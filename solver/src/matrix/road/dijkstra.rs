//! Shortest travel times between snapped points: one Dijkstra per source over the original
//! graph, stopping once every target is settled; with predecessor edges for paths.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::graph::RoadGraph;
use super::snap::Snap;

/// Time (ms) and length (dm) of a route.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cost {
    pub time_ms: u64,
    pub length_dm: u64,
}

/// A snap this close to an end of its edge counts as being at that node.
const AT_NODE: f64 = 1e-9;

/// Ways to leave a snapped point: `(node, cost to reach it)`. A point at a node may
/// leave by any of the node's edges.
pub fn exits(graph: &RoadGraph, s: &Snap) -> Vec<(usize, Cost)> {
    let e = s.edge as usize;
    let mut out = vec![(graph.head[e] as usize, part(graph, e, 1.0 - s.fraction))];
    if let Some(r) = s.reverse {
        out.push((graph.head[r as usize] as usize, part(graph, r as usize, s.fraction)));
    }
    if s.fraction <= AT_NODE {
        out.push((graph.tail(e), Cost::default()));
    }
    out
}

/// Ways to arrive at a snapped point: `(node, cost from it)`. A point at a node may be
/// reached by any edge into the node (at the tail, the first entry already costs nothing).
pub fn entries(graph: &RoadGraph, s: &Snap) -> Vec<(usize, Cost)> {
    let e = s.edge as usize;
    let mut out = vec![(graph.tail(e), part(graph, e, s.fraction))];
    if let Some(r) = s.reverse {
        out.push((graph.tail(r as usize), part(graph, r as usize, 1.0 - s.fraction)));
    }
    if s.fraction >= 1.0 - AT_NODE {
        out.push((graph.head[e] as usize, Cost::default()));
    }
    out
}

/// The share `f` of edge `e`.
pub fn part(graph: &RoadGraph, e: usize, f: f64) -> Cost {
    Cost {
        time_ms: (f64::from(graph.time_ms[e]) * f).round() as u64,
        length_dm: (f64::from(graph.length_dm[e]) * f).round() as u64,
    }
}

/// Direct travel from `a` to `b` along one edge without passing a node, if possible.
pub fn along_same_edge(graph: &RoadGraph, a: &Snap, b: &Snap) -> Option<Cost> {
    let forward =
        (a.edge == b.edge && a.fraction <= b.fraction).then(|| part(graph, a.edge as usize, b.fraction - a.fraction));
    let backward = match (a.reverse, b.reverse) {
        (Some(r), Some(_)) if a.edge == b.edge && a.fraction >= b.fraction => {
            Some(part(graph, r as usize, a.fraction - b.fraction))
        }
        _ => None,
    };
    forward.into_iter().chain(backward).min()
}

/// Reusable Dijkstra state.
pub struct Search {
    cost: Vec<Cost>,
    parent: Vec<u32>,
    stamp: Vec<u32>,
    settled: Vec<u32>,
    wanted: Vec<u32>,
    round: u32,
    heap: BinaryHeap<Reverse<(u64, u64, u32)>>,
}

pub const NO_PARENT: u32 = u32::MAX;

impl Search {
    pub fn new(nodes: usize) -> Search {
        Search {
            cost: vec![Cost::default(); nodes],
            parent: vec![NO_PARENT; nodes],
            stamp: vec![0; nodes],
            settled: vec![0; nodes],
            wanted: vec![0; nodes],
            round: 0,
            heap: BinaryHeap::new(),
        }
    }

    /// Runs from the given start nodes until every node in `wanted` is settled (or the
    /// graph is exhausted). Afterwards [`Search::reached`] answers for settled nodes.
    pub fn run(&mut self, graph: &RoadGraph, starts: &[(usize, Cost)], wanted: &[usize]) {
        self.round += 1;
        self.heap.clear();
        let round = self.round;
        for &(v, c) in starts {
            if self.stamp[v] != round || c < self.cost[v] {
                self.stamp[v] = round;
                self.cost[v] = c;
                self.parent[v] = NO_PARENT;
                self.heap.push(Reverse((c.time_ms, c.length_dm, v as u32)));
            }
        }
        let mut missing = 0usize;
        for &w in wanted {
            if self.wanted[w] != round {
                self.wanted[w] = round;
                missing += 1;
            }
        }
        while let Some(Reverse((t, d, v))) = self.heap.pop() {
            let v = v as usize;
            if self.settled[v] == round || (t, d) != (self.cost[v].time_ms, self.cost[v].length_dm) {
                continue;
            }
            self.settled[v] = round;
            if self.wanted[v] == round {
                missing -= 1;
                if missing == 0 {
                    break;
                }
            }
            for e in graph.out_edges(v) {
                let w = graph.head[e] as usize;
                let c = Cost { time_ms: t + u64::from(graph.time_ms[e]), length_dm: d + u64::from(graph.length_dm[e]) };
                if self.stamp[w] != round || c < self.cost[w] {
                    self.stamp[w] = round;
                    self.cost[w] = c;
                    self.parent[w] = e as u32;
                    self.heap.push(Reverse((c.time_ms, c.length_dm, w as u32)));
                }
            }
        }
    }

    /// The cost to a node settled in the last run.
    pub fn reached(&self, v: usize) -> Option<Cost> {
        (self.settled[v] == self.round).then_some(self.cost[v])
    }

    /// Edges of the path to a node reached in the last run, in driving order.
    pub fn path_edges(&self, graph: &RoadGraph, v: usize) -> Vec<usize> {
        let mut edges = Vec::new();
        let mut at = v;
        while self.stamp[at] == self.round && self.parent[at] != NO_PARENT {
            let e = self.parent[at] as usize;
            edges.push(e);
            at = graph.tail(e);
        }
        edges.reverse();
        edges
    }
}
