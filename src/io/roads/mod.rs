//! Road import: OpenStreetMap extracts and GeoJSON road files become a compact road graph
//! file (`roads.jkrg`) that plans load to get road travel times and road-following maps.

mod geojson_roads;
mod network;
mod osm;
mod profile;

pub use network::{ImportStats, Oneway, Way};
pub use profile::{RoadProfile, WindingRule};

use std::path::Path;

use geo::MultiPolygon;
use junkai_solver::matrix::road::RoadGraph;

use crate::diagnostics::Diagnostic;

/// Reads a road source (`.osm.pbf`, or GeoJSON otherwise), keeps drivable roads, clips them
/// to `boundary` if given, and builds the graph.
pub fn import(
    path: &Path,
    profile: &RoadProfile,
    boundary: Option<&MultiPolygon<f64>>,
    progress: &dyn Fn(u64),
) -> Result<(RoadGraph, ImportStats), Diagnostic> {
    let label = path.display().to_string();
    let mut stats = ImportStats::default();
    let is_pbf = path.to_string_lossy().to_lowercase().ends_with(".pbf");
    let ways = if is_pbf {
        if !path.exists() {
            return Err(Diagnostic::unreadable(&label, &std::io::ErrorKind::NotFound.into()));
        }
        osm::read_ways(path, profile, &mut stats, progress).map_err(|e| Diagnostic::bad_road_source(&label, &e))?
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| Diagnostic::read_failed(&label, &e))?;
        geojson_roads::read_ways(&text, profile, &mut stats).map_err(|e| Diagnostic::bad_road_source(&label, &e))?
    };
    let ways = match boundary {
        Some(b) => network::clip(ways, b, &mut stats),
        None => ways,
    };
    if is_pbf {
        stats.ways_kept = ways.len();
    }
    let graph =
        network::build(&ways, profile, &mut stats).map_err(|e| Diagnostic::bad_road_source(&label, &e.to_string()))?;
    if graph.edge_count() == 0 {
        return Err(Diagnostic::bad_road_source(&label, "no drivable road remains"));
    }
    Ok((graph, stats))
}

/// The polygons of a boundary GeoJSON (a Polygon or MultiPolygon feature, collection or
/// geometry).
pub fn read_boundary(path: &Path) -> Result<MultiPolygon<f64>, Diagnostic> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Diagnostic::read_failed(&label, &e))?;
    let geo: geojson::GeoJson =
        text.parse().map_err(|e: geojson::Error| Diagnostic::bad_road_source(&label, &e.to_string()))?;
    boundary_polygons(&geo, &label)
}

/// The polygons of a boundary already read as GeoJSON; `label` names it in errors.
pub fn boundary_polygons(geo: &geojson::GeoJson, label: &str) -> Result<MultiPolygon<f64>, Diagnostic> {
    let collection = geo::GeometryCollection::<f64>::try_from(geo)
        .map_err(|e| Diagnostic::bad_road_source(label, &e.to_string()))?;
    let mut polygons = Vec::new();
    for g in collection {
        match g {
            geo::Geometry::Polygon(p) => polygons.push(p),
            geo::Geometry::MultiPolygon(m) => polygons.extend(m.0),
            _ => {}
        }
    }
    if polygons.is_empty() {
        return Err(Diagnostic::bad_road_source(label, "no polygon in the boundary file"));
    }
    Ok(MultiPolygon(polygons))
}
