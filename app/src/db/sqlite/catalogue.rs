//! The public records in SQLite: loading, replacing, adding, publishing batches.

use async_trait::async_trait;
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::audit::change_with_audit;
use super::{begin_write, SqliteDatabase};
use crate::db::catalogue::{Additions, CatalogueStore, Dataset};
use crate::db::{audit::AuditEntry, error::DbError};

/// Rows per multi-row INSERT: keeps every statement well under SQLite's bound-parameter limit.
const CHUNK: usize = 400;

#[async_trait]
impl CatalogueStore for SqliteDatabase {
    async fn count_people(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM people")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn load(&self) -> Result<Dataset, DbError> {
        // One read transaction: in WAL mode every table is read from the snapshot the first
        // SELECT took, so a write committed meanwhile is either wholly in or wholly out.
        let mut tx = self.pool.begin().await?;
        let data = load_from(&mut tx).await?;
        tx.commit().await?;
        Ok(data)
    }

    async fn replace_all(&self, dataset: &Dataset) -> Result<(), DbError> {
        let mut tx = begin_write(&self.pool).await?;
        // The import batches name records that go now: none of them can be undone any more.
        for table in [
            "import_changes",
            "import_batches",
            "wall_slots",
            "media",
            "honours",
            "organisations",
            "people",
            "batches",
            "wall_sections",
            "honour_categories",
        ] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
        insert_all(&mut tx, dataset).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add(&self, additions: &Additions) -> Result<(), DbError> {
        let mut tx = begin_write(&self.pool).await?;
        insert_additions(&mut tx, additions).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_if_unchanged(
        &self,
        additions: &Additions,
        data_stamp: &str,
    ) -> Result<bool, DbError> {
        let mut tx = begin_write(&self.pool).await?;
        let now: String =
            sqlx::query_scalar("SELECT CAST(version AS TEXT) FROM data_version WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        if now != data_stamp {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_additions(&mut tx, additions).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn data_stamp(&self) -> Result<String, DbError> {
        // Raised by triggers on every change to the public records (migration data_version).
        Ok(
            sqlx::query_scalar("SELECT CAST(version AS TEXT) FROM data_version WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn set_batch_published(
        &self,
        batch_id: i64,
        published: bool,
        audit: &AuditEntry,
    ) -> Result<bool, DbError> {
        let statement = sqlx::query("UPDATE batches SET published = ? WHERE id = ?")
            .bind(published)
            .bind(batch_id);
        change_with_audit(&self.pool, statement, audit).await
    }

    async fn set_engraved_through(
        &self,
        code: &str,
        through: i64,
        audit: &AuditEntry,
    ) -> Result<bool, DbError> {
        let section = sqlx::query("UPDATE wall_sections SET engraved_through = ? WHERE code = ?")
            .bind(through)
            .bind(code);
        let slots = sqlx::query(
            "UPDATE wall_slots SET engraved = (year <= ?) \
             WHERE section_id = (SELECT id FROM wall_sections WHERE code = ?)",
        )
        .bind(through)
        .bind(code);
        super::audit::changes_with_audit(&self.pool, vec![section, slots], audit).await
    }

    async fn set_section_plan(
        &self,
        code: &str,
        plan: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<bool, DbError> {
        let statement = sqlx::query("UPDATE wall_sections SET plan = ? WHERE code = ?")
            .bind(plan)
            .bind(code);
        change_with_audit(&self.pool, statement, audit).await
    }
}

async fn insert_all(tx: &mut Transaction<'_, Sqlite>, data: &Dataset) -> Result<(), DbError> {
    for chunk in data.categories.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO honour_categories (code, name_zh, name_en, level, recipient, engraved, awarded_by, frequency, sort_order) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(&r.code)
                .push_bind(&r.name_zh)
                .push_bind(&r.name_en)
                .push_bind(&r.level)
                .push_bind(&r.recipient)
                .push_bind(r.engraved)
                .push_bind(&r.awarded_by)
                .push_bind(&r.frequency)
                .push_bind(r.sort_order);
        });
        q.build().execute(&mut **tx).await?;
    }
    for chunk in data.sections.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO wall_sections (id, code, name_zh, name_en, level, location_zh, location_en, mode, rows_per_stone, names_per_row, sort_order, plan, engraved_through) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(&r.code)
                .push_bind(&r.name_zh)
                .push_bind(&r.name_en)
                .push_bind(&r.level)
                .push_bind(&r.location_zh)
                .push_bind(&r.location_en)
                .push_bind(&r.mode)
                .push_bind(r.rows_per_stone)
                .push_bind(r.names_per_row)
                .push_bind(r.sort_order)
                .push_bind(&r.plan)
                .push_bind(r.engraved_through);
        });
        q.build().execute(&mut **tx).await?;
    }
    let additions = Additions {
        batches: data.batches.clone(),
        organisations: data.organisations.clone(),
        people: data.people.clone(),
        honours: data.honours.clone(),
        media: data.media.clone(),
        slots: data.slots.clone(),
    };
    insert_additions(tx, &additions).await
}

pub(super) async fn insert_additions(
    tx: &mut Transaction<'_, Sqlite>,
    data: &Additions,
) -> Result<(), DbError> {
    for chunk in data.batches.chunks(CHUNK) {
        let mut q =
            QueryBuilder::<Sqlite>::new("INSERT INTO batches (id, level, year, seq, published) ");
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(&r.level)
                .push_bind(r.year)
                .push_bind(r.seq)
                .push_bind(r.published);
        });
        q.build().execute(&mut **tx).await?;
    }
    for chunk in data.organisations.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO organisations (id, name, kind, parent_name, industry, district, deeds_short, demo) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(&r.name)
                .push_bind(&r.kind)
                .push_bind(&r.parent_name)
                .push_bind(&r.industry)
                .push_bind(&r.district)
                .push_bind(&r.deeds_short)
                .push_bind(r.demo);
        });
        q.build().execute(&mut **tx).await?;
    }
    for chunk in data.people.chunks(CHUNK / 2) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO people (id, name_engraved, name_correct, surname, sex, ethnicity, birth_year, native_place, political, work_unit, post, industry, district, frontline, scitech, manager, deeds_short, deeds_full, demo) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(&r.name_engraved)
                .push_bind(&r.name_correct)
                .push_bind(&r.surname)
                .push_bind(&r.sex)
                .push_bind(&r.ethnicity)
                .push_bind(r.birth_year)
                .push_bind(&r.native_place)
                .push_bind(&r.political)
                .push_bind(&r.work_unit)
                .push_bind(&r.post)
                .push_bind(&r.industry)
                .push_bind(&r.district)
                .push_bind(r.frontline)
                .push_bind(r.scitech)
                .push_bind(r.manager)
                .push_bind(&r.deeds_short)
                .push_bind(&r.deeds_full)
                .push_bind(r.demo);
        });
        q.build().execute(&mut **tx).await?;
    }
    for chunk in data.honours.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO honours (id, category, person_id, organisation_id, year, batch_id) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(&r.category)
                .push_bind(r.person_id)
                .push_bind(r.organisation_id)
                .push_bind(r.year)
                .push_bind(r.batch_id);
        });
        q.build().execute(&mut **tx).await?;
    }
    for chunk in data.media.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO media (id, person_id, kind, url, title, demo) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.person_id)
                .push_bind(&r.kind)
                .push_bind(&r.url)
                .push_bind(&r.title)
                .push_bind(r.demo);
        });
        q.build().execute(&mut **tx).await?;
    }
    for chunk in data.slots.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO wall_slots (id, section_id, person_id, honour_id, year, stone, row_no, position, engraved) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.section_id)
                .push_bind(r.person_id)
                .push_bind(r.honour_id)
                .push_bind(r.year)
                .push_bind(r.stone)
                .push_bind(r.row_no)
                .push_bind(r.position)
                .push_bind(r.engraved);
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Every record, read through `conn` (a pool connection, or a transaction's).
pub(super) async fn load_from(conn: &mut sqlx::SqliteConnection) -> Result<Dataset, DbError> {
    Ok(Dataset {
        categories: sqlx::query_as("SELECT code, name_zh, name_en, level, recipient, engraved, awarded_by, frequency, sort_order FROM honour_categories ORDER BY sort_order")
            .fetch_all(&mut *conn)
            .await?,
        batches: sqlx::query_as("SELECT id, level, year, seq, published FROM batches ORDER BY year, level, seq")
            .fetch_all(&mut *conn)
            .await?,
        sections: sqlx::query_as("SELECT id, code, name_zh, name_en, level, location_zh, location_en, mode, rows_per_stone, names_per_row, sort_order, plan, engraved_through FROM wall_sections ORDER BY sort_order")
            .fetch_all(&mut *conn)
            .await?,
        people: sqlx::query_as(&format!("SELECT {} FROM people ORDER BY id", crate::db::PERSON_COLUMNS))
            .fetch_all(&mut *conn)
            .await?,
        organisations: sqlx::query_as("SELECT id, name, kind, parent_name, industry, district, deeds_short, demo FROM organisations ORDER BY id")
            .fetch_all(&mut *conn)
            .await?,
        honours: sqlx::query_as("SELECT id, category, person_id, organisation_id, year, batch_id FROM honours ORDER BY id")
            .fetch_all(&mut *conn)
            .await?,
        media: sqlx::query_as("SELECT id, person_id, kind, url, title, demo FROM media ORDER BY id")
            .fetch_all(&mut *conn)
            .await?,
        slots: sqlx::query_as("SELECT id, section_id, person_id, honour_id, year, stone, row_no, position, engraved FROM wall_slots ORDER BY section_id, stone, row_no, position")
            .fetch_all(&mut *conn)
            .await?,
    })
}
