//! `junkai check PATH`: validates a data folder or problem file and prints coded errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{DataArgs, report};
use crate::diagnostics::Diagnostic;
use crate::io::boundary_check::far_outside;
use crate::io::roads::read_boundary;
use crate::io::travel::travel;
use crate::lang::Lang;

#[derive(Args)]
pub struct CheckArgs {
    /// Data folder or problem file to check.
    pub path: PathBuf,
    #[command(flatten)]
    pub horizon: DataArgs,
    /// Warn about places farther than this many kilometres outside the boundary
    /// (`boundary.geojson` of the data folder).
    #[arg(long, default_value_t = 1.0)]
    pub outside_km: f64,
    /// Treat warnings as errors (exit code 2).
    #[arg(long)]
    pub strict: bool,
}

/// Warnings about the data set (places far outside the boundary), printed to stderr.
fn warnings(
    args: &CheckArgs,
    folder: Option<&std::path::Path>,
    data: &crate::io::problem_file::Dataset,
) -> Vec<Diagnostic> {
    let Some(path) = folder.map(|f| f.join("boundary.geojson")).filter(|p| p.is_file()) else { return Vec::new() };
    match read_boundary(&path) {
        Ok(boundary) => far_outside(data, &boundary, args.outside_km.max(0.0)),
        Err(d) => vec![d],
    }
}

pub fn run(args: &CheckArgs, lang: Lang) -> ExitCode {
    let folder =
        if args.path.is_dir() { Some(args.path.clone()) } else { args.path.parent().map(std::path::Path::to_path_buf) };
    let loaded = args.horizon.load(Some(&args.path)).and_then(|data| travel(&data, folder.as_deref()).map(|_| data));
    match loaded {
        Err(diagnostics) => report(&diagnostics, lang),
        Ok(data) => {
            let warned = warnings(args, folder.as_deref(), &data);
            if args.strict && !warned.is_empty() {
                return report(&warned, lang);
            }
            for w in &warned {
                eprintln!("{}", w.render(lang));
            }
            let p = &data.problem;
            let msg = match lang {
                Lang::Ja => format!(
                    "OK: 訪問先 {} か所、車両 {} 台、予約 {} 件（期間外 {} 件）",
                    p.stops().len(),
                    p.vehicles().len(),
                    p.requests().len(),
                    data.outside_horizon.len()
                ),
                Lang::En => format!(
                    "OK: {} stops, {} vehicles, {} requests ({} outside the horizon)",
                    p.stops().len(),
                    p.vehicles().len(),
                    p.requests().len(),
                    data.outside_horizon.len()
                ),
            };
            say!("{msg}");
            ExitCode::SUCCESS
        }
    }
}
