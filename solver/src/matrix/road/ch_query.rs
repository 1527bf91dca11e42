//! Queries on a contraction hierarchy: many-to-many costs with buckets, and one fastest
//! path (as original edges) for drawing legs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::ch::{Arc, Hierarchy};
use super::dijkstra::{Cost, along_same_edge, entries, exits};
use super::graph::RoadGraph;
use super::snap::Snap;

/// An upward search: settled nodes with their costs and the arc that reached them.
struct Upward {
    cost: Vec<(u64, u64)>,
    parent: Vec<(u32, Arc)>,
    stamp: Vec<u32>,
    round: u32,
    settled: Vec<u32>,
    heap: BinaryHeap<Reverse<(u64, u64, u32)>>,
}

const NONE: u32 = u32::MAX;

impl Upward {
    fn new(n: usize) -> Upward {
        let none = Arc { node: NONE, time: 0, dist: 0, mid: NONE, edge: NONE };
        Upward {
            cost: vec![(0, 0); n],
            parent: vec![(NONE, none); n],
            stamp: vec![0; n],
            round: 0,
            settled: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Searches from `starts` along `arcs_of(v)` (only upwards by construction), with
    /// stall-on-demand: a node that a higher, already reached node `w` reaches more cheaply
    /// over an arc of `into(v)` (arcs from higher nodes into `v`, in search direction) is
    /// not on a shortest up-down path; it is neither expanded nor reported as settled.
    fn run<'h>(
        &mut self,
        starts: &[(usize, Cost)],
        arcs_of: impl Fn(usize) -> &'h [Arc],
        into: impl Fn(usize) -> &'h [Arc],
    ) {
        self.round += 1;
        self.settled.clear();
        self.heap.clear();
        let round = self.round;
        for &(v, c) in starts {
            let c = (c.time_ms, c.length_dm);
            if self.stamp[v] != round || c < self.cost[v] {
                self.stamp[v] = round;
                self.cost[v] = c;
                self.parent[v].0 = NONE;
                self.heap.push(Reverse((c.0, c.1, v as u32)));
            }
        }
        while let Some(Reverse((t, d, v))) = self.heap.pop() {
            let vi = v as usize;
            if (t, d) != self.cost[vi] {
                continue;
            }
            let stalled = into(vi).iter().any(|a| {
                let w = a.node as usize;
                self.stamp[w] == round && {
                    let (tw, dw) = self.cost[w];
                    (tw + u64::from(a.time), dw + u64::from(a.dist)) < (t, d)
                }
            });
            if stalled {
                continue;
            }
            self.settled.push(v);
            for a in arcs_of(vi) {
                let w = a.node as usize;
                let c = (t + u64::from(a.time), d + u64::from(a.dist));
                if self.stamp[w] != round || c < self.cost[w] {
                    self.stamp[w] = round;
                    self.cost[w] = c;
                    self.parent[w] = (v, *a);
                    self.heap.push(Reverse((c.0, c.1, w as u32)));
                }
            }
        }
    }
}

/// Runs `each` for every point index with one search state per thread's share of the
/// points: a state has arrays over all nodes, too costly to build per point or per
/// rayon split on large graphs.
fn per_point<T: Send>(n: usize, points: usize, each: impl Fn(&mut Upward, usize) -> T + Sync) -> Vec<T> {
    let threads = rayon::current_num_threads().max(1);
    let chunk = points.div_ceil(threads).max(1);
    let starts: Vec<usize> = (0..points).step_by(chunk).collect();
    starts
        .into_par_iter()
        .flat_map_iter(|from| {
            let mut search = Upward::new(n);
            (from..(from + chunk).min(points)).map(|i| each(&mut search, i)).collect::<Vec<_>>()
        })
        .collect()
}

/// Costs between all pairs of snapped points (`None` where unreachable).
pub fn matrix(graph: &RoadGraph, h: &Hierarchy, snaps: &[Snap]) -> Vec<Vec<Option<Cost>>> {
    let n = graph.node_count();
    // Backward searches from every target fill the buckets: (node, target, time, dist).
    let mut buckets: Vec<(u32, u32, u64, u64)> = per_point(n, snaps.len(), |search, j| {
        search.run(&entries(graph, &snaps[j]), |v| h.down_arcs(v), |v| h.up_arcs(v));
        search
            .settled
            .iter()
            .map(|&v| (v, j as u32, search.cost[v as usize].0, search.cost[v as usize].1))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    buckets.par_sort_unstable_by_key(|b| b.0);
    let mut first = vec![0usize; n + 1];
    for b in &buckets {
        first[b.0 as usize + 1] += 1;
    }
    for v in 0..n {
        first[v + 1] += first[v];
    }
    per_point(n, snaps.len(), |search, i| {
        let mut row: Vec<Option<(u64, u64)>> = vec![None; snaps.len()];
        search.run(&exits(graph, &snaps[i]), |v| h.up_arcs(v), |v| h.down_arcs(v));
        for &v in &search.settled {
            let (t, d) = search.cost[v as usize];
            for &(_, j, t2, d2) in &buckets[first[v as usize]..first[v as usize + 1]] {
                let c = (t + t2, d + d2);
                let slot = &mut row[j as usize];
                if slot.is_none_or(|s| c < s) {
                    *slot = Some(c);
                }
            }
        }
        (0..snaps.len())
            .map(|j| {
                if i == j {
                    return Some(Cost::default());
                }
                let via = row[j].map(|(t, d)| Cost { time_ms: t, length_dm: d });
                via.into_iter().chain(along_same_edge(graph, &snaps[i], &snaps[j])).min()
            })
            .collect()
    })
}

/// The original edges of the fastest path between two snapped points, with the nodes where
/// it leaves the start edge and joins the end edge; `None` if unreachable.
pub fn path(graph: &RoadGraph, h: &Hierarchy, a: &Snap, b: &Snap) -> Option<(usize, Vec<usize>, usize)> {
    let n = graph.node_count();
    let (mut fwd, mut bwd) = (Upward::new(n), Upward::new(n));
    let starts = exits(graph, a);
    let ends = entries(graph, b);
    fwd.run(&starts, |v| h.up_arcs(v), |v| h.down_arcs(v));
    bwd.run(&ends, |v| h.down_arcs(v), |v| h.up_arcs(v));
    let meet = fwd
        .settled
        .iter()
        .filter(|&&v| bwd.stamp[v as usize] == bwd.round)
        .min_by_key(|&&v| {
            let (f, g) = (fwd.cost[v as usize], bwd.cost[v as usize]);
            (f.0 + g.0, f.1 + g.1)
        })
        .copied()?;
    let mut edges = Vec::new();
    // Forward half: walk parents back to a start, unpacking each up arc.
    let mut chain = Vec::new();
    let mut at = meet;
    while fwd.parent[at as usize].0 != NONE {
        let (from, arc) = fwd.parent[at as usize];
        chain.push((from, at, arc));
        at = from;
    }
    let start_node = at as usize;
    for (from, to, arc) in chain.into_iter().rev() {
        h.unpack(from, to, &arc, &mut edges);
    }
    // Backward half: each down arc leads from a higher node towards the end.
    let mut at = meet;
    while bwd.parent[at as usize].0 != NONE {
        let (lower, arc) = bwd.parent[at as usize];
        h.unpack(at, lower, &arc, &mut edges);
        at = lower;
    }
    Some((start_node, edges, at as usize))
}
