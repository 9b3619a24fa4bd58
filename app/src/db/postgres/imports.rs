//! Imports as batches in PostgreSQL: written with their records in one transaction, undone in one.

use async_trait::async_trait;
use sqlx::{Postgres, QueryBuilder, Transaction};

use super::audit::insert_audit;
use super::catalogue::insert_additions;
use super::{begin_locked, Lock, PostgresDatabase};
use crate::db::imports::{
    plan_undo, ChangeNow, ImportBatchRow, ImportStore, ImportWrite, PersonFields, UndoOutcome,
    UndoPlan,
};
use crate::db::{AuditEntry, DbError, PersonRow};

/// How many honours a person holds (an added person is undone only while they hold one).
const HONOURS_OF_PERSON: &str = "SELECT COUNT(*) FROM honours WHERE person_id = $1";

/// Rows per multi-row INSERT of changes (5 parameters each).
const CHUNK: usize = 400;

#[async_trait]
impl ImportStore for PostgresDatabase {
    async fn write_import(
        &self,
        write: &ImportWrite<'_>,
        data_stamp: &str,
    ) -> Result<Option<i64>, DbError> {
        let mut tx = begin_locked(&self.pool, Lock::Catalogue).await?;
        let now: String = sqlx::query_scalar("SELECT version::text FROM data_version WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        if now != data_stamp {
            tx.rollback().await?;
            return Ok(None);
        }
        insert_additions(&mut tx, write.additions).await?;
        for update in write.updates {
            set_fields(&mut tx, update.person_id, &update.after).await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO import_batches (imported_at, actor, source, added, updated, unchanged) \
             VALUES ($1::timestamptz, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(write.at)
        .bind(write.actor)
        .bind(write.source)
        .bind(write.additions.people.len() as i64)
        .bind(write.updates.len() as i64)
        .bind(write.unchanged as i64)
        .fetch_one(&mut *tx)
        .await?;
        let changes = write.change_rows()?;
        for chunk in changes.chunks(CHUNK) {
            let mut q = QueryBuilder::<Postgres>::new(
                "INSERT INTO import_changes (import_id, kind, row_id, before, after) ",
            );
            q.push_values(chunk, |mut b, (kind, row, before, after)| {
                b.push_bind(id)
                    .push_bind(*kind)
                    .push_bind(*row)
                    .push_bind(before)
                    .push_bind(after);
            });
            q.build().execute(&mut *tx).await?;
        }
        let audit = write.audit_entry(id);
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    async fn import_batches(&self) -> Result<Vec<ImportBatchRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, rfc3339_ms(imported_at) AS imported_at, actor, source, added, updated, \
             unchanged, rfc3339_ms(undone_at) AS undone_at, undone_by \
             FROM import_batches ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn undo_import(&self, id: i64, audit: &AuditEntry) -> Result<UndoOutcome, DbError> {
        let mut tx = begin_locked(&self.pool, Lock::Catalogue).await?;
        let undone: Option<Option<String>> = sqlx::query_scalar(
            "SELECT rfc3339_ms(undone_at) FROM import_batches WHERE id = $1 FOR UPDATE",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        match undone {
            None => return Ok(UndoOutcome::NotFound),
            Some(Some(at)) => return Ok(UndoOutcome::AlreadyUndone { at }),
            Some(None) => {}
        }
        let rows: Vec<(String, i64, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT kind, row_id, before, after FROM import_changes WHERE import_id = $1 \
             ORDER BY kind, row_id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let mut changes = Vec::with_capacity(rows.len());
        for (kind, row_id, before, after) in rows {
            let (honours, now) = if kind == "batch_added" {
                (0, None)
            } else {
                let honours: i64 = sqlx::query_scalar(HONOURS_OF_PERSON)
                    .bind(row_id)
                    .fetch_one(&mut *tx)
                    .await?;
                (honours, person(&mut tx, row_id).await?)
            };
            changes.push(ChangeNow {
                kind,
                row_id,
                before,
                after,
                honours,
                now,
            });
        }
        let UndoPlan {
            remove,
            restore,
            batches,
        } = match plan_undo(changes)? {
            Ok(plan) => plan,
            Err(changed_since) => {
                tx.rollback().await?;
                return Ok(UndoOutcome::ChangedSince(changed_since));
            }
        };
        for person_id in &remove {
            for statement in [
                "DELETE FROM wall_slots WHERE person_id = $1",
                "DELETE FROM media WHERE person_id = $1",
                "DELETE FROM honours WHERE person_id = $1",
                "DELETE FROM people WHERE id = $1",
            ] {
                sqlx::query(statement)
                    .bind(person_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for (person_id, fields) in &restore {
            set_fields(&mut tx, *person_id, fields).await?;
        }
        for batch in batches {
            sqlx::query(
                "DELETE FROM batches WHERE id = $1 \
                 AND NOT EXISTS (SELECT 1 FROM honours WHERE batch_id = batches.id)",
            )
            .bind(batch)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE import_batches SET undone_at = $1::timestamptz, undone_by = $2 WHERE id = $3",
        )
        .bind(&audit.at)
        .bind(&audit.actor_name)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(UndoOutcome::Undone {
            removed: remove.len(),
            restored: restore.len(),
        })
    }
}

async fn person(tx: &mut Transaction<'_, Postgres>, id: i64) -> Result<Option<PersonRow>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM people WHERE id = $1",
        crate::db::PERSON_COLUMNS
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

async fn set_fields(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    f: &PersonFields,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE people SET name_correct = $1, sex = $2, ethnicity = $3, birth_year = $4, \
         native_place = $5, political = $6, work_unit = $7, post = $8, industry = $9, \
         district = $10, frontline = $11, scitech = $12, deeds_short = $13, deeds_full = $14 \
         WHERE id = $15",
    )
    .bind(&f.name_correct)
    .bind(&f.sex)
    .bind(&f.ethnicity)
    .bind(f.birth_year)
    .bind(&f.native_place)
    .bind(&f.political)
    .bind(&f.work_unit)
    .bind(&f.post)
    .bind(&f.industry)
    .bind(&f.district)
    .bind(f.frontline)
    .bind(f.scitech)
    .bind(&f.deeds_short)
    .bind(&f.deeds_full)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
