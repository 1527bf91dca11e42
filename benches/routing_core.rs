//! Runtime benchmarks of the routing core: pricing moves (segment concatenation, the plain
//! VRPTW fast path) on Solomon R101 (100 customers), and one full local-search descent from
//! a random solution on R101 and on two Gehring–Homberger instances with 1,000 customers
//! (short routes: r1_10_1; long routes: r2_10_1). Descents count moves judged, so divan's
//! throughput column reads as moves judged per second.
//!
//! Run: `cargo bench --bench routing_core`.

use junkai::io::vrp_benchmark::parse_instance;
use junkai_solver::matrix::TravelMatrix;
use junkai_solver::routing::probe;

fn main() {
    divan::main();
}

fn load(relative: &str) -> (junkai::io::vrp_benchmark::BenchmarkInstance, TravelMatrix) {
    let path = format!("{}/data/bench/{relative}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the instance is in data/bench");
    let bench = parse_instance(&text, &path).expect("the instance parses");
    let matrix = bench.matrix();
    (bench, matrix)
}

fn r101() -> (junkai::io::vrp_benchmark::BenchmarkInstance, TravelMatrix) {
    load("solomon/R101.txt")
}

/// 10,000 relocations priced (two routes each).
#[divan::bench]
fn price_10k_relocations(bencher: divan::Bencher) {
    let (bench, matrix) = r101();
    let inst = bench.routing_instance(&matrix);
    bencher.bench_local(|| probe::price_relocations(divan::black_box(&inst), 7, 10_000));
}

/// One exhaustive local search from a random solution (100 customers, R101).
#[divan::bench(sample_count = 20)]
fn local_search_descent(bencher: divan::Bencher) {
    descent(bencher, "solomon/R101.txt");
}

/// One exhaustive local search from a random solution, 1,000 customers.
#[divan::bench(args = ["gh/r1_10_1.txt", "gh/r2_10_1.txt"], sample_count = 5)]
fn local_search_descent_1000(bencher: divan::Bencher, instance: &str) {
    descent(bencher, instance);
}

fn descent(bencher: divan::Bencher, instance: &str) {
    let (bench, matrix) = load(instance);
    let inst = bench.routing_instance(&matrix);
    let work = probe::local_search_descent(&inst, 7);
    eprintln!("{instance}: {} moves judged, {} routes priced, cost {}", work.judged, work.priced, work.cost);
    bencher
        .counter(divan::counter::ItemsCount::new(work.judged))
        .bench_local(|| probe::local_search_descent(divan::black_box(&inst), 7));
}
