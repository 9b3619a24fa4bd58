//! Opening the database for a command, and the operators' commands on it: migrations, backup,
//! restore, copying to another backend.
//!
//! A new, empty database is set up on first start (the embedded default needs no set-up). A
//! database whose schema is behind this build is only migrated when the operator says so
//! (`server migrate`, or `serve --migrate`): a migration is a step to take after a backup, not a
//! side effect of a restart. A database from a newer release is never touched.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use app::db::{SchemaState, Stores};

/// What opening does with migrations this build has and the database lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Migrations {
    Apply,
    /// Refuse to go on (a new, empty database is still set up).
    RefuseIfBehind,
}

/// Connects and checks the schema (see the module's comment).
pub async fn open(url: &str, migrations: Migrations) -> anyhow::Result<Stores> {
    let db = app::db::connect(url).await?;
    match db.schema().schema_state().await? {
        SchemaState::Current => {}
        SchemaState::Fresh => {
            tracing::info!("new database: creating its schema");
            db.migrate().await?;
        }
        SchemaState::Behind(pending) if migrations == Migrations::Apply => {
            tracing::info!(
                "applying {} migration(s): {}",
                pending.len(),
                describe(&pending)
            );
            db.migrate().await?;
        }
        SchemaState::Behind(pending) => bail!(
            "the database schema is behind this release: {} migration(s) to apply ({}). \
             Back the database up, then run `server migrate` (or start with `serve --migrate`).",
            pending.len(),
            describe(&pending)
        ),
        SchemaState::Ahead(versions) => bail!(
            "the database was written by a newer release (migrations {versions:?} are unknown \
             to this one, or failed half-way); run that release, or restore a backup"
        ),
    }
    Ok(db)
}

fn describe(pending: &[(i64, String)]) -> String {
    pending
        .iter()
        .map(|(version, name)| format!("{version} {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `server migrate`: applies what is pending and says what it did.
pub async fn migrate(url: &str) -> anyhow::Result<String> {
    let db = app::db::connect(url).await?;
    let before = db.schema().schema_state().await?;
    if let SchemaState::Ahead(versions) = &before {
        bail!("the database was written by a newer release (migrations {versions:?} unknown here); nothing was changed");
    }
    db.migrate().await?;
    Ok(match before {
        SchemaState::Current => "the schema is up to date; nothing to do".to_string(),
        SchemaState::Fresh => "new database: schema created".to_string(),
        SchemaState::Behind(pending) => format!("applied: {}", describe(&pending)),
        SchemaState::Ahead(_) => unreachable!("refused above"),
    })
}

/// `server backup FILE`: a consistent copy, checked by opening it again. Any schema state is
/// backed up (a backup is what to take before migrating), but never a database that is not there.
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<String> {
    if url.starts_with("sqlite:") {
        let path = app::db::sqlite::backup::database_path(url)?;
        if !path.exists() {
            bail!("there is no database at {}", path.display());
        }
    }
    let db = app::db::connect(url).await?;
    if db.schema().schema_state().await? == SchemaState::Fresh {
        bail!("the database is empty: nothing to back up");
    }
    let report = db.schema().backup(to).await?;
    Ok(format!(
        "backup written to {} ({} bytes) and checked: {}",
        to.display(),
        report.bytes,
        counts(&report.tables)
    ))
}

/// `server restore FILE`: replaces the SQLite database with a checked backup, keeping the one
/// it replaces. Refused while a server runs on the database.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<String> {
    if !url.starts_with("sqlite:") {
        bail!("restore is for SQLite databases; for PostgreSQL use pg_restore (see the README)");
    }
    let path = app::db::sqlite::backup::database_path(url)?;
    let _lock = ServingLock::take(&path, Lock::Exclusive).context(
        "a server or another command is using this database: stop it first (nothing was changed)",
    )?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let (report, kept) = app::db::sqlite::backup::restore(url, from, &stamp).await?;
    Ok(format!(
        "restored {} into {} ({}); the database it replaced is kept as {}",
        from.display(),
        path.display(),
        counts(&report.tables),
        kept.display()
    ))
}

/// `server copy-db FROM TO`: copies a whole database into a new one, of either backend (how an
/// installation moves from SQLite to PostgreSQL). The target's schema is set up first; it must
/// hold no records. Every table's count is checked before the target commits.
pub async fn copy(url: &str, to: &str) -> anyhow::Result<String> {
    if url == to {
        bail!("the source and the target are the same database");
    }
    // Nobody else may use the target while it is filled: on SQLite its lock, taken alone; on
    // PostgreSQL the copy's connections name themselves and any other connection is refused.
    let _target_alone = ServingLock::alone(to)?;
    let to = &if to.starts_with("postgres") {
        let sep = if to.contains('?') { '&' } else { '?' };
        format!(
            "{to}{sep}application_name={}",
            app::db::copy::COPY_APPLICATION
        )
    } else {
        to.to_string()
    };
    let source = app::db::connect(url).await?;
    match source.schema().schema_state().await? {
        SchemaState::Current => {}
        SchemaState::Fresh => bail!("the database is empty: nothing to copy"),
        _ => bail!("the database's schema is not this release's: run `server migrate` first"),
    }
    let target = app::db::connect(to).await?;
    match target.schema().schema_state().await? {
        SchemaState::Fresh | SchemaState::Current => target.migrate().await?,
        _ => bail!("the target has a schema of another release; copy only into a new database"),
    }
    let report = app::db::copy::copy_database(
        &app::db::copy::Side::open(url).await?,
        &app::db::copy::Side::open(to).await?,
    )
    .await?;
    Ok(format!(
        "copied {} rows, every table's count checked: {}",
        report.rows(),
        counts(&report.tables)
    ))
}

/// `server grant-app-role ROLE` (PostgreSQL): see `app::db::postgres::grant_app_role`.
pub async fn grant_app_role(url: &str, role: &str) -> anyhow::Result<String> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        bail!("roles are a PostgreSQL matter: DATABASE_URL names another database");
    }
    let db = app::db::connect(url).await?;
    if db.schema().schema_state().await? != SchemaState::Current {
        bail!("migrate the database first (`server migrate`), then grant");
    }
    app::db::postgres::grant_app_role(url, role).await?;
    Ok(format!(
        "{role} may now read and write the records and append to the audit log (no schema \
         changes, no edits or deletions in the log); run this again after every migrate"
    ))
}

fn counts(tables: &[(String, i64)]) -> String {
    tables
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Clone, Copy)]
enum Lock {
    Shared,
    Exclusive,
}

/// While a server (or any other command) uses an SQLite database it holds a shared lock on
/// `NAME.serving-lock`; a restore needs it exclusively. (SQLite's own locks cannot tell: an idle server holds none.)
/// The kernel drops the lock when the process ends, however it ends.
pub struct ServingLock {
    _file: File,
}

impl ServingLock {
    /// The database at `url` for this process alone (SQLite; nothing for other backends): no
    /// server or other command may be using it, nor start while this is held.
    pub fn alone(url: &str) -> anyhow::Result<Option<ServingLock>> {
        if !url.starts_with("sqlite:") {
            return Ok(None);
        }
        let path = app::db::sqlite::backup::database_path(url)?;
        ServingLock::take(&path, Lock::Exclusive)
            .context("the database is in use (a server or another command): stop it first")
            .map(Some)
    }

    /// The lock every command that opens the database at `url` holds while it runs (nothing
    /// for other backends): a restore waits until none is left.
    pub fn for_serving(url: &str) -> anyhow::Result<Option<ServingLock>> {
        if !url.starts_with("sqlite:") {
            return Ok(None);
        }
        let path = app::db::sqlite::backup::database_path(url)?;
        ServingLock::take(&path, Lock::Shared)
            .context("a restore is under way on this database; start the server when it is done")
            .map(Some)
    }

    fn take(database: &Path, lock: Lock) -> anyhow::Result<ServingLock> {
        let path = PathBuf::from(format!("{}.serving-lock", database.display()));
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        let operation = match lock {
            Lock::Shared => libc::LOCK_SH,
            Lock::Exclusive => libc::LOCK_EX,
        };
        // SAFETY: flock on a descriptor this function owns; no memory is passed.
        let taken = unsafe { libc::flock(file.as_raw_fd(), operation | libc::LOCK_NB) } == 0;
        if !taken {
            bail!("{} is locked", path.display());
        }
        Ok(ServingLock { _file: file })
    }
}
