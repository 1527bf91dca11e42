//! The database file as a whole: one server per database (an exclusive lock on
//! `<db>.lock`), consistent copies while the server runs (`VACUUM INTO`, a snapshot of
//! one read transaction), and putting a copy back (only while no server holds the lock).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::Store;

/// Why a backup, a restore or the lock failed.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("E4006 {0}: another junkai serve (or restore) uses this database — stop it first, or use another --db")]
    Locked(PathBuf),
    #[error("E4007 {0}: the file exists — choose a new name for the backup")]
    Exists(PathBuf),
    #[error("E4008 {0}: not a junkai database backup ({1}) — choose a file made by junkai backup")]
    NotABackup(PathBuf, String),
    #[error("E4009 {0}: {1} — check the path and the permissions")]
    Io(PathBuf, std::io::Error),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A command refused its input and has said why (exit code 2).
    #[error("refused")]
    Refused,
}

fn lock_path(db: &Path) -> PathBuf {
    with_suffix(db, ".lock")
}

/// Takes the database's exclusive lock, held as long as the returned file is open.
pub fn lock(db: &Path) -> Result<File, FileError> {
    let path = lock_path(db);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| FileError::Io(path.clone(), e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(FileError::Locked(db.to_path_buf())),
        Err(std::fs::TryLockError::Error(e)) => Err(FileError::Io(path, e)),
    }
}

/// A temporary name next to `path` for writing all-or-nothing.
fn partial(path: &Path) -> PathBuf {
    with_suffix(path, ".partial")
}

impl Store {
    /// Writes a consistent copy of the database to `out` (a new file), while the server
    /// keeps running: the copy is one read transaction's snapshot.
    pub async fn backup(&self, out: &Path) -> Result<(), FileError> {
        if out.exists() {
            return Err(FileError::Exists(out.to_path_buf()));
        }
        let tmp = partial(out);
        let _ = std::fs::remove_file(&tmp);
        sqlx::query("VACUUM INTO ?").bind(tmp.to_string_lossy().as_ref()).execute(&self.pool).await?;
        // A hard link fails if `out` appeared meanwhile: a backup never replaces a file.
        let linked = std::fs::hard_link(&tmp, out);
        let _ = std::fs::remove_file(&tmp);
        linked.map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => FileError::Exists(out.to_path_buf()),
            _ => FileError::Io(out.to_path_buf(), e),
        })
    }
}

/// Checks that `path` is an intact junkai database.
async fn check_backup(path: &Path) -> Result<(), FileError> {
    let not = |why: String| FileError::NotABackup(path.to_path_buf(), why);
    if !path.is_file() {
        return Err(not("no such file".into()));
    }
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let mut conn = options.connect().await.map_err(|e| not(e.to_string()))?;
    let integrity: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.map_err(|e| not(e.to_string()))?;
    if integrity != "ok" {
        return Err(not(format!("integrity_check: {integrity}")));
    }
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'dataset', 'plans')",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(|e| not(e.to_string()))?;
    conn.close().await.ok();
    if tables == 3 { Ok(()) } else { Err(not("the junkai tables are missing".into())) }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Replaces the database `db` with the backup (checked first). Refused while a server
/// holds the database. The files it replaces are kept as `<db>.before-restore` (with its
/// `-wal` and `-shm` beside it, so SQLite opens it as it was).
pub async fn restore(backup: &Path, db: &Path) -> Result<(), FileError> {
    let _lock = lock(db)?;
    check_backup(backup).await?;
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| FileError::Io(p, e)
    };
    let tmp = partial(db);
    std::fs::copy(backup, &tmp).map_err(io(&tmp))?;
    File::open(&tmp).and_then(|f| f.sync_all()).map_err(io(&tmp))?;
    let kept = with_suffix(db, ".before-restore");
    for suffix in ["", "-wal", "-shm"] {
        let (old, to) = (with_suffix(db, suffix), with_suffix(&kept, suffix));
        let _ = std::fs::remove_file(&to);
        if old.exists() {
            std::fs::rename(&old, &to).map_err(io(&old))?;
        }
    }
    std::fs::rename(&tmp, db).map_err(io(db))?;
    if let Some(folder) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(folder).and_then(|f| f.sync_all()).map_err(io(folder))?;
    }
    Ok(())
}
