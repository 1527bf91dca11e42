//! Road networks end to end: importing the real OpenStreetMap extracts (counts, a path
//! checked against petgraph's Dijkstra), refusing damaged sources without writing, and
//! planning the tiny fixture over its hand-written network with road-following maps.

use std::path::Path;

use junkai::io::travel::load_road_graph;
use junkai_solver::matrix::road::{SnapIndex, road_matrix, snap_points};
use junkai_solver::model::Point;
use petgraph::graph::DiGraph;

mod common;
use common::{junkai, repo};

fn import(source: &Path, out: &Path) -> String {
    let o = junkai().args(["--lang", "en", "roads", "import"]).arg(source).arg("--out").arg(out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn real_osm_extracts_import_with_known_counts() {
    let dir = tempfile::tempdir().unwrap();
    for (file, ways, nodes, edges) in [("test.osm.pbf", 206, 337, 690), ("Helsinki.osm.pbf", 883, 927, 1569)] {
        let out = dir.path().join(file.replace(".osm.pbf", ".jkrg"));
        let summary = import(&repo(&format!("data/osm/{file}")), &out);
        assert!(
            summary.contains(&format!("kept {ways} ways ({nodes} nodes, {edges} directed edges)")),
            "{file}: {summary}"
        );
        let (graph, _) = load_road_graph(&out).unwrap();
        assert_eq!((graph.node_count(), graph.edge_count()), (nodes, edges));
        assert!(graph.has_hierarchy());
    }
}

#[test]
fn a_helsinki_path_matches_petgraph_dijkstra() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("helsinki.jkrg");
    import(&repo("data/osm/Helsinki.osm.pbf"), &out);
    let (graph, _) = load_road_graph(&out).unwrap();
    let mut g: DiGraph<(), u32> = DiGraph::new();
    let ids: Vec<_> = (0..graph.node_count()).map(|_| g.add_node(())).collect();
    for (from, to, time_ms, _) in graph.edges() {
        g.add_edge(ids[from], ids[to], time_ms);
    }
    let components = graph.components();
    let biggest =
        (0..graph.node_count()).max_by_key(|&v| components.iter().filter(|&&c| c == components[v]).count()).unwrap();
    let in_biggest: Vec<usize> = (0..graph.node_count()).filter(|&v| components[v] == components[biggest]).collect();
    let (a, b) = (in_biggest[0], in_biggest[in_biggest.len() / 2]);
    let oracle = petgraph::algo::dijkstra(&g, ids[a], Some(ids[b]), |e| *e.weight());
    let expected_ms = oracle[&ids[b]];
    let points: Vec<Point> = [a, b]
        .iter()
        .map(|&v| {
            let (x, y) = graph.position(v);
            Point::new(x, y)
        })
        .collect();
    let index = SnapIndex::new(&graph);
    let snaps = snap_points(&graph, &index, &points, 5.0).unwrap();
    let m = road_matrix(&graph, snaps).unwrap();
    assert_eq!(m.matrix.duration(0, 1).get(), (i64::from(expected_ms) + 500) / 1000);
    assert!(expected_ms > 10_000, "a path of some length: {expected_ms} ms");
}

#[test]
fn damaged_sources_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(repo("data/osm/test.osm.pbf")).unwrap();
    let truncated = dir.path().join("truncated.osm.pbf");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let not_lines = dir.path().join("points.geojson");
    std::fs::write(&not_lines, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[139.3,36.5]}}]}"#).unwrap();
    for (source, code) in [(truncated, "E2020"), (not_lines, "E2020"), (dir.path().join("missing.osm.pbf"), "E1021")] {
        let out = dir.path().join("out").join("roads.jkrg");
        let o =
            junkai().args(["--lang", "en", "roads", "import"]).arg(&source).arg("--out").arg(&out).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", source.display());
        assert!(String::from_utf8_lossy(&o.stderr).contains(code), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(!out.exists() && !out.parent().unwrap().exists());
    }
}

#[test]
fn plans_over_roads_draw_road_following_lines() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy(repo("data/fixtures/tiny-roads/problem.json"), data.join("problem.json")).unwrap();
    import(&repo("data/fixtures/tiny-roads/roads.geojson"), &data.join("roads.jkrg"));
    let out = dir.path().join("out");
    let o = junkai().args(["plan", "--data"]).arg(&data).arg("--out").arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let geo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.geojson")).unwrap()).unwrap();
    let routes: Vec<&serde_json::Value> =
        geo["features"].as_array().unwrap().iter().filter(|f| f["properties"]["type"] == "route").collect();
    assert!(!routes.is_empty());
    for r in &routes {
        assert_eq!(r["properties"]["geometry"], "road");
        let coords = r["geometry"]["coordinates"].as_array().unwrap().len();
        let stops = r["properties"]["stops"].as_array().unwrap().len();
        assert!(coords > stops + 2, "the line follows the roads: {coords} points for {stops} stops");
    }
    // The crew gets each route as its own GeoJSON next to the itinerary.
    let crew = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".geojson"))
        .count();
    assert_eq!(crew, routes.len() + 1);
    // Road times differ from the straight-line estimate of the same data.
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["days"][0]["routes"][0]["road_geometry"], true);
    // The matrix was cached next to the road file.
    assert!(data.join(".junkai-cache").read_dir().unwrap().count() >= 1);
}
