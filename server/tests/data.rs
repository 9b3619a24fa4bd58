//! The data layer and the subcommands, each on a fresh database (SQLite, or PostgreSQL when
//! `LABOR_PLAZA_TEST_POSTGRES` is set: see `common.rs`).
mod common;

use app::db::postgres::ScratchDatabase;
use app::db::{connect, Additions};
use app::import::demo::{generate, DEFAULT_SEED};
use common::server_command_with_stdin;

/// A fresh database for one test; its PostgreSQL database is dropped when the test is done.
struct Fresh {
    dir: tempfile::TempDir,
    scratch: Option<ScratchDatabase>,
}

impl Fresh {
    async fn done(self) {
        if let Some(scratch) = self.scratch {
            scratch.drop_database().await.unwrap();
        }
    }
}

async fn fresh() -> (Fresh, app::db::Stores, String) {
    let dir = tempfile::tempdir().unwrap();
    let (url, scratch) = common::fresh_database_url(dir.path()).await;
    let db = connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    (Fresh { dir, scratch }, db, url)
}

#[tokio::test]
async fn the_whole_dataset_round_trips() {
    let (test_db, db, _) = fresh().await;
    let data = generate(DEFAULT_SEED);
    db.catalogue.replace_all(&data).await.unwrap();
    assert_eq!(db.catalogue.count_people().await.unwrap(), 13_058);
    let mut loaded = db.catalogue.load().await.unwrap();
    // Loading orders slots by place; compare as sets.
    let mut expected = data.clone();
    expected
        .slots
        .sort_by_key(|s| (s.section_id, s.stone, s.row_no, s.position));
    loaded
        .slots
        .sort_by_key(|s| (s.section_id, s.stone, s.row_no, s.position));
    expected
        .batches
        .sort_by_key(|b| (b.year, b.level.clone(), b.seq));
    assert_eq!(loaded, expected);
    test_db.done().await;
}

#[tokio::test]
async fn a_failing_addition_writes_nothing() {
    let (test_db, db, _) = fresh().await;
    db.catalogue
        .replace_all(&generate(DEFAULT_SEED))
        .await
        .unwrap();
    let existing = db.catalogue.load().await.unwrap();
    let csv = "name,honour,year\n王芳,beijing_model,2020\n丁一,beijing_model,2020\n";
    let mut additions: Additions = app::import::csv::plan_import(csv, &existing).unwrap();
    // Make the second slot collide with an engraved one: the insert fails inside the transaction.
    let taken = &existing.slots[0];
    let last = additions.slots.last_mut().unwrap();
    (last.section_id, last.stone, last.row_no, last.position) =
        (taken.section_id, taken.stone, taken.row_no, taken.position);
    assert!(db.catalogue.add(&additions).await.is_err());
    assert_eq!(
        db.catalogue.count_people().await.unwrap(),
        13_058,
        "the first person was rolled back too"
    );
    // The clean plan goes in whole.
    let additions = app::import::csv::plan_import(csv, &existing).unwrap();
    db.catalogue.add(&additions).await.unwrap();
    assert_eq!(db.catalogue.count_people().await.unwrap(), 13_060);
    let catalog = app::catalog::Catalog::build(&db.catalogue.load().await.unwrap());
    assert_eq!(catalog.stats.engraved.total, 13_060);
    test_db.done().await;
}

fn server_command(url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

#[tokio::test]
async fn demo_data_refuses_a_full_database_unless_told_to_replace() {
    let (test_db, _db, url) = fresh().await;
    let first = server_command(&url, &["demo-data"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("13058 people"));
    let second = server_command(&url, &["demo-data"]);
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("--replace"));
    let third = server_command(&url, &["demo-data", "--replace", "--seed", "7"]);
    assert!(
        third.status.success(),
        "{}",
        String::from_utf8_lossy(&third.stderr)
    );
    let bad = server_command(&url, &["demo-data", "--seed", "x"]);
    assert!(!bad.status.success());
    let unknown = server_command(&url, &["frobnicate"]);
    assert!(!unknown.status.success());
    test_db.done().await;
}

#[tokio::test]
async fn import_reports_bad_rows_and_keeps_the_data() {
    let (test_db, _db, url) = fresh().await;
    assert!(server_command(&url, &["demo-data"]).status.success());
    let bad = test_db.dir.path().join("bad.csv");
    std::fs::write(&bad, "name,honour,year\nAlice,beijing_model,2020\n").unwrap();
    let out = server_command(&url, &["import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2") && stderr.contains("nothing was imported"),
        "{stderr}"
    );
    let good = test_db.dir.path().join("good.csv");
    std::fs::write(&good, "name,honour,year,sex\n李新,beijing_model,2020,女\n").unwrap();
    let out = server_command(&url, &["import", good.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = connect(&url).await.unwrap();
    assert_eq!(db.catalogue.count_people().await.unwrap(), 13_059);
    test_db.done().await;
}

#[tokio::test]
async fn create_admin_checks_the_password_and_shows_the_second_factor_once() {
    let (test_db, db, url) = fresh().await;
    let weak = server_command_with_stdin(
        &url,
        &["create-admin", "--username", "plaza-admin"],
        "password1234\n",
    );
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too easy to guess"));
    assert!(
        !db.accounts.username_taken("plaza-admin").await.unwrap(),
        "nothing stored"
    );

    let ok = server_command_with_stdin(
        &url,
        &["create-admin", "--username", "plaza-admin"],
        "granite-lantern-47-plaza\n",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(out.contains("otpauth://totp/LaborPlaza:plaza-admin"));
    assert_eq!(
        out.lines()
            .filter(|l| l.trim().len() == 14 && l.trim().matches('-').count() == 2)
            .count(),
        10
    );
    assert!(db.accounts.username_taken("plaza-admin").await.unwrap());
    let log = db.audit.audit_log().await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "account.create");
    assert!(
        !log[0].after_json.as_deref().unwrap().contains("granite"),
        "no secret in the audit log"
    );

    let again = server_command_with_stdin(
        &url,
        &["create-admin", "--username", "plaza-admin"],
        "another-granite-48-lantern\n",
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let missing = server_command_with_stdin(&url, &["create-admin"], "");
    assert!(!missing.status.success());

    // The audit log refuses changes even from SQL.
    let update = "UPDATE audit_log SET actor_name = 'someone else'";
    let delete = "DELETE FROM audit_log";
    let (update, delete) = if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let results = (
            sqlx::query(update).execute(&pool).await.map(|_| ()),
            sqlx::query(delete).execute(&pool).await.map(|_| ()),
        );
        pool.close().await;
        results
    } else {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        let results = (
            sqlx::query(update).execute(&pool).await.map(|_| ()),
            sqlx::query(delete).execute(&pool).await.map(|_| ()),
        );
        pool.close().await;
        results
    };
    assert!(update.unwrap_err().to_string().contains("append-only"));
    assert!(delete.is_err());
    test_db.done().await;
}

/// Every subcommand answers `--help` and `--version`; a wrong argument is named.
#[tokio::test]
async fn the_command_line_helps_and_names_bad_arguments() {
    let (test_db, _db, url) = fresh().await;
    for sub in ["serve", "demo-data", "import", "create-admin"] {
        let help = server_command(&url, &[sub, "--help"]);
        let text = String::from_utf8_lossy(&help.stdout);
        assert!(
            help.status.success() && text.contains("Usage:"),
            "{sub}: {text}"
        );
        let version = server_command(&url, &[sub, "--version"]);
        assert!(version.status.success(), "{sub} --version");
    }
    let bad = server_command(&url, &["create-admin", "--usrname", "x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--usrname"));
    let bad = server_command(&url, &["demo-data", "--seed", "many"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--seed"));
    test_db.done().await;
}
