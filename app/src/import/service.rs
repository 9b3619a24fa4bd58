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
    actor: &str,
    source: &str,
    at: &str,
    dry_run: bool,
    writing: &mut (dyn FnMut(&RowCounts) + Send),
) -> Result<ImportDone, ImportError> {
    for _ in 0..5 {
        let stamp = stores.catalogue.data_stamp().await?;
        let existing = stores.catalogue.load().await?;
        let plan = plan_table_import(table, &existing).map_err(ImportError::Refused)?;
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
            actor,
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
