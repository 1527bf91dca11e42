//! Maintenance of the service's database: `junkai purge` (erase expired personal data),
//! `junkai backup OUT` (a consistent copy while the server runs) and `junkai restore
//! BACKUP` (put a copy back; the server must be stopped).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{EXIT_BAD_INPUT, EXIT_FAILURE};
use crate::lang::Lang;
use crate::server::ServeConfig;
use crate::server::store::Store;
use crate::server::store::backup::{FileError, restore};

#[derive(Args)]
pub struct PurgeArgs {
    /// Show what would be erased, erase nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Days after a request's last visit (default: the setting `retention_days`, 90).
    #[arg(long)]
    pub retention_days: Option<i64>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Args)]
pub struct BackupArgs {
    /// The new backup file.
    pub out: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// A file made by `junkai backup`.
    pub backup: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Which database the maintenance commands work on (also `junkai users`).
#[derive(Args)]
pub struct DatabaseArgs {
    /// Database file (default: the setting `db`, JUNKAI_DB, else junkai.sqlite).
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    /// Settings file (TOML) of `junkai serve`.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
}

/// The server's settings (file, environment), with `--db` on top.
pub(super) fn settings(args: &DatabaseArgs) -> Result<ServeConfig, ExitCode> {
    let env = |k: &str| std::env::var(k).ok();
    let mut c = ServeConfig::load(args.config.as_deref(), &env).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(EXIT_BAD_INPUT)
    })?;
    if let Some(db) = &args.db {
        c.db = db.clone();
    }
    Ok(c)
}

/// The database of the settings, which must exist (a mistyped `--db` is E4009).
pub(super) async fn existing(c: &ServeConfig) -> Result<Store, FileError> {
    if !c.db.is_file() {
        return Err(FileError::Io(c.db.clone(), std::io::ErrorKind::NotFound.into()));
    }
    Ok(Store::open_existing(&c.db, c.clock.clone()).await?)
}

pub(super) fn block_on<F: std::future::Future<Output = Result<(), FileError>>>(work: F) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    match runtime.block_on(work) {
        Ok(()) => ExitCode::SUCCESS,
        Err(FileError::Refused) => ExitCode::from(EXIT_BAD_INPUT),
        Err(e @ (FileError::Locked(_) | FileError::Exists(_) | FileError::NotABackup(..))) => {
            eprintln!("{e}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

pub fn purge(args: &PurgeArgs, lang: Lang) -> ExitCode {
    let c = match settings(&args.database) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let days = args.retention_days.unwrap_or(c.retention_days).clamp(1, 3650);
    block_on(async move {
        let store = existing(&c).await?;
        let r = store.purge(days, args.dry_run, "cli").await?;
        let (n, d, a, c, m) = (r.requests.len(), r.itinerary_days, r.applications, r.cancellations, r.record_notes);
        match (lang, args.dry_run) {
            (Lang::Ja, true) => {
                say!(
                    "（試行）{} 以前の個人情報: 予約 {n} 件、運行表 {d} 日分、申請 {a} 件、取消の記録 {c} 件、運行記録のメモ {m} 件を消去します",
                    r.cutoff
                )
            }
            (Lang::Ja, false) => {
                say!(
                    "{} 以前の個人情報を消去しました: 予約 {n} 件、運行表 {d} 日分、申請 {a} 件、取消の記録 {c} 件、運行記録のメモ {m} 件",
                    r.cutoff
                )
            }
            (Lang::En, true) => {
                say!(
                    "dry run: would erase personal data up to {}: {n} requests, {d} itinerary days, {a} applications, {c} cancellation records, {m} crew record notes",
                    r.cutoff
                )
            }
            (Lang::En, false) => {
                say!(
                    "erased personal data up to {}: {n} requests, {d} itinerary days, {a} applications, {c} cancellation records, {m} crew record notes",
                    r.cutoff
                )
            }
        }
        for id in &r.requests {
            say!("  {id}");
        }
        Ok(())
    })
}

pub fn backup(args: &BackupArgs, lang: Lang) -> ExitCode {
    let c = match settings(&args.database) {
        Ok(c) => c,
        Err(code) => return code,
    };
    block_on(async move {
        let store = existing(&c).await?;
        store.backup(&args.out).await?;
        match lang {
            Lang::Ja => say!("バックアップを作りました: {}", args.out.display()),
            Lang::En => say!("backup written: {}", args.out.display()),
        }
        Ok(())
    })
}

pub fn restore_backup(args: &RestoreArgs, lang: Lang) -> ExitCode {
    let c = match settings(&args.database) {
        Ok(c) => c,
        Err(code) => return code,
    };
    block_on(async move {
        restore(&args.backup, &c.db).await?;
        match lang {
            Lang::Ja => say!("{} を {} に戻しました", args.backup.display(), c.db.display()),
            Lang::En => say!("restored {} into {}", args.backup.display(), c.db.display()),
        }
        Ok(())
    })
}
