//! Backups of an SQLite database: `VACUUM INTO` writes a consistent copy while the site runs;
//! every copy is opened again and checked before it is called a backup, and a restore checks its
//! source the same way before it replaces anything.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;

use super::{SqliteDatabase, MIGRATOR};
use crate::db::error::DbError;
use crate::db::schema::{BackupReport, SchemaState};

impl SqliteDatabase {
    pub(super) async fn write_backup(&self, to: &Path) -> Result<BackupReport, DbError> {
        if to.exists() {
            return Err(DbError::Backup(format!(
                "{} exists already; a backup never overwrites a file",
                to.display()
            )));
        }
        let target = to
            .to_str()
            .ok_or_else(|| DbError::Backup(format!("{} is not a UTF-8 path", to.display())))?;
        // The copy holds password hashes and second-factor secrets: readable by its owner only.
        // VACUUM INTO writes into an empty file that exists.
        {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(to)
                .map_err(|e| DbError::Backup(format!("cannot create {}: {e}", to.display())))?;
        }
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await?;
        check_copy(to).await
    }
}

/// Opens a copy read-only and checks it: SQLite's integrity check passes, it is a Labor Plaza
/// database this build can run (not from a newer release), and every table reads. Returns its
/// row counts.
pub async fn check_copy(path: &Path) -> Result<BackupReport, DbError> {
    let bytes = std::fs::metadata(path)
        .map_err(|e| DbError::Backup(format!("cannot read {}: {e}", path.display())))?
        .len();
    let pool = open_read_only(path).await?;
    let report = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await?;
        if integrity != "ok" {
            return Err(DbError::Backup(format!(
                "{} fails SQLite's integrity check: {integrity}",
                path.display()
            )));
        }
        match schema_state(&pool).await? {
            SchemaState::Current | SchemaState::Behind(_) => {}
            SchemaState::Fresh => {
                return Err(DbError::Backup(format!(
                    "{} is not a Labor Plaza database (no schema)",
                    path.display()
                )))
            }
            SchemaState::Ahead(versions) => {
                return Err(DbError::Backup(format!(
                    "{} comes from a newer release (migrations {versions:?} unknown here)",
                    path.display()
                )))
            }
        }
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(&pool)
        .await?;
        let mut tables = Vec::with_capacity(names.len());
        for name in names {
            // Table names come from the copy's own catalogue, quoted as identifiers.
            let count: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM \"{}\"",
                name.replace('"', "\"\"")
            ))
            .fetch_one(&pool)
            .await?;
            tables.push((name, count));
        }
        Ok(BackupReport { tables, bytes })
    }
    .await;
    pool.close().await;
    report
}

/// Where a database's schema stands (for any pool of this backend).
pub(super) async fn schema_state(pool: &SqlitePool) -> Result<SchemaState, DbError> {
    let has_table: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(pool)
    .await?;
    if has_table == 0 {
        return Ok(SchemaState::Fresh);
    }
    let applied: Vec<(i64, bool)> =
        sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await?;
    Ok(SchemaState::compare(&MIGRATOR, &applied))
}

async fn open_read_only(path: &Path) -> Result<SqlitePool, DbError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    Ok(SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?)
}

/// The file an `sqlite:` URL names.
pub fn database_path(url: &str) -> Result<PathBuf, DbError> {
    let options = SqliteConnectOptions::from_str(url)?;
    Ok(options.get_filename().to_path_buf())
}

/// Replaces the database at `url` with the checked copy `from`. The database it replaces is kept
/// beside it as `NAME.before-restore-STAMP` (nothing is lost), and the new file is written under
/// a temporary name and renamed into place, so a crash leaves either the old or the new database.
/// The caller makes sure no server has the database open.
pub async fn restore(
    url: &str,
    from: &Path,
    stamp: &str,
) -> Result<(BackupReport, PathBuf), DbError> {
    let io = |what: &str, e: std::io::Error| DbError::Backup(format!("{what}: {e}"));
    let beside = |suffix: &str| PathBuf::from(format!("{}{suffix}", from.display()));
    if std::fs::metadata(beside("-wal")).is_ok_and(|m| m.len() > 0) {
        return Err(DbError::Backup(format!(
            "{} has a write-ahead log beside it: it was copied from a database in use. Use a file \
             written by `server backup`",
            from.display()
        )));
    }
    let live = database_path(url)?;
    // The copy that goes in is the one checked, not the file it came from (which could change).
    let incoming = PathBuf::from(format!("{}.restoring", live.display()));
    std::fs::copy(from, &incoming).map_err(|e| io("copying the backup", e))?;
    std::fs::File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(|e| io("writing the backup to disk", e))?;
    let report = match check_copy(&incoming).await {
        Ok(report) => report,
        Err(e) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(e);
        }
    };
    let kept = PathBuf::from(format!("{}.before-restore-{stamp}", live.display()));
    if live.exists() {
        // Fold the write-ahead log into the file, so the kept copy is whole on its own.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(SqliteConnectOptions::new().filename(&live))
            .await?;
        let (busy, log, checkpointed): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&pool)
                .await?;
        pool.close().await;
        if busy != 0 || log != checkpointed {
            let _ = std::fs::remove_file(&incoming);
            return Err(DbError::Backup(
                "the database is in use (its write-ahead log could not be folded in): nothing was changed".into(),
            ));
        }
        let mut source =
            std::fs::File::open(&live).map_err(|e| io("reading the current database", e))?;
        let mut keep = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&kept)
            .map_err(|e| {
                io(
                    &format!("keeping the current database as {}", kept.display()),
                    e,
                )
            })?;
        std::io::copy(&mut source, &mut keep).map_err(|e| io("keeping the current database", e))?;
        keep.sync_all()
            .map_err(|e| io("keeping the current database", e))?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", live.display()));
        if side.exists() {
            std::fs::remove_file(&side).map_err(|e| io("removing the old write-ahead log", e))?;
        }
    }
    std::fs::rename(&incoming, &live).map_err(|e| io("putting the backup in place", e))?;
    Ok((report, kept))
}
