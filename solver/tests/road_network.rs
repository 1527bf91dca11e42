//! Road network properties against oracles: Dijkstra equals Floyd–Warshall and petgraph's
//! Dijkstra on random graphs; one-way streets give asymmetric matrices; matrix times obey
//! the triangle inequality (up to rounding) and never beat the fastest straight line;
//! unreachable points and far-away points get their coded errors; the file codec round-trips
//! and refuses damage.
#![allow(clippy::needless_range_loop)] // matrices are indexed by point on both sides

use junkai_solver::matrix::road::*;
use junkai_solver::model::Point;
use proptest::prelude::*;

/// The streets of a `w × h` grid: `(from, to, length in metres, two-way)`, with street
/// `k` (counted from 1) left out where `removed[k]` and one-way where `one_way[k]`.
fn streets(w: usize, h: usize, removed: &[bool], one_way: &[bool]) -> Vec<(usize, usize, f64, bool)> {
    let mut out = Vec::new();
    let mut k = 0;
    for i in 0..w * h {
        for j in [i + 1, i + w] {
            if j >= w * h || (j == i + 1 && (i + 1) % w == 0) {
                continue;
            }
            k += 1;
            if removed.get(k).copied().unwrap_or(false) {
                continue;
            }
            let length_m = if j == i + 1 { 89.5 } else { 111.3 };
            out.push((i, j, length_m, !one_way.get(k).copied().unwrap_or(false)));
        }
    }
    out
}

/// A grid of `w × h` nodes 0.001° apart; every street two-way at 36 km/h except where
/// `one_way` says so, and with some streets removed.
fn grid(w: usize, h: usize, removed: &[bool], one_way: &[bool]) -> RoadGraph {
    let nodes: Vec<(f64, f64)> =
        (0..w * h).map(|i| (139.3 + (i % w) as f64 * 0.001, 36.5 + (i / w) as f64 * 0.001)).collect();
    let mut edges = Vec::new();
    for (i, j, length_m, two_way) in streets(w, h, removed, one_way) {
        let edge = |from: usize, to: usize| RoadEdge {
            from: from as u32,
            to: to as u32,
            length_m,
            time_s: length_m / 10.0,
            geometry: vec![],
        };
        edges.push(edge(i, j));
        if two_way {
            edges.push(edge(j, i));
        }
    }
    RoadGraph::new(nodes, edges).expect("valid grid")
}

fn points_at_nodes(g: &RoadGraph, nodes: &[usize]) -> Vec<Point> {
    nodes
        .iter()
        .map(|&v| {
            let (x, y) = g.position(v);
            Point::new(x, y)
        })
        .collect()
}

fn matrix(g: &RoadGraph, points: &[Point]) -> Result<RoadMatrix, Vec<RoadError>> {
    let index = SnapIndex::new(g);
    let snaps = snap_points(g, &index, points, 50.0)?;
    road_matrix(g, snaps)
}

/// All-pairs travel times in milliseconds between nodes by Floyd–Warshall.
fn floyd(g: &RoadGraph, w: usize, h: usize, removed: &[bool], one_way: &[bool]) -> Vec<Vec<Option<u64>>> {
    let n = g.node_count();
    let mut d = vec![vec![None; n]; n];
    for (i, row) in d.iter_mut().enumerate() {
        row[i] = Some(0);
    }
    // Street times at 10 m/s, in milliseconds (as the graph stores them).
    for (i, j, length_m, two_way) in streets(w, h, removed, one_way) {
        let t = (length_m * 100.0).round() as u64;
        d[i][j] = Some(t);
        if two_way {
            d[j][i] = Some(t);
        }
    }
    for m in 0..n {
        for i in 0..n {
            for j in 0..n {
                if let (Some(a), Some(b)) = (d[i][m], d[m][j])
                    && d[i][j].is_none_or(|c| a + b < c)
                {
                    d[i][j] = Some(a + b);
                }
            }
        }
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn matrix_equals_floyd_warshall(removed in prop::collection::vec(prop::bool::weighted(0.15), 80),
                                    one_way in prop::collection::vec(prop::bool::weighted(0.2), 80)) {
        let (w, h) = (5, 5);
        let g = grid(w, h, &removed, &one_way);
        let nodes: Vec<usize> = (0..w * h).collect();
        let fw = floyd(&g, w, h, &removed, &one_way);
        let components = g.components();
        match matrix(&g, &points_at_nodes(&g, &nodes)) {
            Ok(m) => {
                for i in 0..nodes.len() {
                    for j in 0..nodes.len() {
                        let expect = fw[i][j].expect("connected");
                        prop_assert_eq!(m.matrix.duration(i, j).get(), ((expect + 500) / 1000) as i64, "{} -> {}", i, j);
                        if i != j {
                            prop_assert!(m.matrix.duration(i, j).get() <= m.matrix.duration(i, (i + 1) % 25).get() + m.matrix.duration((i + 1) % 25, j).get() + 1);
                        }
                    }
                }
            }
            Err(errors) => {
                // Errors only when some pair is really unreachable, and they name such points.
                prop_assert!(fw.iter().flatten().any(Option::is_none));
                for e in errors {
                    match e {
                        RoadError::Disconnected { point } => {
                            prop_assert!((0..25).any(|j| fw[point][j].is_none() || fw[j][point].is_none()));
                            prop_assert!(components.iter().any(|&c| c != components[point]));
                        }
                        // A node whose streets were all removed is far from any road.
                        RoadError::TooFar { point, .. } => {
                            prop_assert!((0..25).all(|j| j == point || (fw[point][j].is_none() && fw[j][point].is_none())));
                        }
                        other => panic!("unexpected {other}"),
                    }
                }
            }
        }
    }
}

#[test]
fn one_way_streets_make_the_matrix_asymmetric() {
    // A 3 × 1 street: 0 - 1 - 2, with 0 → 1 one-way.
    let nodes = vec![(139.300, 36.5), (139.301, 36.5), (139.302, 36.5)];
    let e = |a: u32, b: u32| RoadEdge { from: a, to: b, length_m: 89.5, time_s: 9.0, geometry: vec![] };
    let g = RoadGraph::new(nodes, vec![e(0, 1), e(1, 2), e(2, 1)]).unwrap();
    let m = matrix(&g, &points_at_nodes(&g, &[0, 2])).err();
    // Node 0 cannot be reached from 2: coded error naming a point.
    assert!(matches!(m.as_deref(), Some([RoadError::Disconnected { .. }, ..])), "{m:?}");
    let g = RoadGraph::new(vec![(139.300, 36.5), (139.301, 36.5), (139.3005, 36.501)], vec![e(0, 1), e(1, 2), e(2, 0)])
        .unwrap();
    let m = matrix(&g, &points_at_nodes(&g, &[0, 1])).unwrap();
    assert_eq!(m.matrix.duration(0, 1).get(), 9);
    assert_eq!(m.matrix.duration(1, 0).get(), 18);
}

#[test]
fn far_points_are_refused_with_their_index() {
    let g = grid(3, 3, &[], &[]);
    let far = [Point::new(139.301, 36.501), Point::new(139.4, 36.6)];
    let index = SnapIndex::new(&g);
    let err = snap_points(&g, &index, &far, 200.0).unwrap_err();
    assert!(matches!(err[..], [RoadError::TooFar { point: 1, .. }]), "{err:?}");
}

#[test]
fn road_times_never_beat_the_fastest_straight_line() {
    let g = grid(6, 6, &[], &[]);
    let pts = [Point::new(139.3002, 36.5001), Point::new(139.3049, 36.5047), Point::new(139.3031, 36.5008)];
    let m = matrix(&g, &pts).unwrap();
    let max_speed_mps = 10.0;
    for i in 0..3 {
        for j in 0..3 {
            let straight: f64 = geo::Distance::distance(
                &geo::Haversine,
                geo::Point::new(pts[i].lon, pts[i].lat),
                geo::Point::new(pts[j].lon, pts[j].lat),
            );
            assert!(m.matrix.duration(i, j).get() as f64 + 1.0 >= straight / max_speed_mps, "{i}->{j}");
            assert!(m.matrix.distance(i, j).get() as f64 + 1.0 >= straight);
        }
    }
    // The leg geometry starts and ends at the snapped positions and follows the grid.
    let line = leg_geometry(&g, &m.snaps, 0, 1);
    assert!(line.len() >= 3);
    let first = line[0];
    assert!((first.0 - 139.3002).abs() < 1e-6 && (first.1 - 36.5).abs() < 1e-6, "{first:?}");
}

#[test]
fn the_codec_round_trips_and_refuses_damage() {
    let g = grid(4, 3, &[false, true], &[false, false, true]);
    let bytes = to_bytes(&g);
    assert_eq!(from_bytes(&bytes).unwrap(), g);
    assert!(matches!(from_bytes(&bytes[..bytes.len() - 3]), Err(RoadError::Corrupt { .. })));
    let mut flipped = bytes.clone();
    flipped[40] ^= 0xff;
    assert!(matches!(from_bytes(&flipped), Err(RoadError::Corrupt { .. })));
    assert!(matches!(from_bytes(b"not a road file at all, sorry........."), Err(RoadError::Corrupt { .. })));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The contraction hierarchy answers exactly as plain Dijkstra, matrices and paths, and
    /// survives the file codec.
    #[test]
    fn contraction_hierarchy_matches_dijkstra(seed in 0..1000u64, side in 4..14usize, n_points in 2..12usize) {
        let plain = synthetic_grid(side, side, 0.1, 0.2, seed);
        let mut fast = plain.clone();
        fast.contract(&mut |_, _| {});
        prop_assert!(fast.has_hierarchy());
        prop_assert_eq!(&from_bytes(&to_bytes(&fast)).unwrap(), &fast);
        let mut rng = junkai_solver::rng::Rng::seed(seed);
        let span = side as f64 * 0.001;
        let points: Vec<Point> = (0..n_points).map(|_| Point::new(139.0 + rng.unit() * span, 36.0 + rng.unit() * span)).collect();
        let index = SnapIndex::new(&plain);
        let Ok(snaps) = snap_points(&plain, &index, &points, 10_000.0) else { return Ok(()) };
        match (road_matrix(&plain, snaps.clone()), road_matrix(&fast, snaps.clone())) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.matrix, b.matrix);
                for i in 0..n_points {
                    for j in 0..n_points {
                        let (pa, pb) = (leg_geometry(&plain, &snaps, i, j), leg_geometry(&fast, &snaps, i, j));
                        prop_assert_eq!(pa.first(), pb.first());
                        prop_assert_eq!(pa.last(), pb.last());
                    }
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "plain {:?} vs hierarchy {:?}", a.is_ok(), b.is_ok()),
        }
    }
}
