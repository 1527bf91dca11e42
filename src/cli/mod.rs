//! The command line: `junkai plan`, `replan`, `check`, `serve` and the other subcommands
//! (`junkai --help` lists them).
//!
//! Exit codes: 0 success, 1 failure (e.g. a plan that fails its check, a write error),
//! 2 bad input (coded diagnostics are printed).

/// Prints a line to stdout, ignoring a closed pipe (e.g. `junkai plan | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod check;
mod database;
mod plan;
mod pvrp;
mod replan;
mod roads;
mod sample;
mod serve;
mod users;
mod vrptw;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::clock::Clock;
use crate::diagnostics::Diagnostic;
use crate::io::data_folder::load_documents;
use crate::io::problem_file::{Dataset, HorizonChoice, parse};
use crate::lang::Lang;

pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "junkai",
    version,
    about = "巡回: 移動行政・移動診療の週間ルートと時刻表 / weekly routes and timetables for mobile public services"
)]
pub struct Cli {
    /// Language of messages and documents (ja: 日本語, en: English).
    #[arg(long, global = true, value_enum, default_value = "ja")]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// 週間計画を作成する / plan the week(s) and write the outputs
    Plan(plan::PlanArgs),
    /// 入力データを検査する / validate a data folder or problem file
    Check(check::CheckArgs),
    /// サンプル予約を生成する / generate seeded sample requests
    SampleRequests(sample::SampleArgs),
    /// ベンチマーク問題（Solomon・VRPLIB）を解く / solve a VRPTW/CVRP benchmark instance
    Vrptw(vrptw::VrptwArgs),
    /// 道路ネットワーク / road networks
    Roads(roads::RoadsArgs),
    /// 周期配送問題（Cordeau 形式）を解く / solve a periodic VRP benchmark instance
    Pvrp(pvrp::PvrpArgs),
    /// 公開済みの時間枠を守って再計画する / re-plan keeping published windows
    Replan(replan::ReplanArgs),
    /// HTTP サービスを起動する / run the HTTP service for planners, residents and drivers
    Serve(serve::ServeArgs),
    /// スタッフのアカウント / staff accounts of the service
    Users(users::UsersArgs),
    /// 期限を過ぎた個人情報を消去する / erase residents' personal data past its retention
    Purge(database::PurgeArgs),
    /// データベースのバックアップ（稼働中でも可） / a consistent copy of the database
    Backup(database::BackupArgs),
    /// バックアップから戻す（サービス停止中） / put a backup back (server stopped)
    Restore(database::RestoreArgs),
}

/// Options shared by the commands that read a data set for a horizon.
#[derive(Args, Clone)]
pub struct DataArgs {
    /// Data folder (problem.json + requests.json) or a single problem file;
    /// default: the embedded Midori data.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Any date in the first week to plan (YYYY-MM-DD); default: the file's
    /// `calendar.week`, else next week.
    #[arg(long)]
    pub week: Option<String>,
    /// Number of weeks (1–8); default: the file's `calendar.weeks`, else 1.
    #[arg(long)]
    pub weeks: Option<u32>,
    /// Today's date (YYYY-MM-DD) for defaults such as "next week"; default: the
    /// environment's `JUNKAI_TODAY`, else the system clock (Japan time).
    #[arg(long)]
    pub today: Option<String>,
}

/// The clock of a command: `--today`, else `JUNKAI_TODAY`, else the system clock.
pub fn clock(today: Option<&str>) -> Result<Clock, Diagnostic> {
    let (setting, text) = match today {
        Some(t) => ("--today", t.to_string()),
        None => match std::env::var("JUNKAI_TODAY") {
            Ok(t) => ("JUNKAI_TODAY", t),
            Err(_) => return Ok(Clock::system()),
        },
    };
    Clock::parse(&text).ok_or_else(|| Diagnostic::bad_date(setting, &text))
}

impl DataArgs {
    pub fn horizon(&self) -> Result<HorizonChoice, Vec<Diagnostic>> {
        let week_of = match &self.week {
            None => None,
            Some(s) => {
                Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| vec![Diagnostic::bad_date("--week", s)])?)
            }
        };
        let today = clock(self.today.as_deref()).map_err(|d| vec![d])?.today();
        Ok(HorizonChoice::weeks(week_of, self.weeks, today))
    }

    /// The data folder (or the folder of a single problem file); `None` for the embedded data.
    pub fn folder(&self) -> Option<PathBuf> {
        data_folder(self.data.as_deref())
    }

    /// Loads and validates the data set for the chosen horizon.
    pub fn load(&self, path: Option<&std::path::Path>) -> Result<Dataset, Vec<Diagnostic>> {
        let choice = self.horizon()?;
        let docs = load_documents(path)?;
        parse(&docs, choice)
    }
}

/// The folder of a `--data` path (the path itself, or a problem file's folder); `None` for
/// the embedded data.
pub fn data_folder(path: Option<&std::path::Path>) -> Option<PathBuf> {
    let path = path?;
    if path.is_dir() { Some(path.to_path_buf()) } else { path.parent().map(std::path::Path::to_path_buf) }
}

/// Prints diagnostics to stderr, one per line, and returns the bad-input exit code.
pub fn report(diagnostics: &[Diagnostic], lang: Lang) -> ExitCode {
    for d in diagnostics {
        eprintln!("{}", d.render(lang));
    }
    let summary = match lang {
        Lang::Ja => format!("入力に {} 件の問題があります", diagnostics.len()),
        Lang::En => format!("{} problem(s) in the input", diagnostics.len()),
    };
    eprintln!("{summary}");
    ExitCode::from(EXIT_BAD_INPUT)
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Plan(args) => plan::run(&args, cli.lang),
        Command::Check(args) => check::run(&args, cli.lang),
        Command::SampleRequests(args) => sample::run(&args, cli.lang),
        Command::Vrptw(args) => vrptw::run(&args, cli.lang),
        Command::Roads(args) => roads::run(&args, cli.lang),
        Command::Pvrp(args) => pvrp::run(&args, cli.lang),
        Command::Replan(args) => replan::run(&args, cli.lang),
        Command::Serve(args) => serve::run(&args, cli.lang),
        Command::Users(args) => users::run(&args, cli.lang),
        Command::Purge(args) => database::purge(&args, cli.lang),
        Command::Backup(args) => database::backup(&args, cli.lang),
        Command::Restore(args) => database::restore_backup(&args, cli.lang),
    }
}
