//! Imports as batches: what one import added and changed, kept so that it can be undone as a
//! whole (`ImportStore`). The import writes its records and its batch in one transaction.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{AuditEntry, DbError, PersonRow};
use crate::db::Additions;

/// What an import may change on a recorded person. Not the engraved name (what the stone says is
/// changed only through the errata list), not the honours or the wall place (those come from the
/// procedure).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFields {
    pub name_correct: String,
    pub sex: Option<String>,
    pub ethnicity: Option<String>,
    pub birth_year: Option<i32>,
    pub native_place: Option<String>,
    pub political: Option<String>,
    pub work_unit: Option<String>,
    pub post: Option<String>,
    pub industry: Option<String>,
    pub district: Option<String>,
    pub frontline: bool,
    pub scitech: bool,
    pub deeds_short: Option<String>,
    pub deeds_full: Option<String>,
}

impl PersonFields {
    pub fn of(person: &PersonRow) -> Self {
        PersonFields {
            name_correct: person.name_correct.clone(),
            sex: person.sex.clone(),
            ethnicity: person.ethnicity.clone(),
            birth_year: person.birth_year,
            native_place: person.native_place.clone(),
            political: person.political.clone(),
            work_unit: person.work_unit.clone(),
            post: person.post.clone(),
            industry: person.industry.clone(),
            district: person.district.clone(),
            frontline: person.frontline,
            scitech: person.scitech,
            deeds_short: person.deeds_short.clone(),
            deeds_full: person.deeds_full.clone(),
        }
    }

    pub fn apply_to(&self, person: &mut PersonRow) {
        person.name_correct = self.name_correct.clone();
        person.sex = self.sex.clone();
        person.ethnicity = self.ethnicity.clone();
        person.birth_year = self.birth_year;
        person.native_place = self.native_place.clone();
        person.political = self.political.clone();
        person.work_unit = self.work_unit.clone();
        person.post = self.post.clone();
        person.industry = self.industry.clone();
        person.district = self.district.clone();
        person.frontline = self.frontline;
        person.scitech = self.scitech;
        person.deeds_short = self.deeds_short.clone();
        person.deeds_full = self.deeds_full.clone();
    }

    /// The names of the fields that differ from `other`, in column order (for the dry run).
    pub fn changed_from(&self, other: &PersonFields) -> Vec<&'static str> {
        let mut changed = Vec::new();
        let mut check = |name: &'static str, differs: bool| {
            if differs {
                changed.push(name);
            }
        };
        check("name_correct", self.name_correct != other.name_correct);
        check("sex", self.sex != other.sex);
        check("ethnicity", self.ethnicity != other.ethnicity);
        check("birth_year", self.birth_year != other.birth_year);
        check("native_place", self.native_place != other.native_place);
        check("political", self.political != other.political);
        check("work_unit", self.work_unit != other.work_unit);
        check("post", self.post != other.post);
        check("industry", self.industry != other.industry);
        check("district", self.district != other.district);
        check("frontline", self.frontline != other.frontline);
        check("scitech", self.scitech != other.scitech);
        check("deeds_short", self.deeds_short != other.deeds_short);
        check("deeds_full", self.deeds_full != other.deeds_full);
        changed
    }
}

/// A recorded person's fields before and after an import.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldsUpdate {
    pub person_id: i64,
    pub before: PersonFields,
    pub after: PersonFields,
}

/// One import as written: the new records, the updates, and what it says about itself.
pub struct ImportWrite<'a> {
    pub additions: &'a Additions,
    pub updates: &'a [FieldsUpdate],
    pub unchanged: usize,
    /// Who ran it: an account's name, or the command line's user.
    pub actor: &'a str,
    /// The account and its address, for an import from the admin area.
    pub actor_id: Option<i64>,
    pub address: Option<&'a str>,
    /// The file's name (not its path).
    pub source: &'a str,
    pub at: &'a str,
}

/// One import as listed.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ImportBatchRow {
    pub id: i64,
    pub imported_at: String,
    pub actor: String,
    pub source: String,
    pub added: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
}

/// What undoing an import came to.
#[derive(Clone, Debug, PartialEq)]
pub enum UndoOutcome {
    /// People removed again, people whose fields were put back.
    Undone {
        removed: usize,
        restored: usize,
    },
    NotFound,
    AlreadyUndone {
        at: String,
    },
    /// These people were changed (or removed, or given another honour) after the import: undoing
    /// would overwrite that, so nothing was undone.
    ChangedSince(Vec<i64>),
}

#[async_trait]
pub trait ImportStore: Send + Sync + 'static {
    /// Writes an import planned from the records at `data_stamp`, with its batch and its audit
    /// entry, in one transaction; `None` (nothing written) when the records changed meanwhile:
    /// plan again.
    async fn write_import(
        &self,
        write: &ImportWrite<'_>,
        data_stamp: &str,
    ) -> Result<Option<i64>, DbError>;
    /// The imports, newest first.
    async fn import_batches(&self) -> Result<Vec<ImportBatchRow>, DbError>;
    /// Undoes an import as a whole, in one transaction, with the audit entry: its people removed,
    /// the fields it changed put back, its new batches of honours removed when empty.
    async fn undo_import(&self, id: i64, audit: &AuditEntry) -> Result<UndoOutcome, DbError>;
}

/// The JSON kept for a person's fields (`import_changes.before` / `after`).
pub(super) fn fields_json(fields: &PersonFields) -> Result<String, DbError> {
    serde_json::to_string(fields).map_err(|e| DbError::Inconsistent(e.to_string()))
}

/// Fields read back from their JSON.
pub(super) fn fields_from_json(json: &str) -> Result<PersonFields, DbError> {
    serde_json::from_str(json).map_err(|e| DbError::Inconsistent(format!("import change: {e}")))
}

/// One change of an import as it stands when the import is undone (read by a backend).
pub(super) struct ChangeNow {
    pub kind: String,
    pub row_id: i64,
    pub before: Option<String>,
    pub after: Option<String>,
    /// How many honours the person holds now.
    pub honours: i64,
    /// The person's row now (`None`: gone).
    pub now: Option<PersonRow>,
}

/// What undoing an import does: people to remove, fields to put back, batches of honours to
/// remove once empty.
#[derive(Default)]
pub(super) struct UndoPlan {
    pub remove: Vec<i64>,
    pub restore: Vec<(i64, PersonFields)>,
    pub batches: Vec<i64>,
}

/// Decides an undo from the changes as they stand, for both backends: every check before any
/// change, and a person changed since the import, or given another honour, stops it all (`Err`
/// naming them).
pub(super) fn plan_undo(changes: Vec<ChangeNow>) -> Result<Result<UndoPlan, Vec<i64>>, DbError> {
    let mut plan = UndoPlan::default();
    let mut changed_since = Vec::new();
    for change in changes {
        let now = change.now.as_ref().map(PersonFields::of);
        match change.kind.as_str() {
            "batch_added" => plan.batches.push(change.row_id),
            "person_added" => {
                let written = change.after.as_deref().map(fields_from_json).transpose()?;
                // Added with one honour and these fields: another honour since, or another
                // change (a later import), means the person is in use.
                if change.honours != 1 || now != written {
                    changed_since.push(change.row_id);
                }
                plan.remove.push(change.row_id);
            }
            "person_updated" => {
                let after = fields_from_json(change.after.as_deref().unwrap_or("null"))?;
                if now != Some(after) {
                    changed_since.push(change.row_id);
                }
                let before = fields_from_json(change.before.as_deref().unwrap_or("null"))?;
                plan.restore.push((change.row_id, before));
            }
            other => {
                return Err(DbError::Inconsistent(format!(
                    "an import change of kind {other:?}"
                )))
            }
        }
    }
    if changed_since.is_empty() {
        Ok(Ok(plan))
    } else {
        changed_since.sort_unstable();
        Ok(Err(changed_since))
    }
}

/// One row of `import_changes`: kind, row id, fields before and after (JSON).
pub(super) type ChangeRow = (&'static str, i64, Option<String>, Option<String>);

impl ImportWrite<'_> {
    /// What the import does, row by row, as `import_changes` keeps it. An added person's fields
    /// are kept as written: an undo removes them only while they still read so.
    pub(super) fn change_rows(&self) -> Result<Vec<ChangeRow>, DbError> {
        let mut rows: Vec<ChangeRow> = Vec::new();
        for person in &self.additions.people {
            let written = fields_json(&PersonFields::of(person))?;
            rows.push(("person_added", person.id, None, Some(written)));
        }
        for batch in &self.additions.batches {
            rows.push(("batch_added", batch.id, None, None));
        }
        for update in self.updates {
            rows.push((
                "person_updated",
                update.person_id,
                Some(fields_json(&update.before)?),
                Some(fields_json(&update.after)?),
            ));
        }
        Ok(rows)
    }

    /// The audit entry of the import written as batch `id`.
    pub(super) fn audit_entry(&self, id: i64) -> AuditEntry {
        AuditEntry {
            actor_id: self.actor_id,
            address: self.address.map(str::to_string),
            object_id: Some(id.to_string()),
            after_json: Some(
                serde_json::json!({
                    "source": self.source,
                    "added": self.additions.people.len(),
                    "updated": self.updates.len(),
                    "unchanged": self.unchanged,
                })
                .to_string(),
            ),
            ..AuditEntry::new(self.at.to_string(), self.actor, "import", "import_batch")
        }
    }
}
