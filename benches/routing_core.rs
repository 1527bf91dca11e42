//! Runtime benchmarks of the routing core on Solomon R101 (100 customers): pricing moves
//! (segment concatenation, the plain VRPTW fast path) and one full local-search descent
//! from a random solution.
//!
//! Run: `cargo bench --bench routing_core`.

use junkai::io::vrp_benchmark::parse_instance;
use junkai_solver::matrix::TravelMatrix;
use junkai_solver::routing::probe;

fn main() {
    divan::main();
}

fn r101() -> (junkai::io::vrp_benchmark::BenchmarkInstance, TravelMatrix) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bench/solomon/R101.txt");
    let text = std::fs::read_to_string(path).expect("R101 is in data/bench");
    let bench = parse_instance(&text, path).expect("R101 parses");
    let matrix = bench.matrix();
    (bench, matrix)
}

/// 10,000 relocations priced (two routes each).
#[divan::bench]
fn price_10k_relocations(bencher: divan::Bencher) {
    let (bench, matrix) = r101();
    let inst = bench.routing_instance(&matrix);
    bencher.bench_local(|| probe::price_relocations(divan::black_box(&inst), 7, 10_000));
}

/// One exhaustive local search from a random solution.
#[divan::bench(sample_count = 20)]
fn local_search_descent(bencher: divan::Bencher) {
    let (bench, matrix) = r101();
    let inst = bench.routing_instance(&matrix);
    bencher.bench_local(|| probe::local_search_descent(divan::black_box(&inst), 7));
}
