//! Finding and reading the JSON documents of a data set: a data folder (`problem.json`
//! plus an optional `requests.json`), a single problem file, or the embedded default
//! Midori data when no path is given.

use std::path::Path;

use serde_json::Value;

use super::problem_file::Documents;
use crate::diagnostics::Diagnostic;

/// The default data set, compiled into the binary so that `junkai plan` runs anywhere.
pub const DEFAULT_PROBLEM: &str = include_str!("../../data/midori/problem.json");
pub const DEFAULT_LABEL: &str = "data/midori/problem.json";
/// The city boundary shipped with the default data (for maps).
pub const DEFAULT_BOUNDARY: &str = include_str!("../../data/midori/boundary.geojson");

/// Parses JSON text, turning a syntax error into a coded diagnostic.
pub fn parse_json(text: &str, label: &str) -> Result<Value, Diagnostic> {
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| Diagnostic::json_syntax(e.line(), e.column(), e.is_eof(), &e.to_string()).in_file(label))
}

/// Reads and parses one JSON document, labelled by its path.
pub fn read_document(path: &Path) -> Result<(String, Value), Diagnostic> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Diagnostic::read_failed(&label, &e))?;
    Ok((label.clone(), parse_json(&text, &label)?))
}

/// Reads the documents at `path` (folder or file), or the embedded default for `None`.
pub fn load_documents(path: Option<&Path>) -> Result<Documents, Vec<Diagnostic>> {
    let Some(path) = path else {
        let value = parse_json(DEFAULT_PROBLEM, DEFAULT_LABEL).map_err(|d| vec![d])?;
        return Ok(Documents::new((DEFAULT_LABEL.to_string(), value), None));
    };
    if path.is_dir() {
        let problem = read_document(&path.join("problem.json"));
        let requests_path = path.join("requests.json");
        let requests = requests_path.exists().then(|| read_document(&requests_path));
        return match (problem, requests) {
            (Ok(p), None) => Ok(Documents::new(p, None)),
            (Ok(p), Some(Ok(r))) => Ok(Documents::new(p, Some(r))),
            (p, r) => Err(p.err().into_iter().chain(r.and_then(Result::err)).collect()),
        };
    }
    let problem = read_document(path).map_err(|d| vec![d])?;
    Ok(Documents::new(problem, None))
}

/// The boundary GeoJSON of a data folder (`boundary.geojson`), or the default one.
pub fn load_boundary(path: Option<&Path>) -> Option<String> {
    match path {
        None => Some(DEFAULT_BOUNDARY.to_string()),
        Some(p) if p.is_dir() => std::fs::read_to_string(p.join("boundary.geojson")).ok(),
        Some(_) => None,
    }
}
