//! `junkai roads import FILE --out PATH`: builds a road graph file from an OpenStreetMap
//! extract or a GeoJSON road file.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand};
use indicatif::ProgressBar;
use junkai_solver::matrix::road::to_bytes;

use super::{EXIT_FAILURE, report};
use crate::diagnostics::Diagnostic;
use crate::io::output::OutputSet;
use crate::io::roads::{RoadProfile, import, read_boundary};
use crate::lang::Lang;

#[derive(Args)]
pub struct RoadsArgs {
    #[command(subcommand)]
    pub action: RoadsAction,
}

#[derive(Subcommand)]
pub enum RoadsAction {
    /// 道路データを取り込む / import a road network
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// OpenStreetMap extract (.osm.pbf) or GeoJSON FeatureCollection of LineStrings.
    pub file: PathBuf,
    /// Road file to write (e.g. DATA/roads.jkrg).
    #[arg(long)]
    pub out: PathBuf,
    /// Keep only roads inside this boundary (GeoJSON Polygon or MultiPolygon).
    #[arg(long)]
    pub clip: Option<PathBuf>,
    /// Speeds per road class and the winding-road rule (JSON; default: Japanese defaults).
    #[arg(long)]
    pub speeds: Option<PathBuf>,
}

fn load_profile(path: Option<&PathBuf>) -> Result<RoadProfile, Diagnostic> {
    let Some(path) = path else { return Ok(RoadProfile::default()) };
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Diagnostic::read_failed(&label, &e))?;
    serde_json::from_str(&text)
        .map_err(|e| Diagnostic::json_syntax(e.line(), e.column(), e.is_eof(), &e.to_string()).in_file(&label))
}

pub fn run(args: &RoadsArgs, lang: Lang) -> ExitCode {
    let RoadsAction::Import(args) = &args.action;
    let started = Instant::now();
    let profile = match load_profile(args.speeds.as_ref()) {
        Ok(p) => p,
        Err(d) => return report(&[d], lang),
    };
    let boundary = match args.clip.as_deref().map(read_boundary).transpose() {
        Ok(b) => b,
        Err(d) => return report(&[d], lang),
    };
    let spinner = ProgressBar::new_spinner();
    spinner.set_message(if lang == Lang::Ja { "読み込み中" } else { "reading" });
    let progress =
        |n: u64| spinner.set_message(if lang == Lang::Ja { format!("{n} 要素") } else { format!("{n} elements") });
    let result = import(&args.file, &profile, boundary.as_ref(), &progress);
    spinner.finish_and_clear();
    let (mut graph, stats) = match result {
        Ok(x) => x,
        Err(d) => return report(&[d], lang),
    };
    let bar = ProgressBar::new(graph.node_count() as u64);
    bar.set_message(if lang == Lang::Ja { "経路探索の前処理" } else { "contraction hierarchy" });
    graph.contract(&mut |done, _| bar.set_position(done as u64));
    bar.finish_and_clear();
    let mut out = OutputSet::default();
    let name = args.out.file_name().map_or_else(|| "roads.jkrg".into(), |n| n.to_string_lossy().into_owned());
    out.add(name, to_bytes(&graph));
    let dir = args.out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    if let Err(e) = out.commit(dir) {
        eprintln!("E1021 {}: {e}", args.out.display());
        return ExitCode::from(EXIT_FAILURE);
    }
    let secs = started.elapsed().as_secs_f64();
    match lang {
        Lang::Ja => say!(
            "道路 {} 本を取り込みました（交差点等 {} 点、有向辺 {} 本）。除外: 道路以外 {}、対象外の種別 {}、通行制限 {}、範囲外 {}。{:.2} 秒",
            stats.ways_kept,
            stats.nodes,
            stats.edges,
            stats.dropped_not_road,
            stats.dropped_class,
            stats.dropped_access,
            stats.dropped_clipped,
            secs
        ),
        Lang::En => say!(
            "kept {} ways ({} nodes, {} directed edges); dropped: {} not roads, {} other classes, {} no access, {} clipped; {:.2} s",
            stats.ways_kept,
            stats.nodes,
            stats.edges,
            stats.dropped_not_road,
            stats.dropped_class,
            stats.dropped_access,
            stats.dropped_clipped,
            secs
        ),
    }
    ExitCode::SUCCESS
}
