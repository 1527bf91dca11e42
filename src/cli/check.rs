//! `junkai check PATH`: validates a data folder or problem file and prints coded errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{DataArgs, report};
use crate::lang::Lang;

#[derive(Args)]
pub struct CheckArgs {
    /// Data folder or problem file to check.
    pub path: PathBuf,
    #[command(flatten)]
    pub horizon: DataArgs,
}

pub fn run(args: &CheckArgs, lang: Lang) -> ExitCode {
    match args.horizon.load(Some(&args.path)) {
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
            println!("{msg}");
            ExitCode::SUCCESS
        }
    }
}
