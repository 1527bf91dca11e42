//! `junkai replan`: keeps a published plan's windows, adds and cancels requests, and
//! writes the updated plan; `--full` re-optimises instead and reports which published
//! windows that would change.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use junkai_solver::plan::{Plan, VisitPlace};
use junkai_solver::weekly::{ChangedWindow, PlanParams};

use super::plan::{PipelineRun, plan_and_write};
use super::{data_folder, report};
use crate::diagnostics::Diagnostic;
use crate::io::data_folder::{load_documents, read_document};
use crate::io::problem_file::{Dataset, Documents, HorizonChoice};
use crate::io::published_plan::{PublishedPlan, parse_published};
use crate::lang::Lang;
use crate::pipeline::Mode;

#[derive(Args)]
pub struct ReplanArgs {
    /// The published plan (`plan.json` written by `junkai plan` or `junkai replan`).
    #[arg(long)]
    pub plan: PathBuf,
    /// Data folder or problem file the plan was made from; default: the embedded Midori data.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Request file(s) to add (format `junkai-requests`, as `requests.json`).
    #[arg(long = "requests")]
    pub requests: Vec<PathBuf>,
    /// Id of a request to cancel (repeatable).
    #[arg(long = "cancel")]
    pub cancel: Vec<String>,
    /// Re-optimise the whole plan instead of keeping published windows, and report how
    /// many published windows change.
    #[arg(long)]
    pub full: bool,
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Random seed of the optimiser (same seed, same plan).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Loads the published plan and the documents with the requested changes.
fn load(args: &ReplanArgs) -> Result<(PublishedPlan, Documents), Vec<Diagnostic>> {
    let label = args.plan.display().to_string();
    let text = std::fs::read_to_string(&args.plan).map_err(|e| vec![Diagnostic::read_failed(&label, &e)])?;
    let published = parse_published(&text, &label).map_err(|d| vec![d])?;
    let mut docs = load_documents(args.data.as_deref())?;
    let added: Vec<_> = args.requests.iter().map(|p| read_document(p)).collect();
    let errors: Vec<Diagnostic> = added.iter().filter_map(|r| r.as_ref().err().cloned()).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    docs.changes.added = added.into_iter().filter_map(Result::ok).collect();
    docs.changes.cancelled = args.cancel.clone();
    Ok((published, docs))
}

pub fn run(args: &ReplanArgs, lang: Lang) -> ExitCode {
    let started = Instant::now();
    let (published, docs) = match load(args) {
        Ok(loaded) => loaded,
        Err(diagnostics) => return report(&diagnostics, lang),
    };
    let today = match super::clock(None) {
        Ok(clock) => clock.today(),
        Err(d) => return report(&[d], lang),
    };
    let loaded = started.elapsed();
    let mut params = PlanParams::default();
    params.search.seed = args.seed;
    let run = PipelineRun {
        choice: HorizonChoice::from_file(today),
        folder: data_folder(args.data.as_deref()),
        mode: if args.full { Mode::Full(&published) } else { Mode::Replan(&published) },
        time_limit: None,
        label: args.plan.display().to_string(),
    };
    let planned = match plan_and_write(&docs, &run, &params, &args.out, lang, started, loaded) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let newly_served = newly_served(&published, &planned.plan, &planned.data);
    let cancelled = cancelled_count(&planned.cancelled, &args.cancel);
    print_changes(lang, args.full, planned.published_visits, &planned.changed, newly_served, cancelled);
    for c in &planned.changed {
        say!("  {}", describe(&planned.data, c, args.full, lang));
    }
    ExitCode::SUCCESS
}

/// Requests cancelled on the command line or gone from the data since publishing.
fn cancelled_count(gone: &[String], cancelled_here: &[String]) -> usize {
    let all: HashSet<&String> = gone.iter().chain(cancelled_here).collect();
    all.len()
}

/// Requests the plan serves that no published visit served.
fn newly_served(published: &PublishedPlan, result: &Plan, data: &Dataset) -> usize {
    let before: HashSet<&str> = published
        .days
        .iter()
        .flat_map(|d| {
            d.routes.iter().flat_map(|r| r.visits.iter().flat_map(|v| v.requests.iter().map(|q| q.id.as_str())))
        })
        .collect();
    let after: HashSet<&str> = result
        .visits()
        .flat_map(|(_, _, v)| v.requests.iter().map(|&r| data.problem.requests()[r].id.as_str()))
        .collect();
    after.difference(&before).count()
}

fn print_changes(lang: Lang, full: bool, published: usize, changed: &[ChangedWindow], added: usize, cancelled: usize) {
    let kept = published - changed.len();
    match (lang, full) {
        (Lang::Ja, false) => say!(
            "再計画: 公開済みの訪問 {kept}/{published} 件を同じ時間枠で維持、新たに {added} 件の予約に対応、取消 {cancelled} 件"
        ),
        (Lang::En, false) => say!(
            "replan: {kept}/{published} published visits kept in their windows, {added} more requests served, {cancelled} cancelled"
        ),
        (Lang::Ja, true) => {
            say!("全体再最適化: 公開済みの訪問 {published} 件のうち {} 件の時間枠が変わります", changed.len())
        }
        (Lang::En, true) => say!("full re-optimisation: {} of {published} published windows change", changed.len()),
    }
}

/// One changed window and why, e.g. `2026-12-08 小平公民館 10:30–11:30 → 訪問なし（車両がその日・その時間は運行しないため）`.
fn describe(data: &Dataset, c: &ChangedWindow, full: bool, lang: Lang) -> String {
    let p = &data.problem;
    let date = data.calendar.date_of(p.horizon().days[c.day]);
    let place = match c.place {
        VisitPlace::Stop(s) => p.stops()[s].name.clone(),
        VisitPlace::Home(r) => p.requests()[r].id.clone(),
    };
    let now = match (c.now, lang) {
        (Some(w), _) => format!("{}–{}", w.start, w.end),
        (None, Lang::Ja) => "訪問なし".to_string(),
        (None, Lang::En) => "no visit".to_string(),
    };
    let cause = crate::io::draft_review::cause_text(c.cause, full);
    let cause = match lang {
        Lang::Ja => format!("（{}）", cause.ja),
        Lang::En => format!(" ({})", cause.en),
    };
    format!("{date} {place} {}–{} → {now}{cause}", c.published.start, c.published.end)
}
