//! Synthetic road networks for property tests and benchmarks: a grid of streets about
//! 100 m apart with random removals, one-way streets and speeds, deterministic for a seed.

use super::graph::{RoadEdge, RoadGraph};
use crate::rng::Rng;

/// Grid spacing in degrees (about 90 m east-west and 110 m north-south at 36.5° N).
const STEP: f64 = 0.001;

/// A `width × height` grid anchored at (139.0, 36.0): each street is missing with
/// probability `removed`, one-way (random direction) with probability `one_way`, and gets
/// a speed of 20, 30, 40 or 60 km/h.
pub fn synthetic_grid(width: usize, height: usize, removed: f64, one_way: f64, seed: u64) -> RoadGraph {
    let mut rng = Rng::seed(seed);
    let nodes: Vec<(f64, f64)> =
        (0..width * height).map(|i| (139.0 + (i % width) as f64 * STEP, 36.0 + (i / width) as f64 * STEP)).collect();
    let mut edges = Vec::with_capacity(width * height * 4);
    for i in 0..width * height {
        let (x, y) = (i % width, i / width);
        for (j, length_m) in [(x + 1 < width).then_some((i + 1, 89.9)), (y + 1 < height).then_some((i + width, 111.2))]
            .into_iter()
            .flatten()
        {
            if rng.unit() < removed {
                continue;
            }
            let speed_kmh = [20.0, 30.0, 40.0, 60.0][rng.below(4)];
            let time_s = length_m / (speed_kmh / 3.6);
            let edge =
                |a: usize, b: usize| RoadEdge { from: a as u32, to: b as u32, length_m, time_s, geometry: Vec::new() };
            if rng.unit() < one_way {
                edges.push(if rng.below(2) == 0 { edge(i, j) } else { edge(j, i) });
            } else {
                edges.push(edge(i, j));
                edges.push(edge(j, i));
            }
        }
    }
    RoadGraph::new(nodes, edges).expect("synthetic grids are valid")
}
