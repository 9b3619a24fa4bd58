//! SQLite statements for nominations, attachments, objections, departmental checks, settings and
//! quotas. The trait impl in `mod.rs` delegates here.
//!
//! Long because it holds the statements of six tables and the approval's plan-then-write loop.

use std::collections::BTreeMap;

use sqlx::{sqlite::SqliteRow, Row, SqlitePool};

use super::{audit_from_row, begin_write, insert_audit, opt_i32, SqliteDatabase, AUDIT_COLUMNS};
use crate::db::*;
use crate::domain::packet::Packet;
use crate::domain::quotas::{Bound, QuotaRule};
use crate::domain::review::{attribute_code, parse_attribute, YearRule};

/// Runs one UPDATE or DELETE and, if it changed a row, the audit entry, in one transaction.
/// False (nothing written) when no row matched.
async fn change_with_audit<'q>(
    pool: &SqlitePool,
    statement: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    audit: &AuditEntry,
) -> Result<bool, DbError> {
    let mut tx = begin_write(pool).await?;
    if statement.execute(&mut *tx).await?.rows_affected() == 0 {
        return Ok(false);
    }
    insert_audit(&mut tx, audit).await?;
    tx.commit().await?;
    Ok(true)
}

const NOMINATION_COLUMNS: &str = "id, unit_name, created_by, category, year, candidate_kind, candidate_name, sex, ethnicity, birth_year, work_unit, post, industry, district, frontline, scitech, manager, report, deeds_short, deeds_full, stage, version, notice_start, notice_end, decision_note, person_id, organisation_id, honour_id, created_at, updated_at";

fn nomination_from_row(r: &SqliteRow) -> Result<NominationRow, sqlx::Error> {
    Ok(NominationRow {
        id: r.try_get("id")?,
        unit_name: r.try_get("unit_name")?,
        created_by: r.try_get("created_by")?,
        packet: Packet {
            category: r.try_get("category")?,
            year: r.try_get::<i64, _>("year")? as i32,
            candidate_kind: r.try_get("candidate_kind")?,
            candidate_name: r.try_get("candidate_name")?,
            sex: r.try_get("sex")?,
            ethnicity: r.try_get("ethnicity")?,
            birth_year: opt_i32(r, "birth_year")?,
            work_unit: r.try_get("work_unit")?,
            post: r.try_get("post")?,
            industry: r.try_get("industry")?,
            district: r.try_get("district")?,
            frontline: r.try_get("frontline")?,
            scitech: r.try_get("scitech")?,
            manager: r.try_get("manager")?,
            report: r.try_get("report")?,
            deeds_short: r.try_get("deeds_short")?,
            deeds_full: r.try_get("deeds_full")?,
        },
        stage: r.try_get("stage")?,
        version: r.try_get("version")?,
        notice_start: r.try_get("notice_start")?,
        notice_end: r.try_get("notice_end")?,
        decision_note: r.try_get("decision_note")?,
        person_id: r.try_get("person_id")?,
        organisation_id: r.try_get("organisation_id")?,
        honour_id: r.try_get("honour_id")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn attachment_from_row(r: &SqliteRow) -> Result<AttachmentRow, sqlx::Error> {
    Ok(AttachmentRow {
        id: r.try_get("id")?,
        nomination_id: r.try_get("nomination_id")?,
        kind: r.try_get("kind")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        uploaded_at: r.try_get("uploaded_at")?,
        uploaded_by: r.try_get("uploaded_by")?,
    })
}

fn objection_from_row(r: &SqliteRow) -> Result<ObjectionRow, sqlx::Error> {
    let resolved_at: Option<String> = r.try_get("resolved_at")?;
    Ok(ObjectionRow {
        id: r.try_get("id")?,
        nomination_id: r.try_get("nomination_id")?,
        stage: r.try_get("stage")?,
        filed_at: r.try_get("filed_at")?,
        name: r.try_get("name")?,
        contact: r.try_get("contact")?,
        body: r.try_get("body")?,
        address: r.try_get("address")?,
        resolution: match resolved_at {
            None => None,
            Some(resolved_at) => Some(Resolution {
                resolved_at,
                resolved_by: r.try_get::<Option<i64>, _>("resolved_by")?.unwrap_or(0),
                resolver_name: r
                    .try_get::<Option<String>, _>("resolver_name")?
                    .unwrap_or_default(),
                finding: r
                    .try_get::<Option<String>, _>("finding")?
                    .unwrap_or_default(),
                outcome: r
                    .try_get::<Option<String>, _>("outcome")?
                    .unwrap_or_default(),
            }),
        },
    })
}

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

pub(super) async fn create_nomination(
    pool: &SqlitePool,
    n: &NominationRow,
    audit: &AuditEntry,
) -> Result<i64, DbError> {
    let mut tx = begin_write(pool).await?;
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

pub(super) async fn nomination(
    pool: &SqlitePool,
    id: i64,
) -> Result<Option<NominationRow>, DbError> {
    let row = sqlx::query(&format!(
        "SELECT {NOMINATION_COLUMNS} FROM nominations WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| nomination_from_row(&r)).transpose()?)
}

pub(super) async fn nominations(pool: &SqlitePool) -> Result<Vec<NominationRow>, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {NOMINATION_COLUMNS} FROM nominations ORDER BY id"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(nomination_from_row)
        .collect::<Result<_, _>>()?)
}

/// What one try at saving a nomination came to.
enum Saved {
    Yes,
    /// Someone saved the nomination first (its version moved on).
    StaleVersion,
    /// The records changed between planning an approval and writing it: plan again.
    RecordsChanged,
}

/// Changes the ids of records and wall slots: planning is valid while this stays the same.
async fn planning_stamp(conn: &mut sqlx::SqliteConnection) -> Result<String, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM people) || ':' || (SELECT COALESCE(MAX(id), 0) FROM organisations) || ':' || \
         (SELECT COALESCE(MAX(id), 0) FROM honours) || ':' || (SELECT COALESCE(MAX(id), 0) FROM wall_slots) || ':' || \
         (SELECT COALESCE(MAX(id), 0) FROM batches) || ':' || (SELECT COALESCE(SUM(published), 0) FROM batches) || ':' || \
         (SELECT COUNT(*) FROM wall_slots) || ':' || (SELECT COALESCE(SUM(stone * 1000000 + row_no * 1000 + position), 0) FROM wall_slots)",
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Saves a nomination with its version check. An approval's records are planned from the
/// records as they are, outside the write lock (reading 13,000 people takes a while), and
/// written only if nothing changed meanwhile — checked under the lock; otherwise planned again.
/// Two approvals at once thus never take the same ids or wall slot, and the lock is held only
/// for the writing.
pub(super) async fn save_nomination(
    pool: &SqlitePool,
    n: &NominationRow,
    change: &NominationChange,
) -> Result<bool, DbError> {
    const ATTEMPTS: usize = 8;
    for _ in 0..ATTEMPTS {
        let planned = match &change.approval {
            None => None,
            Some(approval) => {
                let mut conn = pool.acquire().await?;
                let stamp = planning_stamp(&mut conn).await?;
                let existing = super::load_from(&mut conn).await?;
                drop(conn);
                let additions = (approval.plan)(
                    approval.people.clone(),
                    approval.organisations.clone(),
                    &existing,
                    false,
                )
                .map_err(DbError::Inconsistent)?;
                Some((stamp, additions))
            }
        };
        match try_save(pool, n, change, planned.as_ref()).await? {
            Saved::Yes => return Ok(true),
            Saved::StaleVersion => return Ok(false),
            Saved::RecordsChanged => continue,
        }
    }
    Err(DbError::Inconsistent(
        "the records kept changing while an approval was planned".into(),
    ))
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
        SqliteDatabase::insert_additions(&mut tx, additions).await?;
    }
    insert_audit(&mut tx, &change.audit).await?;
    tx.commit().await?;
    Ok(Saved::Yes)
}

pub(super) async fn audit_for(
    pool: &SqlitePool,
    object_type: &str,
    object_id: &str,
) -> Result<Vec<AuditEntry>, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY id"
    ))
    .bind(object_type)
    .bind(object_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| audit_from_row(r).map(|(_, e)| e))
        .collect::<Result<_, _>>()?)
}

const ATTACHMENT_COLUMNS: &str =
    "id, nomination_id, kind, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by";

pub(super) async fn attachments(
    pool: &SqlitePool,
    nomination_id: i64,
) -> Result<Vec<AttachmentRow>, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE nomination_id = ? ORDER BY id"
    ))
    .bind(nomination_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(attachment_from_row)
        .collect::<Result<_, _>>()?)
}

pub(super) async fn attachment(
    pool: &SqlitePool,
    id: i64,
) -> Result<Option<AttachmentRow>, DbError> {
    let row = sqlx::query(&format!(
        "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| attachment_from_row(&r)).transpose()?)
}

pub(super) async fn add_attachment(
    pool: &SqlitePool,
    a: &AttachmentRow,
    audit: &AuditEntry,
) -> Result<i64, DbError> {
    let mut tx = begin_write(pool).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO attachments (nomination_id, kind, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(a.nomination_id)
    .bind(&a.kind)
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

pub(super) async fn delete_attachment(
    pool: &SqlitePool,
    id: i64,
    audit: &AuditEntry,
) -> Result<bool, DbError> {
    change_with_audit(
        pool,
        sqlx::query("DELETE FROM attachments WHERE id = ?").bind(id),
        audit,
    )
    .await
}

pub(super) async fn attachments_with_hash(pool: &SqlitePool, sha256: &str) -> Result<i64, DbError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE sha256 = ?")
            .bind(sha256)
            .fetch_one(pool)
            .await?,
    )
}

const OBJECTION_COLUMNS: &str = "id, nomination_id, stage, filed_at, name, contact, body, address, resolved_at, resolved_by, resolver_name, finding, outcome";

pub(super) async fn objections(
    pool: &SqlitePool,
    nomination_id: i64,
) -> Result<Vec<ObjectionRow>, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM objections WHERE nomination_id = ? ORDER BY id"
    ))
    .bind(nomination_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(objection_from_row)
        .collect::<Result<_, _>>()?)
}

pub(super) async fn objection(pool: &SqlitePool, id: i64) -> Result<Option<ObjectionRow>, DbError> {
    let row = sqlx::query(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM objections WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| objection_from_row(&r)).transpose()?)
}

pub(super) async fn unresolved_objection_counts(
    pool: &SqlitePool,
) -> Result<std::collections::HashMap<i64, i64>, DbError> {
    let rows = sqlx::query(
        "SELECT nomination_id, COUNT(*) AS open FROM objections WHERE resolved_at IS NULL GROUP BY nomination_id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Ok((r.try_get("nomination_id")?, r.try_get("open")?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

pub(super) async fn file_objection(
    pool: &SqlitePool,
    o: &ObjectionRow,
    audit: &AuditEntry,
    limit: &Window,
) -> Result<Option<i64>, DbError> {
    let mut tx = begin_write(pool).await?;
    // One statement counts and inserts: SQLite runs it under the write lock, so parallel posts
    // from one address cannot all see a count under the limit.
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO objections (nomination_id, stage, filed_at, name, contact, body, address) \
         SELECT ?, ?, ?, ?, ?, ?, ? \
         WHERE (SELECT COUNT(*) FROM objections WHERE address = ? AND filed_at >= ?) < ? \
         RETURNING id",
    )
    .bind(o.nomination_id)
    .bind(&o.stage)
    .bind(&o.filed_at)
    .bind(&o.name)
    .bind(&o.contact)
    .bind(&o.body)
    .bind(&o.address)
    .bind(&o.address)
    .bind(&limit.since)
    .bind(limit.max)
    .fetch_optional(&mut *tx)
    .await?;
    if id.is_some() {
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
    }
    Ok(id)
}

pub(super) async fn resolve_objection(
    pool: &SqlitePool,
    id: i64,
    r: &Resolution,
    audit: &AuditEntry,
) -> Result<bool, DbError> {
    let statement = sqlx::query(
        "UPDATE objections SET resolved_at = ?, resolved_by = ?, resolver_name = ?, finding = ?, outcome = ? \
         WHERE id = ? AND resolved_at IS NULL",
    )
    .bind(&r.resolved_at)
    .bind(r.resolved_by)
    .bind(&r.resolver_name)
    .bind(&r.finding)
    .bind(&r.outcome)
    .bind(id);
    change_with_audit(pool, statement, audit).await
}

pub(super) async fn checks(
    pool: &SqlitePool,
    nomination_id: i64,
) -> Result<Vec<CheckRow>, DbError> {
    let rows = sqlx::query(
        "SELECT id, nomination_id, department, verdict, note, decided_at, decider_name \
         FROM departmental_checks WHERE nomination_id = ? ORDER BY id",
    )
    .bind(nomination_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            Ok(CheckRow {
                id: r.try_get("id")?,
                nomination_id: r.try_get("nomination_id")?,
                department: r.try_get("department")?,
                verdict: r.try_get("verdict")?,
                note: r.try_get("note")?,
                decided_at: r.try_get("decided_at")?,
                decider_name: r.try_get("decider_name")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

pub(super) async fn decide_check(
    pool: &SqlitePool,
    id: i64,
    d: &CheckDecision,
    audit: &AuditEntry,
) -> Result<bool, DbError> {
    let statement = sqlx::query(
        "UPDATE departmental_checks SET verdict = ?, note = ?, decided_at = ?, decided_by = ?, decider_name = ? WHERE id = ?",
    )
    .bind(&d.verdict)
    .bind(&d.note)
    .bind(&d.decided_at)
    .bind(d.decided_by)
    .bind(&d.decider_name)
    .bind(id);
    change_with_audit(pool, statement, audit).await
}

pub(super) async fn settings(pool: &SqlitePool) -> Result<BTreeMap<String, String>, DbError> {
    let rows = sqlx::query("SELECT key, value FROM settings")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .iter()
        .map(|r| Ok((r.try_get("key")?, r.try_get("value")?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

pub(super) async fn save_settings(
    pool: &SqlitePool,
    values: &[(String, String)],
    rules: &[YearRule],
    audit: &AuditEntry,
) -> Result<(), DbError> {
    let mut tx = begin_write(pool).await?;
    for (key, value) in values {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM quota_rules")
        .execute(&mut *tx)
        .await?;
    for r in rules {
        let (bound, percent) = match r.rule.bound {
            Bound::AtLeast(p) => ("at_least", p),
            Bound::AtMost(p) => ("at_most", p),
        };
        sqlx::query(
            "INSERT INTO quota_rules (category, year, attribute, bound, percent) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&r.category)
        .bind(r.year)
        .bind(attribute_code(r.rule.attribute))
        .bind(bound)
        .bind(percent)
        .execute(&mut *tx)
        .await?;
    }
    insert_audit(&mut tx, audit).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn quota_rules(pool: &SqlitePool) -> Result<Vec<YearRule>, DbError> {
    let rows = sqlx::query(
        "SELECT category, year, attribute, bound, percent FROM quota_rules ORDER BY category, year, id",
    )
    .fetch_all(pool)
    .await?;
    let mut rules = Vec::new();
    for r in rows {
        let attribute: String = r.try_get("attribute")?;
        let bound: String = r.try_get("bound")?;
        let percent: f64 = r.try_get("percent")?;
        let attribute = parse_attribute(&attribute)
            .ok_or_else(|| DbError::Inconsistent(format!("quota attribute {attribute:?}")))?;
        let bound = match bound.as_str() {
            "at_least" => Bound::AtLeast(percent),
            "at_most" => Bound::AtMost(percent),
            other => return Err(DbError::Inconsistent(format!("quota bound {other:?}"))),
        };
        rules.push(YearRule {
            category: r.try_get("category")?,
            year: r.try_get::<i64, _>("year")? as i32,
            rule: QuotaRule { attribute, bound },
        });
    }
    Ok(rules)
}

pub(super) async fn set_batch_published(
    pool: &SqlitePool,
    batch_id: i64,
    published: bool,
    audit: &AuditEntry,
) -> Result<bool, DbError> {
    let statement = sqlx::query("UPDATE batches SET published = ? WHERE id = ?")
        .bind(published)
        .bind(batch_id);
    change_with_audit(pool, statement, audit).await
}
