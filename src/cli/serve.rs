//! `junkai serve`: runs the HTTP service (see docs/API.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::EXIT_FAILURE;
use crate::lang::Lang;
use crate::server::{ServeConfig, serve};

#[derive(Args)]
pub struct ServeArgs {
    /// Data folder imported into a new database; default: the embedded Midori data.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// SQLite database file (created and migrated on first start).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long)]
    pub bind: Option<String>,
    /// Settings file (TOML); environment variables JUNKAI_* override it.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn run(args: &ServeArgs, lang: Lang) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("JUNKAI_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_target(false)
        .init();
    let env = |k: &str| std::env::var(k).ok();
    let mut config = match ServeConfig::load(args.config.as_deref(), &env) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
    };
    if let Some(d) = &args.data {
        config.data = Some(d.clone());
    }
    if let Some(db) = &args.db {
        config.db = db.clone();
    }
    if let Some(b) = &args.bind {
        config.bind = b.clone();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    match runtime.block_on(serve(config, lang)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("junkai serve: {e:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
