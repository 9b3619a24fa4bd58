//! Accounts, sign-in attempts and sessions in PostgreSQL.

use async_trait::async_trait;

use super::audit::insert_audit;
use super::{begin_locked, Lock, PostgresDatabase};
use crate::db::accounts::{AccountStore, LoginLimits, NewUser, UserRecord, UserSummary};
use crate::db::{audit::AuditEntry, error::DbError};

const USER_COLUMNS: &str =
    "users.id, username, display_name, role, unit_name, password_hash, totp_secret, disabled";

#[async_trait]
impl AccountStore for PostgresDatabase {
    async fn username_taken(&self, username: &str) -> Result<bool, DbError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(&self.pool)
            .await?;
        Ok(count > 0)
    }

    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<i64, DbError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, unit_name, password_hash, totp_secret, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $7::timestamptz) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role)
        .bind(&user.unit_name)
        .bind(&user.password_hash)
        .bind(&user.totp_secret)
        .bind(&audit.at)
        .fetch_one(&mut *tx)
        .await?;
        for hash in &user.recovery_code_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
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
            "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
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
        // `used_at IS NULL` on the updated row too: a parallel use of the same code waits for the
        // first, then finds the row used and changes nothing.
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1::timestamptz WHERE used_at IS NULL AND id = \
             (SELECT id FROM recovery_codes WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL ORDER BY id LIMIT 1)",
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
        // Counted and recorded in one statement under the sign-in lock: parallel attempts are
        // counted one after another and cannot all pass.
        let mut tx = begin_locked(&self.pool, Lock::LoginAttempts).await?;
        let id = sqlx::query_scalar(
            "INSERT INTO login_attempts (at, username, address, success) SELECT $1::timestamptz, $2, $3, false \
             WHERE (SELECT COUNT(*) FROM login_attempts WHERE username = $2 AND address = $3 AND NOT success AND at >= $4::timestamptz) < $5 \
               AND (SELECT COUNT(*) FROM login_attempts WHERE address = $3 AND NOT success AND at >= $4::timestamptz) < $6 \
               AND (EXISTS (SELECT 1 FROM login_attempts WHERE username = $2 AND address = $3 AND success AND at >= $7::timestamptz) \
                    OR (SELECT COUNT(*) FROM login_attempts WHERE username = $2 AND NOT success AND at >= $4::timestamptz) < $8) \
             RETURNING id",
        )
        .bind(at)
        .bind(username)
        .bind(address)
        .bind(&limits.since)
        .bind(limits.per_account_and_address)
        .bind(limits.per_address)
        .bind(&limits.known_since)
        .bind(limits.per_account)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn mark_login_succeeded(&self, attempt_id: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE login_attempts SET success = true WHERE id = $1")
            .bind(attempt_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn accept_totp_step(&self, user_id: i64, step: i64) -> Result<bool, DbError> {
        // The condition is checked again on the row a parallel acceptance left: one wins.
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
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
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, address) \
             VALUES ($1, $2, $3::timestamptz, $3::timestamptz, $4::timestamptz, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
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
        let touched = sqlx::query(
            "UPDATE sessions SET last_seen_at = $1::timestamptz WHERE token_hash = $2 AND expires_at > $1::timestamptz \
             AND last_seen_at >= $3::timestamptz AND user_id IN (SELECT id FROM users WHERE NOT disabled)",
        )
        .bind(now)
        .bind(token_hash)
        .bind(idle_cutoff)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if touched == 0 {
            // Expired, idle, disabled or unknown: whatever is left of it goes.
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
            return Ok(None);
        }
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_users(&self) -> Result<Vec<UserSummary>, DbError> {
        // Byte order, as SQLite sorts, whatever the database's collation.
        Ok(sqlx::query_as(
            "SELECT users.id, username, display_name, role, unit_name, disabled, \
             (SELECT COUNT(*) FROM sessions WHERE sessions.user_id = users.id) AS live_sessions \
             FROM users ORDER BY username COLLATE \"C\"",
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
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE users SET disabled = $1, updated_at = $2::timestamptz WHERE id = $3",
        )
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
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn end_sessions(&self, user_id: i64, audit: &AuditEntry) -> Result<u64, DbError> {
        let mut tx = self.pool.begin().await?;
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(ended)
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn forget_dead_sessions(&self, now: &str, idle_cutoff: &str) -> Result<u64, DbError> {
        Ok(sqlx::query(
            "DELETE FROM sessions WHERE expires_at <= $1::timestamptz OR last_seen_at < $2::timestamptz",
        )
        .bind(now)
        .bind(idle_cutoff)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    async fn forget_login_attempts_before(&self, before: &str) -> Result<u64, DbError> {
        Ok(
            sqlx::query("DELETE FROM login_attempts WHERE at < $1::timestamptz")
                .bind(before)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
