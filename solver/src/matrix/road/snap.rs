//! Snapping points to the nearest drivable edge with an R-tree (rstar) over the edges'
//! segments, in a local metric projection (equirectangular around the graph's centre).

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use super::graph::RoadGraph;

/// Where a point meets the road network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snap {
    /// The snapped directed edge.
    pub edge: u32,
    /// Position along the edge by length, 0 = at its tail, 1 = at its head.
    pub fraction: f64,
    /// Straight-line distance from the point to the road, in metres.
    pub offset_m: f64,
    /// The edge running the other way along the same road, if the road is two-way.
    pub reverse: Option<u32>,
}

/// (edge, segment start along the edge in metres, segment length in metres)
type Segment = GeomWithData<Line<[f64; 2]>, (u32, f64, f64)>;

/// An R-tree over all edge segments of a graph.
pub struct SnapIndex {
    tree: RTree<Segment>,
    origin: (f64, f64),
    scale: (f64, f64),
    edge_length_m: Vec<f64>,
}

const EARTH_M_PER_DEG: f64 = 111_319.49;

impl SnapIndex {
    pub fn new(graph: &RoadGraph) -> SnapIndex {
        let n = graph.node_count().max(1) as f64;
        let (sx, sy) = graph.nodes.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
        let origin = (sx / n, sy / n);
        let scale = (EARTH_M_PER_DEG * origin.1.to_radians().cos(), EARTH_M_PER_DEG);
        let project = |p: (f64, f64)| [(p.0 - origin.0) * scale.0, (p.1 - origin.1) * scale.1];
        let mut segments = Vec::new();
        let mut edge_length_m = vec![0.0; graph.edge_count()];
        for (e, length) in edge_length_m.iter_mut().enumerate() {
            let line = graph.edge_polyline(e);
            let mut along = 0.0;
            for w in line.windows(2) {
                let (a, b) = (project(w[0]), project(w[1]));
                let len = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
                segments.push(GeomWithData::new(Line::new(a, b), (e as u32, along, len)));
                along += len;
            }
            *length = along;
        }
        SnapIndex { tree: RTree::bulk_load(segments), origin, scale, edge_length_m }
    }

    fn project(&self, p: (f64, f64)) -> [f64; 2] {
        [(p.0 - self.origin.0) * self.scale.0, (p.1 - self.origin.1) * self.scale.1]
    }

    /// The nearest edge to a point (lon, lat); `None` for an empty graph.
    pub fn snap(&self, graph: &RoadGraph, point: (f64, f64)) -> Option<Snap> {
        let q = self.project(point);
        let seg = self.tree.nearest_neighbor(&q)?;
        let (edge, start, len) = seg.data;
        let (a, b) = (seg.geom().from, seg.geom().to);
        let t = if len > 0.0 {
            (((q[0] - a[0]) * (b[0] - a[0]) + (q[1] - a[1]) * (b[1] - a[1])) / (len * len)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let foot = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        let offset_m = ((q[0] - foot[0]).powi(2) + (q[1] - foot[1]).powi(2)).sqrt();
        let total = self.edge_length_m[edge as usize];
        let fraction = if total > 0.0 { ((start + t * len) / total).clamp(0.0, 1.0) } else { 0.0 };
        let e = edge as usize;
        let (tail, head) = (graph.tail(e), graph.head[e] as usize);
        let reverse = graph
            .out_edges(head)
            .find(|&r| graph.head[r] as usize == tail && same_shape_reversed(graph, e, r))
            .map(|r| r as u32);
        // Both directions of a two-way road share a shape: name the snap by the lower edge
        // index so that points on the same road always refer to the same edge.
        Some(match reverse {
            Some(r) if r < edge => Snap { edge: r, fraction: 1.0 - fraction, offset_m, reverse: Some(edge) },
            _ => Snap { edge, fraction, offset_m, reverse },
        })
    }
}

/// Whether edge `r` runs along edge `e`'s shape in the other direction.
fn same_shape_reversed(graph: &RoadGraph, e: usize, r: usize) -> bool {
    let mut a = graph.edge_polyline(e);
    a.reverse();
    a == graph.edge_polyline(r)
}
