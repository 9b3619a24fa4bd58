//! Copying a whole database to a new one of either backend: how an installation that started on
//! the embedded SQLite moves to PostgreSQL (and back). Every table of the application is read in
//! one snapshot of the source and written in one transaction of the target, ids kept; the target
//! must be a new database (its schema is set up here). Before the target commits, every table's
//! row count is compared with what was read: a copy is whole or it is not made.
//!
//! The copy goes through text, column by column, and each backend turns text into its own types
//! (SQLite by column affinity, PostgreSQL by casts to the column's type). Instants leave
//! PostgreSQL as the RFC 3339 strings SQLite stores (`rfc3339_ms`), booleans as 0/1.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{PgPool, Row, SqlitePool};

use super::error::DbError;

/// Tables that are not copied: the migrations' own bookkeeping, a counter the target's triggers
/// raise as rows arrive, and what only lives while a server runs (scheduler leases, form input
/// kept for 15 minutes).
const NOT_COPIED: &[&str] = &[
    "_sqlx_migrations",
    "sqlite_sequence",
    "data_version",
    "leases",
    "kept_input",
];

/// Tables a new database already holds rows in (the honour categories written at set-up and the
/// seeded quota rules): the source's rows replace them.
const SEEDED: &[&str] = &["honour_categories", "quota_rules"];

/// The `application_name` of the copy's own connections to a PostgreSQL target: any other
/// connection to it means a server or a person is using it, and the copy is refused.
pub const COPY_APPLICATION: &str = "labor-plaza-copy";

/// A name quoted as an SQL identifier (names come from the databases' own catalogues).
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Rows per INSERT statement into PostgreSQL (its limit is 65,535 parameters a statement).
const PG_BATCH_PARAMETERS: usize = 30_000;

/// A backend opened for copying.
pub enum Side {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Side {
    /// Opens the database a URL names (as `db::connect` does, with the same connection settings).
    pub async fn open(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Side::Sqlite(
                super::sqlite::SqliteDatabase::connect(url).await?.pool,
            ))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Side::Postgres(
                super::postgres::PostgresDatabase::connect(url).await?.pool,
            ))
        } else {
            Err(DbError::UnsupportedUrl(
                url.split_once(':')
                    .map_or("", |(scheme, _)| scheme)
                    .to_string(),
            ))
        }
    }
}

/// What was copied: rows per table, in the order they were written.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub tables: Vec<(String, i64)>,
}

impl CopyReport {
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

struct Table {
    name: String,
    columns: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

impl Table {
    /// Its columns, quoted, for an INSERT.
    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|c| ident(c))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Copies everything from `from` into `to` (both with their schema up to date; `to` holding no
/// records). Nothing is written to `to` unless every table arrived whole.
pub async fn copy_database(from: &Side, to: &Side) -> Result<CopyReport, DbError> {
    let source_columns = columns(from).await?;
    let target_columns = columns(to).await?;
    let names = |m: &BTreeMap<String, Vec<(String, String)>>| -> Vec<(String, Vec<String>)> {
        m.iter()
            .map(|(t, cols)| (t.clone(), cols.iter().map(|(c, _)| c.clone()).collect()))
            .collect()
    };
    // Types differ between backends by design; names and order must not.
    if names(&source_columns) != names(&target_columns) {
        return Err(DbError::Inconsistent(format!(
            "the two schemas differ ({}); bring both to this release with `server migrate`",
            describe_difference(&source_columns, &target_columns)
        )));
    }
    let order = write_order(to, &target_columns).await?;
    let tables = read_all(from, &order, &source_columns).await?;
    match to {
        Side::Sqlite(pool) => write_sqlite(pool, &tables).await,
        Side::Postgres(pool) => write_postgres(pool, &tables).await,
    }
}

fn copied(table: &str) -> bool {
    !NOT_COPIED.contains(&table)
}

/// Each copied table's columns (name → the backend's type name), as the database reports them.
async fn columns(side: &Side) -> Result<BTreeMap<String, Vec<(String, String)>>, DbError> {
    let rows: Vec<(String, String, String)> = match side {
        Side::Sqlite(pool) => {
            sqlx::query_as(
                "SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' ORDER BY m.name, p.cid",
            )
            .fetch_all(pool)
            .await?
        }
        Side::Postgres(pool) => {
            sqlx::query_as(
                "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
            )
            .fetch_all(pool)
            .await?
        }
    };
    let mut tables: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (table, column, kind) in rows {
        if copied(&table) {
            tables.entry(table).or_default().push((column, kind));
        }
    }
    Ok(tables)
}

/// Tables and columns by name only (types differ between backends by design).
fn describe_difference(
    a: &BTreeMap<String, Vec<(String, String)>>,
    b: &BTreeMap<String, Vec<(String, String)>>,
) -> String {
    let names = |m: &BTreeMap<String, Vec<(String, String)>>| -> BTreeSet<String> {
        m.iter()
            .flat_map(|(t, cols)| cols.iter().map(move |(c, _)| format!("{t}.{c}")))
            .collect()
    };
    let (a, b) = (names(a), names(b));
    let only_a: Vec<_> = a.difference(&b).cloned().collect();
    let only_b: Vec<_> = b.difference(&a).cloned().collect();
    format!(
        "only in the source: {}; only in the target: {}",
        if only_a.is_empty() {
            "-".into()
        } else {
            only_a.join(", ")
        },
        if only_b.is_empty() {
            "-".into()
        } else {
            only_b.join(", ")
        }
    )
}

/// The tables in an order where every table comes after those it refers to.
async fn write_order(
    side: &Side,
    tables: &BTreeMap<String, Vec<(String, String)>>,
) -> Result<Vec<String>, DbError> {
    let references: Vec<(String, String)> = match side {
        Side::Sqlite(pool) => sqlx::query_as(
            "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table'",
        )
        .fetch_all(pool)
        .await?,
        Side::Postgres(pool) => sqlx::query_as(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c \
             WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace",
        )
        .fetch_all(pool)
        .await?,
    };
    let mut needs: BTreeMap<&str, BTreeSet<&str>> = tables
        .keys()
        .map(|t| (t.as_str(), BTreeSet::new()))
        .collect();
    for (table, referred) in &references {
        if table != referred && tables.contains_key(referred) {
            if let Some(n) = needs.get_mut(table.as_str()) {
                n.insert(referred.as_str());
            }
        }
    }
    let mut order: Vec<String> = Vec::new();
    while order.len() < tables.len() {
        let ready: Vec<&str> = needs
            .iter()
            .filter(|(t, n)| {
                !order.iter().any(|o| o == *t) && n.iter().all(|r| order.iter().any(|o| o == r))
            })
            .map(|(t, _)| *t)
            .collect();
        if ready.is_empty() {
            return Err(DbError::Inconsistent(
                "the tables refer to each other in a circle".into(),
            ));
        }
        order.extend(ready.into_iter().map(str::to_string));
    }
    Ok(order)
}

/// Every copied table, read in one snapshot of the source.
async fn read_all(
    side: &Side,
    order: &[String],
    columns: &BTreeMap<String, Vec<(String, String)>>,
) -> Result<Vec<Table>, DbError> {
    let mut tables = Vec::new();
    match side {
        Side::Sqlite(pool) => {
            // A read transaction: every SELECT in it sees the database as it was at the first.
            let mut tx = pool.begin().await?;
            for name in order {
                let cols = &columns[name];
                let list = cols
                    .iter()
                    .map(|(c, _)| format!("CAST({} AS TEXT)", ident(c)))
                    .collect::<Vec<_>>()
                    .join(", ");
                let rows = sqlx::query(&format!(
                    "SELECT {list} FROM {} ORDER BY rowid",
                    ident(name)
                ))
                .fetch_all(&mut *tx)
                .await?;
                tables.push(table_of(name, cols, &rows)?);
            }
            tx.commit().await?;
        }
        Side::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute(&mut *tx)
                .await?;
            for name in order {
                let cols = &columns[name];
                let list = cols
                    .iter()
                    .map(|(c, kind)| match kind.as_str() {
                        "timestamp with time zone" => format!("rfc3339_ms({})", ident(c)),
                        "boolean" => format!("CAST({}::int AS text)", ident(c)),
                        _ => format!("{}::text", ident(c)),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let rows = sqlx::query(&format!(
                    "SELECT {list} FROM {} ORDER BY {}",
                    ident(name),
                    ident(&cols[0].0)
                ))
                .fetch_all(&mut *tx)
                .await?;
                tables.push(table_of(name, cols, &rows)?);
            }
            tx.commit().await?;
        }
    }
    Ok(tables)
}

fn table_of<R: Row>(name: &str, cols: &[(String, String)], rows: &[R]) -> Result<Table, DbError>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let rows = rows
        .iter()
        .map(|row| {
            (0..cols.len())
                .map(|i| row.try_get::<Option<String>, _>(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Table {
        name: name.to_string(),
        columns: cols.iter().map(|(c, _)| c.clone()).collect(),
        rows,
    })
}

/// Each table's row count, as the transaction sees it.
async fn row_counts<DB>(
    conn: &mut DB::Connection,
    tables: &[Table],
) -> Result<Vec<(String, i64)>, DbError>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    (i64,): for<'r> sqlx::FromRow<'r, DB::Row>,
{
    let mut counts = Vec::with_capacity(tables.len());
    for t in tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", ident(&t.name)))
            .fetch_one(&mut *conn)
            .await?;
        counts.push((t.name.clone(), n));
    }
    Ok(counts)
}

/// A target must be new: no records in any copied table but the seeded ones.
fn refuse_unless_new(counts: &[(String, i64)]) -> Result<(), DbError> {
    let held: Vec<String> = counts
        .iter()
        .filter(|(t, n)| *n > 0 && !SEEDED.contains(&t.as_str()))
        .map(|(t, n)| format!("{t} ({n})"))
        .collect();
    if held.is_empty() {
        Ok(())
    } else {
        Err(DbError::Inconsistent(format!(
            "the target database already holds records: {}; copy only into a new database",
            held.join(", ")
        )))
    }
}

fn check_counts(tables: &[Table], counts: &[(String, i64)]) -> Result<CopyReport, DbError> {
    let mut report = CopyReport::default();
    for (table, (name, n)) in tables.iter().zip(counts) {
        if table.rows.len() as i64 != *n {
            return Err(DbError::Inconsistent(format!(
                "{name}: {} rows read but {n} in the target; nothing was written",
                table.rows.len()
            )));
        }
        report.tables.push((name.clone(), *n));
    }
    Ok(report)
}

async fn write_sqlite(pool: &SqlitePool, tables: &[Table]) -> Result<CopyReport, DbError> {
    let mut tx = super::sqlite::begin_write(pool).await?;
    // References are checked at commit, once every table is in.
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *tx)
        .await?;
    let before = row_counts::<sqlx::Sqlite>(&mut tx, tables).await?;
    refuse_unless_new(&before)?;
    for t in tables {
        if SEEDED.contains(&t.name.as_str()) {
            sqlx::query(&format!("DELETE FROM {}", ident(&t.name)))
                .execute(&mut *tx)
                .await?;
        }
        let list = t.column_list();
        let marks = vec!["?"; t.columns.len()].join(", ");
        let sql = format!("INSERT INTO {} ({list}) VALUES ({marks})", ident(&t.name));
        for row in &t.rows {
            let mut q = sqlx::query(&sql);
            for v in row {
                q = q.bind(v.as_deref());
            }
            q.execute(&mut *tx).await?;
        }
    }
    let after = row_counts::<sqlx::Sqlite>(&mut tx, tables).await?;
    let report = check_counts(tables, &after)?;
    tx.commit().await?;
    Ok(report)
}

async fn write_postgres(pool: &PgPool, tables: &[Table]) -> Result<CopyReport, DbError> {
    let kinds: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_identity = 'YES' \
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .fetch_all(pool)
    .await?;
    let kind_of = |table: &str, column: &str| -> (String, bool) {
        kinds
            .iter()
            .find(|(t, c, _, _)| t == table && c == column)
            .map(|(_, _, k, identity)| (k.clone(), *identity))
            .unwrap_or_else(|| ("text".into(), false))
    };
    let mut tx = super::postgres::begin_locked(pool, super::postgres::Lock::Catalogue).await?;
    sqlx::query("SET CONSTRAINTS ALL DEFERRED")
        .execute(&mut *tx)
        .await?;
    let before = row_counts::<sqlx::Postgres>(&mut tx, tables).await?;
    refuse_unless_new(&before)?;
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND application_name IS DISTINCT FROM $1",
    )
    .bind(COPY_APPLICATION)
    .fetch_one(pool)
    .await?;
    if others > 0 {
        return Err(DbError::Inconsistent(format!(
            "{others} other connection(s) use the target database: stop its servers first"
        )));
    }
    for t in tables {
        if SEEDED.contains(&t.name.as_str()) {
            sqlx::query(&format!("DELETE FROM {}", ident(&t.name)))
                .execute(&mut *tx)
                .await?;
        }
        let list = t.column_list();
        let casts: Vec<String> = t.columns.iter().map(|c| kind_of(&t.name, c).0).collect();
        let per_statement = (PG_BATCH_PARAMETERS / t.columns.len()).max(1);
        for chunk in t.rows.chunks(per_statement) {
            let mut values = Vec::with_capacity(chunk.len());
            let mut n = 0;
            for _ in chunk {
                let row: Vec<String> = casts
                    .iter()
                    .map(|kind| {
                        n += 1;
                        format!("${n}::text::{kind}")
                    })
                    .collect();
                values.push(format!("({})", row.join(", ")));
            }
            let sql = format!(
                "INSERT INTO {} ({list}) OVERRIDING SYSTEM VALUE VALUES {}",
                ident(&t.name),
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for row in chunk {
                for v in row {
                    q = q.bind(v.as_deref());
                }
            }
            q.execute(&mut *tx).await?;
        }
        // Identity columns continue after the highest id copied.
        for c in &t.columns {
            if kind_of(&t.name, c).1 {
                let (table, column) = (ident(&t.name), ident(c));
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence($1, $2), \
                     COALESCE((SELECT MAX({column}) FROM {table}), 1), \
                     (SELECT MAX({column}) FROM {table}) IS NOT NULL)"
                ))
                .bind(&table)
                .bind(c)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    let after = row_counts::<sqlx::Postgres>(&mut tx, tables).await?;
    let report = check_counts(tables, &after)?;
    tx.commit().await?;
    Ok(report)
}
