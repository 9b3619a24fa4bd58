//! The privileges of the role the servers run as. The schema belongs to the role that migrates;
//! the servers connect as another role that may read and write the records but not change the
//! schema, and may only append to the audit log (besides raising a refusal's count, the one
//! update the log allows). The trigger on the log stays: privileges are the second lock.

use super::PostgresDatabase;

use crate::db::error::DbError;

/// A role name as PostgreSQL would accept it unquoted (so it can be written into the GRANTs).
fn checked_role(role: &str) -> Result<&str, DbError> {
    let mut chars = role.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && role.len() <= 63;
    if ok {
        Ok(role)
    } else {
        Err(DbError::Inconsistent(format!(
            "{role:?} is not a plain role name (lower-case letters, digits and _)"
        )))
    }
}

/// Grants `role` what a server needs on every table of the current schema of the database at
/// `url`, and no more: run by the schema's owner after each migration (new tables get no
/// privileges by themselves).
pub async fn grant_app_role(url: &str, role: &str) -> Result<(), DbError> {
    let role = checked_role(role)?;
    let pool = &PostgresDatabase::connect(url).await?.pool;
    // (superuser, the migrating role itself, a member of the schema owner's role)
    let found: Option<(bool, bool, bool)> = sqlx::query_as(
        "SELECT r.rolsuper, r.rolname = current_user, \
                pg_has_role(r.oid, (SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()), 'MEMBER') \
         FROM pg_roles r WHERE r.rolname = $1",
    )
    .bind(role)
    .fetch_optional(pool)
    .await?;
    match found {
        None => {
            return Err(DbError::Inconsistent(format!(
                "there is no role {role}: create it first (CREATE ROLE {role} LOGIN PASSWORD '…')"
            )))
        }
        // Privileges do not bind these: the grants would promise what they cannot keep (and
        // revoking from the owner would break the next migration).
        Some((true, _, _)) => {
            return Err(DbError::Inconsistent(format!(
                "{role} is a superuser: privileges do not restrict it; use a role of its own"
            )))
        }
        Some((_, true, _)) | Some((_, _, true)) => {
            return Err(DbError::Inconsistent(format!(
                "{role} owns the schema (or migrates it): the servers need a role of their own"
            )))
        }
        Some(_) => {}
    }
    let (database, schema): (String, String) =
        sqlx::query_as("SELECT quote_ident(current_database()), quote_ident(current_schema())")
            .fetch_one(pool)
            .await?;
    let mut tx = pool.begin().await?;
    for statement in [
        format!("GRANT CONNECT ON DATABASE {database} TO {role}"),
        format!("GRANT USAGE ON SCHEMA {schema} TO {role}"),
        format!("REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}"),
        // Which migrations ran: read at start, never written by a server.
        format!("REVOKE INSERT, UPDATE, DELETE ON _sqlx_migrations FROM {role}"),
        // The audit log: read and appended to; of its columns only a refusal's count and last
        // time may change.
        format!("REVOKE UPDATE, DELETE ON audit_log FROM {role}"),
        format!("GRANT UPDATE (repeat_count, last_at) ON audit_log TO {role}"),
        // Ids: the next one, and setting them after records are loaded with their ids.
        format!("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}"),
    ] {
        sqlx::query(&statement).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::checked_role;

    #[test]
    fn only_plain_role_names_are_written_into_grants() {
        assert!(checked_role("labor_plaza_app").is_ok());
        assert!(checked_role("_x9").is_ok());
        for bad in [
            "",
            "App",
            "1x",
            "x; DROP TABLE users",
            "x\"y",
            "x-y",
            &"a".repeat(64),
        ] {
            assert!(checked_role(bad).is_err(), "{bad}");
        }
    }
}
