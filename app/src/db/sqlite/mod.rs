//! SQLite backend (the embedded default).
//!
//! Long because it holds every statement of the catalogue, accounts and audit areas (the
//! nominations' are in `nominations.rs`); splitting it into per-area stores, each beside its SQL,
//! is the next step of the sound-core issue and the seam the PostgreSQL backend implements.

use std::str::FromStr;

use async_trait::async_trait;
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    QueryBuilder, Row, Sqlite, SqlitePool, Transaction,
};

use super::*;

mod nominations;

pub struct SqliteDatabase {
    pool: SqlitePool,
}

/// Rows per multi-row INSERT: keeps every statement well under SQLite's bound-parameter limit.
const CHUNK: usize = 400;

impl SqliteDatabase {
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Ok(SqliteDatabase { pool })
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
                "INSERT INTO wall_sections (id, code, name_zh, name_en, level, location_zh, location_en, mode, rows_per_stone, names_per_row, sort_order) ",
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
                    .push_bind(r.sort_order);
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
        Self::insert_additions(tx, &additions).await
    }

    pub(super) async fn insert_additions(
        tx: &mut Transaction<'_, Sqlite>,
        data: &Additions,
    ) -> Result<(), DbError> {
        for chunk in data.batches.chunks(CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO batches (id, level, year, seq, published) ",
            );
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
                "INSERT INTO wall_slots (id, section_id, person_id, honour_id, year, stone, row_no, position) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.id)
                    .push_bind(r.section_id)
                    .push_bind(r.person_id)
                    .push_bind(r.honour_id)
                    .push_bind(r.year)
                    .push_bind(r.stone)
                    .push_bind(r.row_no)
                    .push_bind(r.position);
            });
            q.build().execute(&mut **tx).await?;
        }
        Ok(())
    }
}

pub(super) fn opt_i32(
    row: &sqlx::sqlite::SqliteRow,
    col: &str,
) -> Result<Option<i32>, sqlx::Error> {
    Ok(row.try_get::<Option<i64>, _>(col)?.map(|v| v as i32))
}

#[async_trait]
impl Database for SqliteDatabase {
    async fn migrate(&self) -> Result<(), DbError> {
        sqlx::migrate!("../migrations/sqlite")
            .run(&self.pool)
            .await?;
        // The honour categories follow the one list in the code: added or renamed there, they
        // are here too, so a category the forms accept always exists in the database.
        let mut tx = begin_write(&self.pool).await?;
        for (i, c) in crate::domain::honours::HONOUR_CATEGORIES.iter().enumerate() {
            sqlx::query(
                "INSERT INTO honour_categories (code, name_zh, name_en, level, recipient, engraved, awarded_by, frequency, sort_order) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, \
                 name_en = excluded.name_en, level = excluded.level, recipient = excluded.recipient, engraved = excluded.engraved, \
                 awarded_by = excluded.awarded_by, frequency = excluded.frequency, sort_order = excluded.sort_order",
            )
            .bind(c.code)
            .bind(c.name_zh)
            .bind(c.name_en)
            .bind(c.level)
            .bind(c.recipient)
            .bind(c.engraved)
            .bind(c.awarded_by)
            .bind(c.frequency)
            .bind(i as i64 + 1)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn count_people(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM people")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn load(&self) -> Result<Dataset, DbError> {
        let mut conn = self.pool.acquire().await?;
        load_from(&mut conn).await
    }

    async fn replace_all(&self, dataset: &Dataset) -> Result<(), DbError> {
        let mut tx = begin_write(&self.pool).await?;
        for table in [
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
        Self::insert_all(&mut tx, dataset).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add(&self, additions: &Additions) -> Result<(), DbError> {
        let mut tx = begin_write(&self.pool).await?;
        Self::insert_additions(&mut tx, additions).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn data_stamp(&self) -> Result<String, DbError> {
        Ok(sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM people) || ':' || (SELECT COALESCE(MAX(id), 0) FROM people) || ':' || \
             (SELECT COUNT(*) FROM honours) || ':' || (SELECT COUNT(*) FROM wall_slots) || ':' || \
             (SELECT COUNT(*) FROM media) || ':' || (SELECT COALESCE(SUM(published), 0) FROM batches)",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    async fn username_taken(&self, username: &str) -> Result<bool, DbError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = ?")
            .bind(username)
            .fetch_one(&self.pool)
            .await?;
        Ok(count > 0)
    }

    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<i64, DbError> {
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, unit_name, password_hash, totp_secret, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(&user.role)
        .bind(&user.unit_name)
        .bind(&user.password_hash)
        .bind(&user.totp_secret)
        .bind(&audit.at)
        .bind(&audit.at)
        .fetch_one(&mut *tx)
        .await?;
        for hash in &user.recovery_code_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)")
                .bind(id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
        }
        let audit = AuditEntry {
            object_id: Some(id.to_string()),
            ..audit.clone()
        };
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn audit_log(&self) -> Result<Vec<AuditEntry>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(audit_from_row)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(|(_, e)| e)
            .collect())
    }

    async fn audit_page(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<(i64, AuditEntry)>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?"
        ))
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(audit_from_row)
            .collect::<Result<Vec<_>, _>>()?)
    }

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), DbError> {
        let mut tx = begin_write(&self.pool).await?;
        insert_audit(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn append_refusal(&self, entry: &AuditEntry, since: &str) -> Result<(), DbError> {
        let entry = entry.bounded();
        let mut tx = begin_write(&self.pool).await?;
        // The update comes first so the transaction takes the write lock at once: two parallel
        // refusals cannot both find nothing and both append.
        let counted = sqlx::query(
            "UPDATE audit_log SET repeat_count = repeat_count + 1, last_at = ? WHERE id = \
             (SELECT id FROM audit_log WHERE action = ? AND address IS ? AND actor_id IS ? AND at >= ? \
              ORDER BY id DESC LIMIT 1)",
        )
        .bind(&entry.at)
        .bind(&entry.action)
        .bind(&entry.address)
        .bind(entry.actor_id)
        .bind(since)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if counted == 0 {
            insert_audit(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = ?"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(user_from_row).transpose()?)
    }

    async fn use_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        at: &str,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = ? WHERE id = \
             (SELECT id FROM recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL LIMIT 1)",
        )
        .bind(at)
        .bind(user_id)
        .bind(code_hash)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn begin_login_attempt(
        &self,
        username: &str,
        address: &str,
        at: &str,
        limits: &LoginLimits,
    ) -> Result<Option<i64>, DbError> {
        // One statement counts and records: SQLite runs it under the write lock, so parallel
        // attempts are counted one after another and cannot all pass.
        Ok(sqlx::query_scalar(
            "INSERT INTO login_attempts (at, username, address, success) SELECT ?, ?, ?, 0 \
             WHERE (SELECT COUNT(*) FROM login_attempts WHERE username = ? AND address = ? AND success = 0 AND at >= ?) < ? \
               AND (SELECT COUNT(*) FROM login_attempts WHERE address = ? AND success = 0 AND at >= ?) < ? \
               AND (EXISTS (SELECT 1 FROM login_attempts WHERE username = ? AND address = ? AND success = 1 AND at >= ?) \
                    OR (SELECT COUNT(*) FROM login_attempts WHERE username = ? AND success = 0 AND at >= ?) < ?) \
             RETURNING id",
        )
        .bind(at)
        .bind(username)
        .bind(address)
        .bind(username)
        .bind(address)
        .bind(&limits.since)
        .bind(limits.per_account_and_address)
        .bind(address)
        .bind(&limits.since)
        .bind(limits.per_address)
        .bind(username)
        .bind(address)
        .bind(&limits.known_since)
        .bind(username)
        .bind(&limits.since)
        .bind(limits.per_account)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn mark_login_succeeded(&self, attempt_id: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE login_attempts SET success = 1 WHERE id = ?")
            .bind(attempt_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn accept_totp_step(&self, user_id: i64, step: i64) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
        )
        .bind(step)
        .bind(user_id)
        .bind(step)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: &str,
        expires_at: &str,
        address: &str,
    ) -> Result<(), DbError> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, address) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .bind(now)
            .bind(expires_at)
            .bind(address)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: &str,
        idle_cutoff: &str,
    ) -> Result<Option<UserRecord>, DbError> {
        // One writing statement first: a read-then-write transaction cannot take the write lock
        // once another connection has written (SQLite answers "busy" at once, whatever the busy
        // timeout), which under concurrent use signed people out at random.
        let touched = sqlx::query(
            "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND expires_at > ? AND last_seen_at >= ? \
             AND user_id IN (SELECT id FROM users WHERE disabled = 0)",
        )
        .bind(now)
        .bind(token_hash)
        .bind(now)
        .bind(idle_cutoff)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if touched == 0 {
            // Expired, idle, disabled or unknown: whatever is left of it goes.
            sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| user_from_row(&r)).transpose()?)
    }

    async fn list_users(&self) -> Result<Vec<UserSummary>, DbError> {
        let rows = sqlx::query(
            "SELECT users.id, username, display_name, role, unit_name, disabled, \
             (SELECT COUNT(*) FROM sessions WHERE sessions.user_id = users.id) AS live_sessions \
             FROM users ORDER BY username",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| -> Result<UserSummary, sqlx::Error> {
                Ok(UserSummary {
                    id: r.try_get("id")?,
                    username: r.try_get("username")?,
                    display_name: r.try_get("display_name")?,
                    role: r.try_get("role")?,
                    unit_name: r.try_get("unit_name")?,
                    disabled: r.try_get("disabled")?,
                    live_sessions: r.try_get("live_sessions")?,
                })
            })
            .collect::<Result<_, _>>()
            .map_err(DbError::from)
    }

    async fn set_user_disabled(
        &self,
        user_id: i64,
        disabled: bool,
        audit: &AuditEntry,
    ) -> Result<bool, DbError> {
        let mut tx = begin_write(&self.pool).await?;
        let changed = sqlx::query("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?")
            .bind(disabled)
            .bind(&audit.at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = ?")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn end_sessions(&self, user_id: i64, audit: &AuditEntry) -> Result<u64, DbError> {
        let mut tx = begin_write(&self.pool).await?;
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(ended)
    }

    async fn create_nomination(
        &self,
        row: &NominationRow,
        audit: &AuditEntry,
    ) -> Result<i64, DbError> {
        nominations::create_nomination(&self.pool, row, audit).await
    }
    async fn nomination(&self, id: i64) -> Result<Option<NominationRow>, DbError> {
        nominations::nomination(&self.pool, id).await
    }
    async fn nominations(&self) -> Result<Vec<NominationRow>, DbError> {
        nominations::nominations(&self.pool).await
    }
    async fn save_nomination(
        &self,
        row: &NominationRow,
        change: &NominationChange,
    ) -> Result<bool, DbError> {
        nominations::save_nomination(&self.pool, row, change).await
    }
    async fn audit_for(
        &self,
        object_type: &str,
        object_id: &str,
    ) -> Result<Vec<AuditEntry>, DbError> {
        nominations::audit_for(&self.pool, object_type, object_id).await
    }
    async fn attachments(&self, nomination_id: i64) -> Result<Vec<AttachmentRow>, DbError> {
        nominations::attachments(&self.pool, nomination_id).await
    }
    async fn attachment(&self, id: i64) -> Result<Option<AttachmentRow>, DbError> {
        nominations::attachment(&self.pool, id).await
    }
    async fn add_attachment(
        &self,
        row: &AttachmentRow,
        audit: &AuditEntry,
    ) -> Result<i64, DbError> {
        nominations::add_attachment(&self.pool, row, audit).await
    }
    async fn delete_attachment(&self, id: i64, audit: &AuditEntry) -> Result<bool, DbError> {
        nominations::delete_attachment(&self.pool, id, audit).await
    }
    async fn attachments_with_hash(&self, sha256: &str) -> Result<i64, DbError> {
        nominations::attachments_with_hash(&self.pool, sha256).await
    }
    async fn objections(&self, nomination_id: i64) -> Result<Vec<ObjectionRow>, DbError> {
        nominations::objections(&self.pool, nomination_id).await
    }
    async fn unresolved_objection_counts(
        &self,
    ) -> Result<std::collections::HashMap<i64, i64>, DbError> {
        nominations::unresolved_objection_counts(&self.pool).await
    }
    async fn objection(&self, id: i64) -> Result<Option<ObjectionRow>, DbError> {
        nominations::objection(&self.pool, id).await
    }
    async fn file_objection(
        &self,
        row: &ObjectionRow,
        audit: &AuditEntry,
        limit: &Window,
    ) -> Result<Option<i64>, DbError> {
        nominations::file_objection(&self.pool, row, audit, limit).await
    }
    async fn resolve_objection(
        &self,
        id: i64,
        resolution: &Resolution,
        audit: &AuditEntry,
    ) -> Result<bool, DbError> {
        nominations::resolve_objection(&self.pool, id, resolution, audit).await
    }
    async fn checks(&self, nomination_id: i64) -> Result<Vec<CheckRow>, DbError> {
        nominations::checks(&self.pool, nomination_id).await
    }
    async fn decide_check(
        &self,
        id: i64,
        decision: &CheckDecision,
        audit: &AuditEntry,
    ) -> Result<bool, DbError> {
        nominations::decide_check(&self.pool, id, decision, audit).await
    }
    async fn settings(&self) -> Result<std::collections::BTreeMap<String, String>, DbError> {
        nominations::settings(&self.pool).await
    }
    async fn save_settings(
        &self,
        values: &[(String, String)],
        rules: &[crate::domain::review::YearRule],
        audit: &AuditEntry,
    ) -> Result<(), DbError> {
        nominations::save_settings(&self.pool, values, rules, audit).await
    }
    async fn quota_rules(&self) -> Result<Vec<crate::domain::review::YearRule>, DbError> {
        nominations::quota_rules(&self.pool).await
    }
    async fn set_batch_published(
        &self,
        batch_id: i64,
        published: bool,
        audit: &AuditEntry,
    ) -> Result<bool, DbError> {
        nominations::set_batch_published(&self.pool, batch_id, published, audit).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

const USER_COLUMNS: &str =
    "users.id, username, display_name, role, unit_name, password_hash, totp_secret, disabled";

fn user_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<UserRecord, sqlx::Error> {
    Ok(UserRecord {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: r.try_get("role")?,
        unit_name: r.try_get("unit_name")?,
        password_hash: r.try_get("password_hash")?,
        totp_secret: r.try_get("totp_secret")?,
        disabled: r.try_get("disabled")?,
    })
}

/// Appends to the audit log inside the caller's transaction, so the change and its record land
/// together or not at all.

/// A write transaction that takes the write lock at its start (`BEGIN IMMEDIATE`). A deferred
/// one reads first and upgrades later; under WAL an upgrade after another connection committed
/// fails at once with "database is locked", whatever the busy timeout. Taken at the start, the
/// lock waits its turn (up to the busy timeout) instead.
pub(super) async fn begin_write(
    pool: &SqlitePool,
) -> Result<Transaction<'static, Sqlite>, DbError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// Every record, read through `conn` (a pool connection, or a transaction's).
pub(super) async fn load_from(conn: &mut sqlx::SqliteConnection) -> Result<Dataset, DbError> {
    let categories = sqlx::query("SELECT code, name_zh, name_en, level, recipient, engraved, awarded_by, frequency, sort_order FROM honour_categories ORDER BY sort_order")
        .fetch_all(&mut *conn).await?
        .iter()
        .map(|r| -> Result<_, sqlx::Error> {
            Ok(HonourCategoryRow {
                code: r.try_get("code")?, name_zh: r.try_get("name_zh")?, name_en: r.try_get("name_en")?,
                level: r.try_get("level")?, recipient: r.try_get("recipient")?, engraved: r.try_get("engraved")?,
                awarded_by: r.try_get("awarded_by")?, frequency: r.try_get("frequency")?, sort_order: r.try_get("sort_order")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let batches = sqlx::query(
        "SELECT id, level, year, seq, published FROM batches ORDER BY year, level, seq",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| -> Result<_, sqlx::Error> {
        Ok(BatchRow {
            id: r.try_get("id")?,
            level: r.try_get("level")?,
            year: r.try_get::<i64, _>("year")? as i32,
            seq: r.try_get::<i64, _>("seq")? as i32,
            published: r.try_get("published")?,
        })
    })
    .collect::<Result<Vec<_>, _>>()?;
    let sections = sqlx::query("SELECT id, code, name_zh, name_en, level, location_zh, location_en, mode, rows_per_stone, names_per_row, sort_order FROM wall_sections ORDER BY sort_order")
        .fetch_all(&mut *conn).await?
        .iter()
        .map(|r| -> Result<_, sqlx::Error> {
            Ok(SectionRow {
                id: r.try_get("id")?, code: r.try_get("code")?, name_zh: r.try_get("name_zh")?, name_en: r.try_get("name_en")?,
                level: r.try_get("level")?, location_zh: r.try_get("location_zh")?, location_en: r.try_get("location_en")?,
                mode: r.try_get("mode")?, rows_per_stone: r.try_get("rows_per_stone")?, names_per_row: r.try_get("names_per_row")?,
                sort_order: r.try_get("sort_order")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let people = sqlx::query("SELECT id, name_engraved, name_correct, surname, sex, ethnicity, birth_year, native_place, political, work_unit, post, industry, district, frontline, scitech, manager, deeds_short, deeds_full, demo FROM people ORDER BY id")
        .fetch_all(&mut *conn).await?
        .iter()
        .map(|r| -> Result<_, sqlx::Error> {
            Ok(PersonRow {
                id: r.try_get("id")?, name_engraved: r.try_get("name_engraved")?, name_correct: r.try_get("name_correct")?,
                surname: r.try_get("surname")?, sex: r.try_get("sex")?, ethnicity: r.try_get("ethnicity")?,
                birth_year: opt_i32(r, "birth_year")?, native_place: r.try_get("native_place")?, political: r.try_get("political")?,
                work_unit: r.try_get("work_unit")?, post: r.try_get("post")?, industry: r.try_get("industry")?,
                district: r.try_get("district")?, frontline: r.try_get("frontline")?, scitech: r.try_get("scitech")?,
                manager: r.try_get("manager")?, deeds_short: r.try_get("deeds_short")?, deeds_full: r.try_get("deeds_full")?,
                demo: r.try_get("demo")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let organisations = sqlx::query("SELECT id, name, kind, parent_name, industry, district, deeds_short, demo FROM organisations ORDER BY id")
        .fetch_all(&mut *conn).await?
        .iter()
        .map(|r| -> Result<_, sqlx::Error> {
            Ok(OrganisationRow {
                id: r.try_get("id")?, name: r.try_get("name")?, kind: r.try_get("kind")?, parent_name: r.try_get("parent_name")?,
                industry: r.try_get("industry")?, district: r.try_get("district")?, deeds_short: r.try_get("deeds_short")?,
                demo: r.try_get("demo")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let honours = sqlx::query(
        "SELECT id, category, person_id, organisation_id, year, batch_id FROM honours ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| -> Result<_, sqlx::Error> {
        Ok(HonourRow {
            id: r.try_get("id")?,
            category: r.try_get("category")?,
            person_id: r.try_get("person_id")?,
            organisation_id: r.try_get("organisation_id")?,
            year: r.try_get::<i64, _>("year")? as i32,
            batch_id: r.try_get("batch_id")?,
        })
    })
    .collect::<Result<Vec<_>, _>>()?;
    let media = sqlx::query("SELECT id, person_id, kind, url, title, demo FROM media ORDER BY id")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| -> Result<_, sqlx::Error> {
            Ok(MediaRow {
                id: r.try_get("id")?,
                person_id: r.try_get("person_id")?,
                kind: r.try_get("kind")?,
                url: r.try_get("url")?,
                title: r.try_get("title")?,
                demo: r.try_get("demo")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let slots = sqlx::query("SELECT id, section_id, person_id, honour_id, year, stone, row_no, position FROM wall_slots ORDER BY section_id, stone, row_no, position")
        .fetch_all(&mut *conn).await?
        .iter()
        .map(|r| -> Result<_, sqlx::Error> {
            Ok(SlotRow {
                id: r.try_get("id")?, section_id: r.try_get("section_id")?, person_id: r.try_get("person_id")?,
                honour_id: r.try_get("honour_id")?, year: r.try_get::<i64, _>("year")? as i32, stone: r.try_get("stone")?,
                row_no: r.try_get("row_no")?, position: r.try_get("position")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Dataset {
        categories,
        batches,
        sections,
        people,
        organisations,
        honours,
        media,
        slots,
    })
}

pub(super) const AUDIT_COLUMNS: &str =
    "id, at, actor_id, actor_name, action, object_type, object_id, \
     before_json, after_json, address, repeat_count, last_at";

pub(super) fn audit_from_row(
    r: &sqlx::sqlite::SqliteRow,
) -> Result<(i64, AuditEntry), sqlx::Error> {
    Ok((
        r.try_get("id")?,
        AuditEntry {
            at: r.try_get("at")?,
            actor_id: r.try_get("actor_id")?,
            actor_name: r.try_get("actor_name")?,
            action: r.try_get("action")?,
            object_type: r.try_get("object_type")?,
            object_id: r.try_get("object_id")?,
            before_json: r.try_get("before_json")?,
            after_json: r.try_get("after_json")?,
            address: r.try_get("address")?,
            repeat_count: r.try_get("repeat_count")?,
            last_at: r.try_get("last_at")?,
        },
    ))
}

/// Appends an entry, every field cut to its bound.
pub(super) async fn insert_audit(
    tx: &mut Transaction<'_, Sqlite>,
    entry: &AuditEntry,
) -> Result<(), DbError> {
    let entry = entry.bounded();
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_name, action, object_type, object_id, before_json, after_json, address) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&entry.at)
    .bind(entry.actor_id)
    .bind(&entry.actor_name)
    .bind(&entry.action)
    .bind(&entry.object_type)
    .bind(&entry.object_id)
    .bind(&entry.before_json)
    .bind(&entry.after_json)
    .bind(&entry.address)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
