//! Nominations, their attachments, departmental checks and quota rules in SQLite.
//!
//! Long because a nomination has thirty columns and an approval writes its laureate's records
//! in the same transaction (the plan-then-write loop of `save_nomination`).

use async_trait::async_trait;
use sqlx::SqlitePool;

use super::audit::{change_with_audit, insert_audit};
use super::catalogue::{insert_additions, load_from};
use super::{begin_write, SqliteDatabase};
use crate::db::catalogue::Additions;
use crate::db::nominations::{
    AttachmentRow, CheckDecision, CheckRow, NominationChange, NominationRow, NominationStore,
};
use crate::db::{audit::AuditEntry, error::DbError};
use crate::domain::quotas::Attribute;
use crate::domain::quotas::{Bound, QuotaRule};
use crate::domain::review::YearRule;

const ATTACHMENT_COLUMNS: &str =
    "id, nomination_id, kind, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by";

const NOMINATION_COLUMNS: &str = "id, unit_name, created_by, category, year, candidate_kind, candidate_name, sex, ethnicity, birth_year, work_unit, post, industry, district, frontline, scitech, manager, report, deeds_short, deeds_full, stage, version, notice_start, notice_end, decision_note, person_id, organisation_id, honour_id, created_at, updated_at";

/// Binds the packet and state columns in `NOMINATION_COLUMNS` order after `created_by`.
macro_rules! bind_nomination {
    ($q:expr, $n:expr) => {{
        let p = &$n.packet;
        $q.bind(&p.category)
            .bind(p.year)
            .bind(&p.candidate_kind)
            .bind(&p.candidate_name)
            .bind(&p.sex)
            .bind(&p.ethnicity)
            .bind(p.birth_year)
            .bind(&p.work_unit)
            .bind(&p.post)
            .bind(&p.industry)
            .bind(&p.district)
            .bind(p.frontline)
            .bind(p.scitech)
            .bind(p.manager)
            .bind(&p.report)
            .bind(&p.deeds_short)
            .bind(&p.deeds_full)
            .bind(&$n.stage)
            .bind(&$n.notice_start)
            .bind(&$n.notice_end)
            .bind(&$n.decision_note)
            .bind($n.person_id)
            .bind($n.organisation_id)
            .bind($n.honour_id)
            .bind(&$n.updated_at)
    }};
}

#[async_trait]
impl NominationStore for SqliteDatabase {
    async fn create_nomination(
        &self,
        n: &NominationRow,
        audit: &AuditEntry,
    ) -> Result<i64, DbError> {
        let mut tx = begin_write(&self.pool).await?;
        let q = sqlx::query_scalar::<_, i64>(
            "INSERT INTO nominations (unit_name, created_by, category, year, candidate_kind, candidate_name, sex, ethnicity, birth_year, work_unit, post, industry, district, frontline, scitech, manager, report, deeds_short, deeds_full, stage, notice_start, notice_end, decision_note, person_id, organisation_id, honour_id, updated_at, version, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id",
        )
        .bind(&n.unit_name)
        .bind(n.created_by);
        let id = bind_nomination!(q, n)
            .bind(&n.created_at)
            .fetch_one(&mut *tx)
            .await?;
        let audit = AuditEntry {
            object_id: Some(id.to_string()),
            ..audit.clone()
        };
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn nomination(&self, id: i64) -> Result<Option<NominationRow>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {NOMINATION_COLUMNS} FROM nominations WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn nominations(&self) -> Result<Vec<NominationRow>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {NOMINATION_COLUMNS} FROM nominations ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Saves a nomination with its version check. An approval's records are planned from the
    /// records as they are, outside the write lock (reading 13,000 people takes a while), and
    /// written only if nothing changed meanwhile — checked under the lock; otherwise planned again.
    /// Two approvals at once thus never take the same ids or wall slot, and the lock is held only
    /// for the writing.
    async fn save_nomination(
        &self,
        n: &NominationRow,
        change: &NominationChange,
    ) -> Result<bool, DbError> {
        const ATTEMPTS: usize = 8;
        for _ in 0..ATTEMPTS {
            let planned = match &change.approval {
                None => None,
                Some(approval) => {
                    let mut conn = self.pool.acquire().await?;
                    let stamp = planning_stamp(&mut conn).await?;
                    let existing = load_from(&mut conn).await?;
                    drop(conn);
                    let additions = (approval.plan)(
                        approval.people.clone(),
                        approval.organisations.clone(),
                        &existing,
                        crate::import::csv::AdditionRules::APPROVAL,
                    )
                    .map_err(DbError::Inconsistent)?;
                    Some((stamp, additions))
                }
            };
            match try_save(&self.pool, n, change, planned.as_ref()).await? {
                Saved::Yes => return Ok(true),
                Saved::StaleVersion => return Ok(false),
                Saved::RecordsChanged => continue,
            }
        }
        Err(DbError::Inconsistent(
            "the records kept changing while an approval was planned".into(),
        ))
    }

    async fn attachments(&self, nomination_id: i64) -> Result<Vec<AttachmentRow>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE nomination_id = ? ORDER BY id"
        ))
        .bind(nomination_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn attachment(&self, id: i64) -> Result<Option<AttachmentRow>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn add_attachment(&self, a: &AttachmentRow, audit: &AuditEntry) -> Result<i64, DbError> {
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (nomination_id, kind, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(a.nomination_id)
        .bind(a.kind)
        .bind(&a.file_name)
        .bind(&a.content_type)
        .bind(a.size_bytes)
        .bind(&a.sha256)
        .bind(&a.uploaded_at)
        .bind(a.uploaded_by)
        .fetch_one(&mut *tx)
        .await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn delete_attachment(&self, id: i64, audit: &AuditEntry) -> Result<bool, DbError> {
        change_with_audit(
            &self.pool,
            sqlx::query("DELETE FROM attachments WHERE id = ?").bind(id),
            audit,
        )
        .await
    }

    async fn attachments_with_hash(&self, sha256: &str) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE sha256 = ?")
                .bind(sha256)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn checks(&self, nomination_id: i64) -> Result<Vec<CheckRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, nomination_id, department, verdict, note, decided_at, decider_name \
             FROM departmental_checks WHERE nomination_id = ? ORDER BY id",
        )
        .bind(nomination_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn decide_check(
        &self,
        id: i64,
        d: &CheckDecision,
        audit: &AuditEntry,
    ) -> Result<bool, DbError> {
        let statement = sqlx::query(
            "UPDATE departmental_checks SET verdict = ?, note = ?, decided_at = ?, decided_by = ?, decider_name = ? WHERE id = ?",
        )
        .bind(d.verdict)
        .bind(&d.note)
        .bind(&d.decided_at)
        .bind(d.decided_by)
        .bind(&d.decider_name)
        .bind(id);
        change_with_audit(&self.pool, statement, audit).await
    }

    async fn quota_rules(&self) -> Result<Vec<YearRule>, DbError> {
        let stored: Vec<StoredQuotaRule> = sqlx::query_as(
            "SELECT category, year, attribute, bound, percent FROM quota_rules ORDER BY category, year, id",
        )
        .fetch_all(&self.pool)
        .await?;
        stored.into_iter().map(StoredQuotaRule::into_rule).collect()
    }
}

/// A quota rule as stored: the bound is a kind and a percentage in two columns.
#[derive(sqlx::FromRow)]
struct StoredQuotaRule {
    category: String,
    year: i32,
    attribute: Attribute,
    bound: String,
    percent: f64,
}

impl StoredQuotaRule {
    fn into_rule(self) -> Result<YearRule, DbError> {
        let bound = match self.bound.as_str() {
            "at_least" => Bound::AtLeast(self.percent),
            "at_most" => Bound::AtMost(self.percent),
            other => return Err(DbError::Inconsistent(format!("quota bound {other:?}"))),
        };
        Ok(YearRule {
            category: self.category,
            year: self.year,
            rule: QuotaRule {
                attribute: self.attribute,
                bound,
            },
        })
    }
}

/// What one try at saving a nomination came to.
enum Saved {
    Yes,
    /// Someone saved the nomination first (its version moved on).
    StaleVersion,
    /// The records changed between planning an approval and writing it: plan again.
    RecordsChanged,
}

/// The data version (raised by triggers on every change to the public records, whoever makes
/// it): an approval's plan is valid while this stays the same.
async fn planning_stamp(conn: &mut sqlx::SqliteConnection) -> Result<String, DbError> {
    Ok(
        sqlx::query_scalar("SELECT CAST(version AS TEXT) FROM data_version WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?,
    )
}

async fn try_save(
    pool: &SqlitePool,
    n: &NominationRow,
    change: &NominationChange,
    planned: Option<&(String, Additions)>,
) -> Result<Saved, DbError> {
    let mut tx = begin_write(pool).await?;
    if let Some((stamp, _)) = planned {
        if planning_stamp(&mut tx).await? != *stamp {
            return Ok(Saved::RecordsChanged);
        }
    }
    let q = sqlx::query(
        "UPDATE nominations SET category = ?, year = ?, candidate_kind = ?, candidate_name = ?, sex = ?, ethnicity = ?, birth_year = ?, work_unit = ?, post = ?, industry = ?, district = ?, frontline = ?, scitech = ?, manager = ?, report = ?, deeds_short = ?, deeds_full = ?, stage = ?, notice_start = ?, notice_end = ?, decision_note = ?, person_id = ?, organisation_id = ?, honour_id = ?, updated_at = ?, version = version + 1 \
         WHERE id = ? AND version = ?",
    );
    let changed = bind_nomination!(q, n)
        .bind(n.id)
        .bind(n.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Ok(Saved::StaleVersion);
    }
    for department in &change.open_checks {
        sqlx::query(
            "INSERT INTO departmental_checks (nomination_id, department) VALUES (?, ?) \
             ON CONFLICT (nomination_id, department) DO NOTHING",
        )
        .bind(n.id)
        .bind(department)
        .execute(&mut *tx)
        .await?;
    }
    if let Some((_, additions)) = planned {
        let honour = additions
            .honours
            .first()
            .ok_or_else(|| DbError::Inconsistent("approval planned no honour".into()))?;
        sqlx::query(
            "UPDATE nominations SET person_id = ?, organisation_id = ?, honour_id = ? WHERE id = ?",
        )
        .bind(additions.people.first().map(|p| p.id))
        .bind(additions.organisations.first().map(|o| o.id))
        .bind(honour.id)
        .bind(n.id)
        .execute(&mut *tx)
        .await?;
        insert_additions(&mut tx, additions).await?;
    }
    insert_audit(&mut tx, &change.audit).await?;
    tx.commit().await?;
    Ok(Saved::Yes)
}
