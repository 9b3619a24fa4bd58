//! Accounts, sign-in attempts and sessions in SQLite.

use async_trait::async_trait;

use super::audit::insert_audit;
use super::{begin_write, SqliteDatabase};
use crate::db::accounts::{AccountStore, LoginLimits, NewUser, UserRecord, UserSummary};
use crate::db::{audit::AuditEntry, error::DbError};

const USER_COLUMNS: &str =
    "users.id, username, display_name, role, unit_name, password_hash, totp_secret, disabled";

#[async_trait]
impl AccountStore for SqliteDatabase {
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
        .bind(user.role)
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

    async fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = ?"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?)
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
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_users(&self) -> Result<Vec<UserSummary>, DbError> {
        Ok(sqlx::query_as(
            "SELECT users.id, username, display_name, role, unit_name, disabled, \
             (SELECT COUNT(*) FROM sessions WHERE sessions.user_id = users.id) AS live_sessions \
             FROM users ORDER BY username",
        )
        .fetch_all(&self.pool)
        .await?)
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

    async fn delete_session(&self, token_hash: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn forget_dead_sessions(&self, now: &str, idle_cutoff: &str) -> Result<u64, DbError> {
        Ok(
            sqlx::query("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?")
                .bind(now)
                .bind(idle_cutoff)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    async fn forget_login_attempts_before(&self, before: &str) -> Result<u64, DbError> {
        Ok(sqlx::query("DELETE FROM login_attempts WHERE at < ?")
            .bind(before)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
