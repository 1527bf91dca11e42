//! `junkai check PATH`: validates a data folder or problem file and prints coded errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{DataArgs, report};
use crate::io::travel::travel;
use crate::lang::Lang;

#[derive(Args)]
pub struct CheckArgs {
    /// Data folder or problem file to check.
    pub path: PathBuf,
    #[command(flatten)]
    pub horizon: DataArgs,
}

pub fn run(args: &CheckArgs, lang: Lang) -> ExitCode {
    let folder =
        if args.path.is_dir() { Some(args.path.clone()) } else { args.path.parent().map(std::path::Path::to_path_buf) };
    let loaded = args.horizon.load(Some(&args.path)).and_then(|data| travel(&data, folder.as_deref()).map(|_| data));
    match loaded {
        Err(diagnostics) => report(&diagnostics, lang),
        Ok(data) => {
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
