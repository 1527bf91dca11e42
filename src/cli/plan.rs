//! `junkai plan`: plans the horizon, checks the plan, and writes all outputs at once.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use junkai_solver::plan::{AssignedBy, GreedyCause};
use junkai_solver::weekly::{AssignmentMethod, PlanParams};

use super::{DataArgs, EXIT_FAILURE, report};
use crate::io::data_folder::load_documents;
use crate::io::itinerary::{file_name, itinerary};
use crate::io::output::OutputSet;
use crate::io::plan_geojson::{crew_route_geojson, plan_geojson};
use crate::io::plan_view::PlanView;
use crate::io::problem_file::Dataset;
use crate::io::problem_file::{Documents, HorizonChoice};
use crate::io::timetable_csv::timetable_csv;
use crate::lang::Lang;
use crate::pipeline::{self, Mode, PipelineError, Planned};

#[derive(Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Random seed of the optimiser (same seed, same plan).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Time limit for the whole optimisation in seconds (default: none; the search stops
    /// by its iteration rules, which keeps results reproducible).
    #[arg(long)]
    pub time_limit: Option<f64>,
    /// Time limit in seconds for the day-assignment MIP (shared by the weeks); on expiry
    /// the best assignment found is used and its gap reported.
    #[arg(long, default_value_t = 8.0)]
    pub mip_time_limit: f64,
    /// Assign visits to days greedily instead of with the MIP.
    #[arg(long)]
    pub greedy: bool,
}

fn progress_bar(lang: Lang) -> ProgressBar {
    let bar = ProgressBar::new(1);
    let label =
        if lang == Lang::Ja { "日程割当・日別ルート最適化" } else { "assigning days, routing days" };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}").expect("valid template").progress_chars("=> "),
    );
    bar.set_message(label);
    bar
}

pub fn run(args: &PlanArgs, lang: Lang) -> ExitCode {
    let started = Instant::now();
    let (docs, choice) = match load_documents(args.data.data.as_deref()).and_then(|d| Ok((d, args.data.horizon()?))) {
        Ok(loaded) => loaded,
        Err(diagnostics) => return report(&diagnostics, lang),
    };
    let loaded = started.elapsed();

    let mut params = PlanParams::default();
    params.search.seed = args.seed;
    params.assignment = if args.greedy {
        AssignmentMethod::Greedy
    } else {
        AssignmentMethod::Mip { time_limit: Duration::from_secs_f64(args.mip_time_limit.clamp(0.1, 3600.0)) }
    };
    let time_limit = args.time_limit.filter(|t| t.is_finite() && *t > 0.0).map(|t| Duration::from_secs_f64(t.min(1e6)));
    let run = PipelineRun { choice, folder: args.data.folder(), mode: Mode::Plan, time_limit, label: String::new() };
    match plan_and_write(&docs, &run, &params, &args.out, lang, started, loaded) {
        Ok(_) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// What to run through the pipeline besides the documents and the parameters.
pub(super) struct PipelineRun<'a> {
    pub choice: HorizonChoice,
    pub folder: Option<PathBuf>,
    pub mode: Mode<'a>,
    pub time_limit: Option<Duration>,
    /// The published plan's name in messages (re-planning).
    pub label: String,
}

/// Runs the pipeline with a progress bar, writes every output into `out` and prints the
/// summary; on bad input or a failed check, reports it and returns the exit code.
pub(super) fn plan_and_write(
    docs: &Documents,
    run: &PipelineRun,
    params: &PlanParams,
    out: &Path,
    lang: Lang,
    started: Instant,
    loaded: Duration,
) -> Result<Planned, ExitCode> {
    let bar = progress_bar(lang);
    let planned = pipeline::run(
        docs,
        run.choice,
        run.folder.as_deref(),
        run.mode,
        params,
        run.time_limit,
        &run.label,
        &mut |p| {
            bar.set_length(p.days_total as u64);
            bar.set_position(p.days_done as u64);
        },
    );
    bar.finish_and_clear();
    let planned = match planned {
        Ok(p) => p,
        Err(PipelineError::Input(diagnostics)) => return Err(report(&diagnostics, lang)),
        Err(PipelineError::Check(violations)) => return Err(check_failed(&violations, lang)),
    };
    let solved = started.elapsed() - loaded;
    let files = write_outputs(&planned.data, &planned.view, out, lang)?;
    print_summary(&planned.view, lang, files, out, loaded, solved);
    Ok(planned)
}

/// Reports a plan that failed the independent check (a bug; nothing is written).
fn check_failed(violations: &[String], lang: Lang) -> ExitCode {
    for v in violations {
        eprintln!("{v}");
    }
    let msg = match lang {
        Lang::Ja => "計画が検査に合格しなかったため、出力しませんでした（不具合として報告してください）",
        Lang::En => "the plan failed its feasibility check; nothing was written (please report this bug)",
    };
    eprintln!("{msg}");
    ExitCode::from(EXIT_FAILURE)
}

/// Writes every output file of a checked plan into `out_dir` at once. Returns the number
/// of files written.
pub(super) fn write_outputs(data: &Dataset, view: &PlanView, out_dir: &Path, lang: Lang) -> Result<usize, ExitCode> {
    let mut out = OutputSet::default();
    let mut json = serde_json::to_vec_pretty(view).expect("plan view serialises");
    json.push(b'\n');
    out.add("plan.json", json);
    let geo = plan_geojson(data, view);
    out.add("plan.geojson", serde_json::to_vec_pretty(&geo).expect("GeoJSON serialises"));
    out.add("timetable.csv", timetable_csv(view, lang));
    for day in &view.days {
        for route in &day.routes {
            let name = file_name(day, route);
            out.add(
                name.replace(".md", ".geojson"),
                serde_json::to_vec_pretty(&crew_route_geojson(view, day, route)).expect("GeoJSON serialises"),
            );
            out.add(name, itinerary(data, view, day, route, lang));
        }
    }
    let files = out.names().count();
    if let Err(e) = out.commit(out_dir) {
        eprintln!("E1021 {}: {e}", out_dir.display());
        return Err(ExitCode::from(EXIT_FAILURE));
    }
    Ok(files)
}

/// One line on how the day assignment was made.
fn assignment_line(view: &PlanView, lang: Lang) -> String {
    let a = &view.assignment;
    let fmt = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.1}"));
    let gap = a.gap.map_or("-".to_string(), |g| format!("{:.2}%", g * 100.0));
    let backend = a.backend.map_or(String::new(), |b| b.to_string());
    match (lang, a.method) {
        (Lang::Ja, AssignedBy::Mip) => format!(
            "日程割当: MIP（{}、{}変数・{}制約）{} 目的値 {} 上界 {} ギャップ {gap}",
            backend,
            a.variables,
            a.constraints,
            if a.gap == Some(0.0) { "最適性を証明" } else { "時間制限で打ち切り" },
            fmt(a.objective),
            fmt(a.bound)
        ),
        (Lang::En, AssignedBy::Mip) => format!(
            "day assignment: MIP ({}, {} variables, {} constraints) {}; objective {}, bound {}, gap {gap}",
            backend,
            a.variables,
            a.constraints,
            a.message,
            fmt(a.objective),
            fmt(a.bound)
        ),
        (Lang::Ja, AssignedBy::Replan) => {
            format!(
                "日程割当: 公開済みの訪問を固定（{} 件のうち {} 件を公開時間枠のまま維持）",
                a.locked, a.locked_kept
            )
        }
        (Lang::En, AssignedBy::Replan) => format!("day assignment: published visits locked ({})", a.message),
        (Lang::Ja, _) => format!(
            "日程割当: 貪欲法（{}）",
            match a.greedy_cause {
                Some(GreedyCause::TooLarge) => "MIP には大きすぎる問題のため",
                Some(GreedyCause::NoMipSolution) => "MIP が解を返さなかったため",
                _ => "指定による",
            }
        ),
        (Lang::En, _) => format!("day assignment: greedy ({})", a.message),
    }
}

pub(super) fn print_summary(view: &PlanView, lang: Lang, files: usize, out: &Path, loaded: Duration, solved: Duration) {
    say!("{}", assignment_line(view, lang));
    let k = &view.kpis;
    let hours = k.unit_time.get() as f64 / 3600.0;
    let routes: usize = view.days.iter().map(|d| d.routes.len()).sum();
    let sessions: usize = k.remote.iter().map(|r| r.sessions).sum();
    let session_s: i64 = k.remote.iter().map(|r| r.session_time.get()).sum();
    let online_s: i64 = k.remote.iter().map(|r| r.online_time.get()).sum();
    let remote_share = if online_s == 0 { 0.0 } else { 100.0 * session_s as f64 / online_s as f64 };
    match lang {
        Lang::Ja => {
            say!("{}（{}から{}週間）", view.name, view.first_monday, view.weeks);
            if view.sample_requests {
                say!("※ 予約はサンプルデータ（架空）です");
            }
            say!(
                "予約: {}/{} 件に対応、平均待ち日数 {:.1} 日",
                k.requests_served,
                k.requests_total,
                k.mean_waiting_days
            );
            say!("中山間地域の訪問先: {}/{} か所を訪問", k.mountainous_stops_visited, k.mountainous_stops);
            say!(
                "定期訪問の規則性: いつもの曜日 {:.0}%、いつもの時刻（±1時間）{:.0}%",
                k.regular_weekday_share * 100.0,
                k.regular_time_share * 100.0
            );
            say!(
                "運行: {routes} 便、訪問 {} 回、走行 {:.1} km、稼働 {:.1} 時間（稼働率 {:.0}%）",
                k.visits,
                k.distance.km(),
                hours,
                k.utilisation * 100.0
            );
            if !k.remote.is_empty() {
                say!(
                    "オンライン対応: {} 人でセッション {sessions} 件（対応時間の {remote_share:.0}%）",
                    k.remote.len()
                );
            }
            if !view.unserved.is_empty() {
                say!("未対応: {} 件（理由は plan.json）", view.unserved.len());
            }
            say!(
                "出力: {} に {files} ファイル（読込 {:.2} 秒、最適化 {:.2} 秒）",
                out.display(),
                loaded.as_secs_f64(),
                solved.as_secs_f64()
            );
        }
        Lang::En => {
            say!("{} ({} weeks from {})", view.name, view.weeks, view.first_monday);
            if view.sample_requests {
                say!("note: the requests are sample data (fictitious)");
            }
            say!(
                "requests: {}/{} served, mean wait {:.1} days",
                k.requests_served,
                k.requests_total,
                k.mean_waiting_days
            );
            say!("mountainous stops visited: {}/{}", k.mountainous_stops_visited, k.mountainous_stops);
            say!(
                "regular visits: {:.0}% on the usual weekday, {:.0}% at the usual time (±1 h)",
                k.regular_weekday_share * 100.0,
                k.regular_time_share * 100.0
            );
            say!(
                "{routes} routes, {} visits, {:.1} km, {:.1} unit hours ({:.0}% utilisation)",
                k.visits,
                k.distance.km(),
                hours,
                k.utilisation * 100.0
            );
            if !k.remote.is_empty() {
                say!(
                    "remote staff: {sessions} sessions with {} people ({remote_share:.0}% of their online time)",
                    k.remote.len()
                );
            }
            if !view.unserved.is_empty() {
                say!("unserved: {} (reasons in plan.json)", view.unserved.len());
            }
            say!(
                "wrote {files} files to {} (load {:.2} s, optimise {:.2} s)",
                out.display(),
                loaded.as_secs_f64(),
                solved.as_secs_f64()
            );
        }
    }
}
