//! `junkai sample-requests`: writes seeded sample requests as a requests file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::json;

use super::{DataArgs, EXIT_FAILURE, report};
use crate::io::output::OutputSet;
use crate::io::problem_file::{REQUESTS_FORMAT, SampleSpec, VERSION};
use crate::lang::Lang;
use crate::sample::generate;

#[derive(Args)]
pub struct SampleArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Random seed; the same seed and horizon give the same requests.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Requests per week.
    #[arg(long, default_value_t = 36)]
    pub per_week: u32,
    /// Output file (a requests.json for a data folder).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: &SampleArgs, lang: Lang) -> ExitCode {
    let data = match args.data.load(args.data.data.as_deref()) {
        Ok(d) => d,
        Err(diagnostics) => return report(&diagnostics, lang),
    };
    let p = &data.problem;
    let requests = generate(
        p.stops(),
        p.kinds(),
        p.remote(),
        &data.calendar,
        SampleSpec { seed: args.seed, per_week: args.per_week },
    );
    let doc = json!({
        "format": REQUESTS_FORMAT,
        "version": VERSION,
        "sample": true,
        "note": format!("サンプルデータ（架空の予約, seed {}） / sample data, fictitious requests", args.seed),
        "requests": requests,
    });
    let mut out = OutputSet::default();
    let name = args.out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "requests.json".into());
    let dir =
        args.out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new(".")).to_path_buf();
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("JSON values serialise");
    bytes.push(b'\n');
    out.add(name, bytes);
    match out.commit(&dir) {
        Ok(_) => {
            let n = doc["requests"].as_array().map_or(0, Vec::len);
            match lang {
                Lang::Ja => say!("サンプル予約 {n} 件を {} に書き出しました", args.out.display()),
                Lang::En => say!("wrote {n} sample requests to {}", args.out.display()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("E1021 {}: {e}", args.out.display());
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
