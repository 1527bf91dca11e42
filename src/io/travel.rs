//! Travel times for a data set: over the road network it names (snapped, with a disk
//! cache keyed by the road file and the points), or great-circle distance × detour.
//! Road problems become diagnostics that name the stop or depot concerned.

use std::path::{Path, PathBuf};

use junkai_solver::matrix::road::{RoadError, RoadGraph, Snap, SnapIndex, fnv1a, from_bytes, road_matrix, snap_points};
use junkai_solver::matrix::{TravelMatrix, great_circle_matrix};
use junkai_solver::model::Place;

use super::problem_file::Dataset;
use crate::diagnostics::Diagnostic;

/// A loaded road network and where each location snapped.
pub struct Roads {
    pub graph: RoadGraph,
    pub snaps: Vec<Snap>,
}

/// The travel matrix of a data set, and the roads it came from (if any).
pub struct Travel {
    pub matrix: TravelMatrix,
    pub roads: Option<Roads>,
}

/// JSON path and display name of a location index (depots, then stops, then homes).
fn describe(data: &Dataset, location: usize) -> (String, String) {
    let p = &data.problem;
    let (d, s) = (p.depots().len(), p.stops().len());
    if location < d {
        (format!("depots[{location}]"), p.depots()[location].name.clone())
    } else if location < d + s {
        (format!("stops[{}]", location - d), p.stops()[location - d].name.clone())
    } else {
        let r = (0..p.requests().len())
            .find(|&r| matches!(p.requests()[r].place, Place::Home(_)) && p.request_location(r) == location)
            .unwrap_or(0);
        (format!("requests[{r}].home"), format!("{} (home)", p.requests()[r].id))
    }
}

fn road_diagnostic(data: &Dataset, file: &str, e: RoadError) -> Diagnostic {
    match e {
        RoadError::TooFar { point, offset_m, limit_m } => {
            let (path, name) = describe(data, point);
            Diagnostic::stop_far_from_road(&path, &name, offset_m, limit_m)
        }
        RoadError::Disconnected { point } => {
            let (path, name) = describe(data, point);
            Diagnostic::stop_cut_off(&path, &name)
        }
        other => Diagnostic::corrupt_road_file(file, &other.to_string()),
    }
}

fn cache_file(road_file: &Path, key: u64) -> PathBuf {
    road_file.with_file_name(".junkai-cache").join(format!("matrix-{key:016x}.bin"))
}

fn write_cache(path: &Path, m: &TravelMatrix) {
    let n = m.size();
    let mut bytes = Vec::with_capacity(8 + n * n * 16 + 8);
    bytes.extend_from_slice(&(n as u64).to_le_bytes());
    for i in 0..n {
        for j in 0..n {
            bytes.extend_from_slice(&m.duration(i, j).get().to_le_bytes());
            bytes.extend_from_slice(&m.distance(i, j).get().to_le_bytes());
        }
    }
    let sum = fnv1a(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    // A cache is an optimisation: failing to write it is not an error.
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, &bytes).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
    }
}

fn read_cache(path: &Path, n: usize) -> Option<TravelMatrix> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() != 16 + n * n * 16 {
        return None;
    }
    let (body, tail) = bytes.split_at(bytes.len() - 8);
    if fnv1a(body) != u64::from_le_bytes(tail.try_into().ok()?)
        || u64::from_le_bytes(body[..8].try_into().ok()?) != n as u64
    {
        return None;
    }
    let words: Vec<i64> =
        body[8..].chunks_exact(8).map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
    let durations = words.iter().step_by(2).copied().collect();
    let distances = words.iter().skip(1).step_by(2).copied().collect();
    TravelMatrix::new(n, durations, distances).ok()
}

/// Loads a road file.
pub fn load_road_graph(path: &Path) -> Result<(RoadGraph, Vec<u8>), Diagnostic> {
    let label = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::unreadable(&label, &e))?;
    let graph = from_bytes(&bytes).map_err(|e| {
        let reason = match e {
            RoadError::Corrupt { reason } => reason.to_string(),
            other => other.to_string(),
        };
        Diagnostic::corrupt_road_file(&label, &reason)
    })?;
    Ok((graph, bytes))
}

/// Builds the travel matrix; `data_dir` resolves a relative road file.
pub fn travel(data: &Dataset, data_dir: Option<&Path>) -> Result<Travel, Vec<Diagnostic>> {
    let p = &data.problem;
    let Some(roads) = &data.roads else {
        let flags: Vec<bool> = (0..p.locations().len()).map(|l| p.location_is_mountainous(l)).collect();
        return Ok(Travel { matrix: great_circle_matrix(p.locations(), &flags, &data.travel), roads: None });
    };
    let file = match data_dir {
        Some(dir) => dir.join(&roads.file),
        None => PathBuf::from(&roads.file),
    };
    let label = file.display().to_string();
    let (graph, bytes) = load_road_graph(&file).map_err(|d| vec![d])?;
    let index = SnapIndex::new(&graph);
    let snaps = snap_points(&graph, &index, p.locations(), roads.max_snap_m)
        .map_err(|errors| errors.into_iter().map(|e| road_diagnostic(data, &label, e)).collect::<Vec<_>>())?;
    let mut key_bytes = fnv1a(&bytes).to_le_bytes().to_vec();
    for point in p.locations() {
        key_bytes.extend_from_slice(&point.lon.to_le_bytes());
        key_bytes.extend_from_slice(&point.lat.to_le_bytes());
    }
    let cache = cache_file(&file, fnv1a(&key_bytes));
    let matrix = match read_cache(&cache, p.locations().len()) {
        Some(m) => m,
        None => {
            let m = road_matrix(&graph, snaps.clone())
                .map_err(|errors| errors.into_iter().map(|e| road_diagnostic(data, &label, e)).collect::<Vec<_>>())?
                .matrix;
            write_cache(&cache, &m);
            m
        }
    };
    Ok(Travel { matrix, roads: Some(Roads { graph, snaps }) })
}
