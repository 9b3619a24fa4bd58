//! The import as a use case: plan a list against the records as they are, then write it as one
//! batch in one transaction (or say what it would do); list and undo batches. The command line
//! calls these; so will the administrators' upload.

use super::csv::{plan_table_import, ImportPlan, ImportRefusal, RowCounts};
use super::table::Table;
use crate::db::imports::{FieldsUpdate, ImportBatchRow, ImportWrite, UndoOutcome};
use crate::db::{AuditEntry, DbError, Stores};

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the list needs fixing")]
    Refused(ImportRefusal),
    #[error("the records kept changing while the import was planned; nothing was imported, run it again")]
    KeptChanging,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Who imports: an account of the admin area (with its address), or the command line's user.
pub struct Importer<'a> {
    pub name: &'a str,
    pub account: Option<i64>,
    pub address: Option<&'a str>,
}

/// What an import did, or (a dry run) would do.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportDone {
    /// The batch written; `None` for a dry run.
    pub batch: Option<i64>,
    pub counts: RowCounts,
    pub plan: ImportPlan,
}

/// Plans `table` against the records and, unless `dry_run`, writes it as one import batch. The
/// plan is made outside the transaction and written only if no change came in between (an
/// approval on a running server); otherwise it is planned again, a few times. `writing` hears
/// how the rows fell just before each attempt to write.
pub async fn import_table(
    stores: &Stores,
    table: &Table,
    importer: &Importer<'_>,
    source: &str,
    at: &str,
    dry_run: bool,
    writing: &mut (dyn FnMut(&RowCounts) + Send),
) -> Result<ImportDone, ImportError> {
    // Planning thousands of rows is CPU work: off the async workers.
    let table = std::sync::Arc::new(table.clone());
    for _ in 0..5 {
        let stamp = stores.catalogue.data_stamp().await?;
        let existing = stores.catalogue.load().await?;
        let list = table.clone();
        let plan = tokio::task::spawn_blocking(move || plan_table_import(&list, &existing))
            .await
            .map_err(|e| DbError::Inconsistent(format!("planning the import: {e}")))?
            .map_err(ImportError::Refused)?;
        if dry_run {
            return Ok(ImportDone {
                batch: None,
                counts: plan.counts,
                plan,
            });
        }
        let updates: Vec<FieldsUpdate> = plan
            .updates
            .iter()
            .map(|u| FieldsUpdate {
                person_id: u.person_id,
                before: u.before.clone(),
                after: u.after.clone(),
            })
            .collect();
        writing(&plan.counts);
        let write = ImportWrite {
            additions: &plan.additions,
            updates: &updates,
            unchanged: plan.counts.unchanged,
            actor: importer.name,
            actor_id: importer.account,
            address: importer.address,
            source,
            at,
        };
        if let Some(batch) = stores.imports.write_import(&write, &stamp).await? {
            return Ok(ImportDone {
                batch: Some(batch),
                counts: plan.counts,
                plan,
            });
        }
    }
    Err(ImportError::KeptChanging)
}

/// The imports, newest first.
pub async fn import_batches(stores: &Stores) -> Result<Vec<ImportBatchRow>, DbError> {
    stores.imports.import_batches().await
}

/// Undoes an import as a whole, with its audit entry.
pub async fn undo_import(
    stores: &Stores,
    id: i64,
    actor: &str,
    at: &str,
) -> Result<UndoOutcome, DbError> {
    let audit = AuditEntry {
        object_id: Some(id.to_string()),
        ..AuditEntry::new(at.to_string(), actor, "undo_import", "import_batch")
    };
    stores.imports.undo_import(id, &audit).await
}

// ---- The administrators' upload -------------------------------------------------------------

use super::model::{ImportBatchView, ImportReportView, ProblemView, RowTally, UpdateView, LISTED};
use crate::auth::session::{audit_refusal, timestamp, SessionUser};
use crate::domain::procedure::Role;
use crate::nominations::service::ServiceError;
use crate::state::AppState;

/// The largest list the upload takes (the same as a workbook's limit).
pub const MAX_UPLOAD_BYTES: usize = super::table::MAX_WORKBOOK_BYTES;

/// Imports change the records of everyone: administrators only.
async fn importer_only(
    state: &AppState,
    user: &SessionUser,
    what: &str,
    address: &str,
) -> Result<(), ServiceError> {
    if user.role == Role::Administrator {
        Ok(())
    } else {
        audit_refusal(state, Some(user), what, address).await;
        Err(ServiceError::Forbidden)
    }
}

/// This instance shows a written import (or its undo) at once; the others see it through the
/// change feed. The records are committed either way: a failed rebuild is logged, not answered.
async fn reload_after(state: &AppState, what: &str) {
    if let Err(e) = state.reload().await {
        tracing::error!("catalogue reload after {what}: {e}");
    }
}

/// Checked before a byte of an upload is read.
pub async fn authorize_upload(
    state: &AppState,
    user: &SessionUser,
    address: &str,
) -> Result<(), ServiceError> {
    importer_only(state, user, "import upload", address).await
}

/// The imports, newest first.
pub async fn list_uploads(
    state: &AppState,
    user: &SessionUser,
    address: &str,
) -> Result<Vec<ImportBatchView>, ServiceError> {
    importer_only(state, user, "import list", address).await?;
    Ok(import_batches(&state.db)
        .await?
        .into_iter()
        .map(|b| ImportBatchView {
            id: b.id,
            imported_at: b.imported_at,
            actor: b.actor,
            source: b.source,
            added: b.added,
            updated: b.updated,
            unchanged: b.unchanged,
            undone: b.undone_at.map(|at| (at, b.undone_by.unwrap_or_default())),
        })
        .collect())
}

/// Checks an uploaded list (`check_only`) or imports it: the report either way. A list with
/// problems writes nothing and the report names them.
pub async fn upload(
    state: &AppState,
    user: &SessionUser,
    file_name: &str,
    bytes: &[u8],
    check_only: bool,
    address: &str,
) -> Result<ImportReportView, ServiceError> {
    importer_only(state, user, "import upload", address).await?;
    let source = crate::domain::text::bounded(file_name, 200);
    let read = read_off_the_workers(file_name, bytes).await?;
    let mut report = ImportReportView {
        source: source.clone(),
        rows: 0,
        tally: RowTally::default(),
        written: None,
        checked_only: check_only,
        problems: Vec::new(),
        problems_total: 0,
        updates: Vec::new(),
        updates_total: 0,
    };
    let table = match read {
        Ok(table) => table,
        Err(e) => {
            report.problems.push(ProblemView {
                line: None,
                reason: e.to_string(),
            });
            report.problems_total = 1;
            return Ok(report);
        }
    };
    report.rows = table.rows.len();
    let at = timestamp(state.clock.now());
    let tally = |c: super::csv::RowCounts| RowTally {
        added: c.added,
        updated: c.updated,
        unchanged: c.unchanged,
        bad: c.bad,
    };
    let importer = Importer {
        name: &user.username,
        account: Some(user.id),
        address: Some(address),
    };
    match import_table(
        &state.db,
        &table,
        &importer,
        &source,
        &at,
        check_only,
        &mut |_| {},
    )
    .await
    {
        Ok(done) => {
            report.tally = tally(done.counts);
            report.written = done.batch;
            report.updates_total = done.plan.updates.len();
            report.updates = done
                .plan
                .updates
                .iter()
                .take(LISTED)
                .map(|u| UpdateView {
                    line: u.line,
                    person_id: u.person_id,
                    name: u.name.clone(),
                    fields: u
                        .after
                        .changed_from(&u.before)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                })
                .collect();
            if let Some(batch) = done.batch {
                tracing::info!(batch, rows = report.rows, "import written");
                reload_after(state, "import").await;
            }
        }
        Err(ImportError::Refused(refusal)) => {
            report.tally = tally(refusal.counts);
            report.problems_total = refusal.problems.len();
            report.problems = refusal
                .problems
                .into_iter()
                .take(LISTED)
                .map(|p| ProblemView {
                    line: p.line,
                    reason: p.reason,
                })
                .collect();
        }
        Err(ImportError::KeptChanging) => {
            return Err(ServiceError::Refused(ImportError::KeptChanging.to_string()))
        }
        Err(ImportError::Db(e)) => return Err(e.into()),
    }
    Ok(report)
}

/// The uploaded list as a workbook with a reason on each row to fix; `None` when it has none.
pub async fn bad_rows_of_upload(
    state: &AppState,
    user: &SessionUser,
    file_name: &str,
    bytes: &[u8],
    address: &str,
) -> Result<Option<Vec<u8>>, ServiceError> {
    importer_only(state, user, "import upload", address).await?;
    let table = match read_off_the_workers(file_name, bytes).await? {
        Ok(table) => table,
        // A file that cannot be read has no rows to list: the report says why.
        Err(_) => return Ok(None),
    };
    let existing = state.db.catalogue.load().await?;
    // Planning and writing the workbook are CPU work: off the async workers.
    tokio::task::spawn_blocking(
        move || match super::csv::plan_table_import(&table, &existing) {
            Ok(_) => Ok(None),
            Err(refusal) => super::report::bad_rows_workbook(&table, &refusal.problems)
                .map(Some)
                .map_err(|e| {
                    tracing::error!("bad-rows workbook: {e}");
                    ServiceError::Unavailable
                }),
        },
    )
    .await
    .map_err(|_| ServiceError::Unavailable)?
}

/// Reads an uploaded file (unpacking a workbook of up to 20 MB is CPU work) off the async
/// workers.
async fn read_off_the_workers(
    file_name: &str,
    bytes: &[u8],
) -> Result<Result<super::table::Table, super::table::TableError>, ServiceError> {
    let (name, bytes) = (file_name.to_string(), bytes.to_vec());
    tokio::task::spawn_blocking(move || super::table::Table::read(&name, &bytes))
        .await
        .map_err(|_| ServiceError::Unavailable)
}

/// Undoes an import as a whole.
pub async fn undo_upload(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    address: &str,
) -> Result<(), ServiceError> {
    importer_only(state, user, "import undo", address).await?;
    let audit_at = timestamp(state.clock.now());
    let audit = AuditEntry {
        actor_id: Some(user.id),
        address: Some(address.to_string()),
        object_id: Some(id.to_string()),
        ..AuditEntry::new(audit_at, &user.username, "undo_import", "import_batch")
    };
    match state.db.imports.undo_import(id, &audit).await? {
        UndoOutcome::Undone { .. } => {
            reload_after(state, "import undo").await;
            Ok(())
        }
        UndoOutcome::NotFound => Err(ServiceError::NotFound),
        UndoOutcome::AlreadyUndone { at } => Err(ServiceError::Refused(format!(
            "此次导入已于 {at} 撤销 / this import was already undone at {at}"
        ))),
        UndoOutcome::ChangedSince(ids) => Err(ServiceError::Refused(format!(
            "这些人员在导入后又有改动，未撤销；请先撤销之后的导入 / these people changed after the import, nothing was undone (undo the later imports first): {}",
            ids.iter().take(50).map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// Every person with all their fields, in the import's columns, as a workbook (or CSV): for an
/// administrator, and in the audit log (it holds what is not public).
pub async fn export_records(
    state: &AppState,
    user: &SessionUser,
    excel: bool,
    address: &str,
) -> Result<Vec<u8>, ServiceError> {
    importer_only(state, user, "records export", address).await?;
    let rows = super::records::export_rows(&state.db.catalogue.load().await?);
    let bytes = if excel {
        super::records::export_xlsx(&rows).map_err(|e| e.to_string())
    } else {
        super::records::export_csv(&rows).map_err(|e| e.to_string())
    }
    .map_err(|e| {
        tracing::error!("records export: {e}");
        ServiceError::Unavailable
    })?;
    let entry = AuditEntry {
        actor_id: Some(user.id),
        address: Some(address.to_string()),
        after_json: Some(
            serde_json::json!({ "rows": rows.len(), "format": if excel { "xlsx" } else { "csv" } })
                .to_string(),
        ),
        ..AuditEntry::new(
            timestamp(state.clock.now()),
            &user.username,
            "export_records",
            "records",
        )
    };
    state.db.audit.append_audit(&entry).await?;
    Ok(bytes)
}
