//! Fresh, empty databases on a PostgreSQL server, for tests: each test (or test binary) gets its
//! own, named `lp_test_<unix seconds>_<random>`, and drops it when done. What a test that
//! panicked or a process that ended without dropping its database (the test server of a test
//! binary lives as long as the process) leaves behind is dropped by the next one created, once it
//! is an hour old and nobody is connected to it.

use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::db::error::DbError;

const PREFIX: &str = "lp_test_";
const STALE_AFTER_SECONDS: u64 = 60 * 60;

/// A database created for one test run.
pub struct ScratchDatabase {
    /// The URL of the new database (the base URL with its database name replaced).
    pub url: String,
    name: String,
    base: PgConnectOptions,
}

impl ScratchDatabase {
    /// Creates an empty database on the server of `base_url` (any database the user may connect
    /// to, e.g. `postgres://postgres@127.0.0.1:55432/postgres`; the user must be allowed to
    /// create databases).
    pub async fn create(base_url: &str) -> Result<Self, DbError> {
        let base = PgConnectOptions::from_str(base_url)?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let name = format!("{PREFIX}{now}_{:016x}", rand::random::<u64>());
        let mut admin = base.connect().await?;
        drop_stale(&mut admin, now).await;
        sqlx::query(&format!(
            "CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"
        ))
        .execute(&mut admin)
        .await?;
        admin.close().await?;
        Ok(ScratchDatabase {
            url: with_database(base_url, &name),
            name,
            base,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops the database, ending any connection still open to it.
    pub async fn drop_database(self) -> Result<(), DbError> {
        let mut admin = self.base.connect().await?;
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .await?;
        admin.close().await?;
        Ok(())
    }
}

/// Drops scratch databases an hour old that nobody is connected to; failures are ignored
/// (another run may be dropping the same one).
async fn drop_stale(admin: &mut sqlx::PgConnection, now: u64) {
    let Ok(names) = sqlx::query_scalar::<_, String>(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'lp\\_test\\_%' \
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)",
    )
    .fetch_all(&mut *admin)
    .await
    else {
        return;
    };
    for name in names {
        let created = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        if created.is_some_and(|c| c + STALE_AFTER_SECONDS < now)
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                .execute(&mut *admin)
                .await;
        }
    }
}

/// `url` naming database `name` instead of its own (user, host, port and parameters kept).
fn with_database(url: &str, name: &str) -> String {
    let (main, query) = match url.split_once('?') {
        Some((main, query)) => (main, Some(query)),
        None => (url, None),
    };
    let authority_start = main.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match main[authority_start..].find('/') {
        Some(slash) => &main[..authority_start + slash],
        None => main,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_replaced_and_the_rest_kept() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:55432/postgres", "lp_test_1"),
            "postgres://postgres@127.0.0.1:55432/lp_test_1"
        );
        assert_eq!(
            with_database("postgresql://u:p@h/db?sslmode=disable", "x"),
            "postgresql://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
        assert_eq!(
            with_database("postgres://h?host=/run/pg", "x"),
            "postgres://h/x?host=/run/pg"
        );
    }
}
