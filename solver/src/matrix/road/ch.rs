//! Contraction hierarchies (Geisberger et al. 2008) for fast many-to-many travel times on
//! large road graphs: nodes are contracted one by one in order of importance, adding
//! shortcuts where no witness path exists; queries then only go "upwards" in rank from both
//! ends. Many-to-many uses buckets (Knopp et al. 2007): one backward upward search per
//! target, one forward upward search per source scanning the buckets.
//!
//! The metric is travel time (ms); the length (dm) of the chosen path is carried along.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::graph::RoadGraph;

/// No middle node: the arc is an original edge.
pub const ORIGINAL: u32 = u32::MAX;

/// An arc of the hierarchy. For `up` arcs `node` is the head; for `down` arcs it is the
/// tail of an arc into the list's owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arc {
    pub node: u32,
    pub time: u32,
    pub dist: u32,
    /// The contracted node this shortcut bypasses, or [`ORIGINAL`].
    pub mid: u32,
    /// For original arcs, the edge index in the road graph.
    pub edge: u32,
}

/// The finished hierarchy. Invariant: `up` arcs lead to higher ranks, `down` arcs come
/// from higher ranks.
#[derive(Clone, Debug, PartialEq)]
pub struct Hierarchy {
    pub rank: Vec<u32>,
    pub up_first: Vec<u32>,
    pub up: Vec<Arc>,
    pub down_first: Vec<u32>,
    pub down: Vec<Arc>,
}

/// Settled-node limit of a witness search while contracting (and while estimating).
const WITNESS_LIMIT: usize = 200;
const ESTIMATE_LIMIT: usize = 30;

/// The graph as it stands during contraction.
#[derive(Clone, Copy)]
struct Remaining<'a> {
    out: &'a [Vec<Arc>],
    contracted: &'a [bool],
}

/// A path's cost as the queries order it: time first, then length (ties in time go to the
/// shorter path, so the hierarchy answers exactly as plain Dijkstra does).
type Key = (u64, u64);

fn key(a: &Arc) -> Key {
    (u64::from(a.time), u64::from(a.dist))
}

fn plus(a: Key, b: Key) -> Key {
    (a.0 + b.0, a.1 + b.1)
}

struct Witness {
    dist: Vec<Key>,
    stamp: Vec<u32>,
    target: Vec<u32>,
    round: u32,
    heap: BinaryHeap<Reverse<(Key, u32)>>,
}

impl Witness {
    /// Least (time, length) from `from` to nodes, avoiding `avoid` and contracted nodes,
    /// stopping once every target is settled, after `limit` settled nodes, or beyond `bound`.
    fn run(&mut self, g: Remaining, from: u32, avoid: u32, targets: &[u32], bound: Key, limit: usize) {
        self.round += 1;
        self.heap.clear();
        let round = self.round;
        let mut open_targets = 0;
        for &t in targets {
            if self.target[t as usize] != round {
                self.target[t as usize] = round;
                open_targets += 1;
            }
        }
        self.stamp[from as usize] = round;
        self.dist[from as usize] = (0, 0);
        self.heap.push(Reverse(((0, 0), from)));
        let mut settled = 0;
        while let Some(Reverse((d, v))) = self.heap.pop() {
            if d > self.dist[v as usize] {
                continue;
            }
            settled += 1;
            if d > bound || settled > limit {
                break;
            }
            if self.target[v as usize] == round {
                self.target[v as usize] = 0;
                open_targets -= 1;
                if open_targets == 0 {
                    break;
                }
            }
            for a in &g.out[v as usize] {
                let w = a.node;
                if w == avoid || g.contracted[w as usize] {
                    continue;
                }
                let nd = plus(d, key(a));
                if self.stamp[w as usize] != round || nd < self.dist[w as usize] {
                    self.stamp[w as usize] = round;
                    self.dist[w as usize] = nd;
                    self.heap.push(Reverse((nd, w)));
                }
            }
        }
    }

    fn get(&self, v: u32) -> Key {
        if self.stamp[v as usize] == self.round { self.dist[v as usize] } else { (u64::MAX, u64::MAX) }
    }
}

struct Builder {
    out: Vec<Vec<Arc>>,
    inc: Vec<Vec<Arc>>,
    contracted: Vec<bool>,
    deleted_neighbours: Vec<u32>,
    /// Depth in the hierarchy: one more than the deepest contracted neighbour.
    level: Vec<u32>,
    witness: Witness,
}

impl Builder {
    /// Shortcuts needed to contract `v` (`u → x` pairs with their arcs).
    fn shortcuts(&mut self, v: u32, limit: usize) -> Vec<(u32, Arc)> {
        let mut result = Vec::new();
        let vi = v as usize;
        let targets: Vec<u32> = self.out[vi].iter().map(|a| a.node).filter(|&x| !self.contracted[x as usize]).collect();
        let max_out = self.out[vi].iter().filter(|a| !self.contracted[a.node as usize]).map(key).max();
        let Some(max_out) = max_out else { return result };
        for k in 0..self.inc[vi].len() {
            let a_in = self.inc[vi][k];
            let u = a_in.node;
            if self.contracted[u as usize] {
                continue;
            }
            let bound = plus(key(&a_in), max_out);
            let g = Remaining { out: &self.out, contracted: &self.contracted };
            self.witness.run(g, u, v, &targets, bound, limit);
            for a_out in &self.out[vi] {
                let x = a_out.node;
                if x == u || self.contracted[x as usize] {
                    continue;
                }
                let via = plus(key(&a_in), key(a_out));
                if self.witness.get(x) > via {
                    let time = u32::try_from(via.0).unwrap_or(u32::MAX);
                    let dist = u32::try_from(via.1).unwrap_or(u32::MAX);
                    result.push((u, Arc { node: x, time, dist, mid: v, edge: ORIGINAL }));
                }
            }
        }
        result
    }

    fn degree(&self, v: usize) -> i64 {
        let live = |arcs: &Vec<Arc>| arcs.iter().filter(|a| !self.contracted[a.node as usize]).count() as i64;
        live(&self.out[v]) + live(&self.inc[v])
    }

    fn priority(&mut self, v: u32) -> i64 {
        let shortcuts = self.shortcuts(v, ESTIMATE_LIMIT).len() as i64;
        2 * shortcuts - self.degree(v as usize)
            + i64::from(self.deleted_neighbours[v as usize])
            + i64::from(self.level[v as usize])
    }

    /// Adds `u → x`, replacing a slower (or, as fast, longer) parallel arc.
    fn add_arc(&mut self, u: u32, arc: Arc) {
        let list = &mut self.out[u as usize];
        if let Some(existing) = list.iter_mut().find(|a| a.node == arc.node) {
            if key(existing) <= key(&arc) {
                return;
            }
            *existing = arc;
            let back = self.inc[arc.node as usize].iter_mut().find(|a| a.node == u).expect("arcs are mirrored");
            *back = Arc { node: u, ..arc };
            return;
        }
        list.push(arc);
        self.inc[arc.node as usize].push(Arc { node: u, ..arc });
    }
}

/// Contracts the whole graph. `progress(done, total)` is called now and then.
pub fn build(graph: &RoadGraph, progress: &mut dyn FnMut(usize, usize)) -> Hierarchy {
    let n = graph.node_count();
    let mut b = Builder {
        out: vec![Vec::new(); n],
        inc: vec![Vec::new(); n],
        contracted: vec![false; n],
        deleted_neighbours: vec![0; n],
        level: vec![0; n],
        witness: Witness {
            dist: vec![(0, 0); n],
            stamp: vec![0; n],
            target: vec![0; n],
            round: 0,
            heap: BinaryHeap::new(),
        },
    };
    for v in 0..n {
        for e in graph.out_edges(v) {
            let w = graph.head[e];
            if w as usize == v {
                continue;
            }
            let arc = Arc { node: w, time: graph.time_ms[e], dist: graph.length_dm[e], mid: ORIGINAL, edge: e as u32 };
            b.add_arc(v as u32, arc);
        }
    }
    let mut heap: BinaryHeap<Reverse<(i64, u32)>> = (0..n as u32).map(|v| Reverse((b.priority(v), v))).collect();
    let mut rank = vec![0u32; n];
    let mut next_rank = 0u32;
    while let Some(Reverse((p, v))) = heap.pop() {
        if b.contracted[v as usize] {
            continue;
        }
        // Lazy update: contract only if the node is still (about) the least important.
        let fresh = b.priority(v);
        if fresh > p && heap.peek().is_some_and(|Reverse((q, _))| fresh > *q) {
            heap.push(Reverse((fresh, v)));
            continue;
        }
        for (u, arc) in b.shortcuts(v, WITNESS_LIMIT) {
            b.add_arc(u, arc);
        }
        b.contracted[v as usize] = true;
        rank[v as usize] = next_rank;
        next_rank += 1;
        let neighbours: Vec<u32> = b.out[v as usize]
            .iter()
            .chain(&b.inc[v as usize])
            .map(|a| a.node)
            .filter(|&w| !b.contracted[w as usize])
            .collect();
        let depth = b.level[v as usize] + 1;
        for w in neighbours {
            b.deleted_neighbours[w as usize] += 1;
            b.level[w as usize] = b.level[w as usize].max(depth);
        }
        if next_rank.is_multiple_of(10_000) {
            progress(next_rank as usize, n);
        }
    }
    progress(n, n);
    let mut up_first = vec![0u32; n + 1];
    let mut down_first = vec![0u32; n + 1];
    let mut up = Vec::new();
    let mut down = Vec::new();
    for v in 0..n {
        up.extend(b.out[v].iter().filter(|a| rank[a.node as usize] > rank[v]));
        up_first[v + 1] = up.len() as u32;
        down.extend(b.inc[v].iter().filter(|a| rank[a.node as usize] > rank[v]));
        down_first[v + 1] = down.len() as u32;
    }
    Hierarchy { rank, up_first, up, down_first, down }
}

impl Hierarchy {
    pub fn up_arcs(&self, v: usize) -> &[Arc] {
        &self.up[self.up_first[v] as usize..self.up_first[v + 1] as usize]
    }

    pub fn down_arcs(&self, v: usize) -> &[Arc] {
        &self.down[self.down_first[v] as usize..self.down_first[v + 1] as usize]
    }

    /// The original edges of an arc `from → arc.node` (or `arc.node → to` for down arcs),
    /// in driving order, by recursively unpacking shortcuts.
    pub fn unpack(&self, from: u32, to: u32, arc: &Arc, out: &mut Vec<usize>) {
        if arc.mid == ORIGINAL {
            out.push(arc.edge as usize);
            return;
        }
        let m = arc.mid;
        // `from → m`: m is lower than `from`, so it is a down arc stored at m.
        let first = *self
            .down_arcs(m as usize)
            .iter()
            .filter(|a| a.node == from)
            .min_by_key(|a| a.time)
            .expect("shortcut halves exist");
        // `m → to`: an up arc of m.
        let second = *self
            .up_arcs(m as usize)
            .iter()
            .filter(|a| a.node == to)
            .min_by_key(|a| a.time)
            .expect("shortcut halves exist");
        self.unpack(from, m, &first, out);
        self.unpack(m, to, &second, out);
    }
}
