//! Road network benchmark: a synthetic grid of 1,000,000 nodes (random removals, one-way
//! streets and speeds) — contraction-hierarchy preprocessing, file size and load time, and
//! many-to-many matrices for 100 to 3,000 random points; plus plain Dijkstra for comparison
//! on small matrices, and the import of the Helsinki OpenStreetMap extract. Prints a
//! Markdown table; peak memory is the process's high-water mark (`VmHWM`).
//!
//! Run: `cargo bench --bench road_matrix` (add `-- --side 316` for a quick 100,000-node run).

use std::time::Instant;

use junkai::io::roads::{RoadProfile, import};
use junkai_solver::matrix::road::{SnapIndex, from_bytes, road_matrix, snap_points, synthetic_grid, to_bytes};
use junkai_solver::model::Point;
use junkai_solver::rng::Rng;

fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        return; // `cargo test --benches` only checks that it builds
    }
    let side: usize = args
        .iter()
        .position(|a| a == "--side")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let sizes = [100usize, 200, 300, 1000, 3000];

    let t = Instant::now();
    let helsinki = concat!(env!("CARGO_MANIFEST_DIR"), "/data/osm/Helsinki.osm.pbf");
    let (g, stats) =
        import(std::path::Path::new(helsinki), &RoadProfile::default(), None, &|_| {}).expect("Helsinki imports");
    let import_s = t.elapsed().as_secs_f64();
    println!(
        "| Helsinki import (without contraction) | {} ways, {} nodes, {} edges | {import_s:.3} s |",
        stats.ways_kept,
        g.node_count(),
        g.edge_count()
    );

    let t = Instant::now();
    let mut graph = synthetic_grid(side, side, 0.05, 0.1, 1);
    println!(
        "| synthetic grid | {} nodes, {} edges | {:.2} s |",
        graph.node_count(),
        graph.edge_count(),
        t.elapsed().as_secs_f64()
    );
    let plain = graph.clone();
    let t = Instant::now();
    graph.contract(&mut |_, _| {});
    println!("| contraction hierarchy (preprocessing, at import) | | {:.1} s |", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let bytes = to_bytes(&graph);
    let graph = from_bytes(&bytes).expect("round trip");
    println!("| road file write + load | {:.0} MB | {:.2} s |", bytes.len() as f64 / 1e6, t.elapsed().as_secs_f64());
    drop(bytes);
    let t = Instant::now();
    let index = SnapIndex::new(&graph);
    println!("| snap index (R-tree) | | {:.2} s |", t.elapsed().as_secs_f64());

    let mut rng = Rng::seed(42);
    let span = side as f64 * 0.001;
    let all: Vec<Point> =
        (0..*sizes.last().unwrap()).map(|_| Point::new(139.0 + rng.unit() * span, 36.0 + rng.unit() * span)).collect();
    for &n in &sizes {
        let points = &all[..n];
        let t = Instant::now();
        let snaps = snap_points(&graph, &index, points, 1_000.0).expect("points snap");
        let ok = road_matrix(&graph, snaps.clone()).is_ok();
        println!("| {n} × {n} matrix, hierarchy | connected: {ok} | {:.3} s |", t.elapsed().as_secs_f64());
        if n <= 200 {
            let t = Instant::now();
            let ok = road_matrix(&plain, snaps).is_ok();
            println!("| {n} × {n} matrix, plain Dijkstra | connected: {ok} | {:.3} s |", t.elapsed().as_secs_f64());
        }
    }
    println!("| peak memory of the whole run | | {:.0} MB |", peak_memory_mb());
}
