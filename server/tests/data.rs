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
    // Honoured in 2020, after the stones were cut: placed, waiting for the next cutting.
    assert_eq!(catalog.stats.engraved.total, 13_058);
    assert!(catalog.outline.sections.iter().any(|s| s.not_yet_engraved
        == [app::wall::model::PlannedYear {
            year: 2020,
            names: 2
        }]));
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

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The administrators' export, imported again, changes nothing (in both formats); an edited copy
/// updates the same people and adds the new row; undoing that import puts everything back.
#[tokio::test]
async fn an_export_imports_again_unchanged_and_an_import_can_be_undone() {
    let (test_db, _db, url) = fresh().await;
    assert!(server_command(&url, &["demo-data"]).status.success());
    let dir = test_db.dir.path();
    let data = generate(DEFAULT_SEED);
    let rows = data
        .honours
        .iter()
        .filter(|h| h.person_id.is_some())
        .count();
    for ext in ["csv", "xlsx"] {
        let file = dir.join(format!("all.{ext}"));
        let file = file.to_str().unwrap();
        stdout(&server_command(&url, &["export", file]));
        let said = stdout(&server_command(&url, &["import", file, "--dry-run"]));
        assert!(
            said.contains(&format!("新增 0 · 更新 0 · 不变 {rows} · 有误 0")),
            "{ext}: {said}"
        );
    }

    // Edit the list as an office would: one work unit changed, one person added.
    let text = std::fs::read_to_string(dir.join("all.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let first = &records[0];
    let (person_id, unit) = (
        first[column("id")].parse::<i64>().unwrap(),
        column("work_unit"),
    );
    let mut edited: Vec<String> = first.iter().map(str::to_string).collect();
    edited[unit] = "北京市导入测试单位".into();
    records[0] = csv::StringRecord::from(edited);
    let mut new_row = vec![String::new(); headers.len()];
    new_row[column("name")] = "李新来".into();
    new_row[column("honour")] = "beijing_model".into();
    new_row[column("year")] = "2020".into();
    new_row[column("frontline")] = "1".into();
    records.push(csv::StringRecord::from(new_row));
    let edited_file = dir.join("edited.csv");
    let mut writer = csv::Writer::from_path(&edited_file).unwrap();
    writer.write_record(&headers).unwrap();
    for r in &records {
        writer.write_record(r).unwrap();
    }
    writer.flush().unwrap();
    let edited_file = edited_file.to_str().unwrap();
    let said = stdout(&server_command(&url, &["import", edited_file]));
    // The person's other honours are rows too: each says the same, each counts as updated.
    let person_rows = data
        .honours
        .iter()
        .filter(|h| h.person_id == Some(person_id))
        .count();
    assert!(
        said.contains(&format!(
            "新增 1 · 更新 {person_rows} · 不变 {}",
            rows - person_rows
        )),
        "{said}"
    );
    let db = connect(&url).await.unwrap();
    let after = db.catalogue.load().await.unwrap();
    let person = after.people.iter().find(|p| p.id == person_id).unwrap();
    assert_eq!(person.work_unit.as_deref(), Some("北京市导入测试单位"));
    assert_eq!(after.people.len(), 13_059);

    // Listed, then undone as a whole; a second undo is refused.
    let listed = stdout(&server_command(&url, &["imports"]));
    assert!(listed.contains("edited.csv"), "{listed}");
    let batch = db.imports.import_batches().await.unwrap()[0].id.to_string();
    let said = stdout(&server_command(&url, &["undo-import", &batch]));
    assert!(said.contains("1") && said.contains("undone"), "{said}");
    let undone = db.catalogue.load().await.unwrap();
    assert_eq!(undone.people.len(), 13_058);
    let person = undone.people.iter().find(|p| p.id == person_id).unwrap();
    let original = data.people.iter().find(|p| p.id == person_id).unwrap();
    assert_eq!(person, original);
    assert!(!undone.people.iter().any(|p| p.name_engraved == "李新来"));
    let again = server_command(&url, &["undo-import", &batch]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already undone"));
    let log = db.audit.audit_log().await.unwrap();
    assert!(log.iter().any(|e| e.action == "import"));
    assert!(log.iter().any(|e| e.action == "undo_import"));
    test_db.done().await;
}

const TESTER: app::import::service::Importer<'static> = app::import::service::Importer {
    name: "test",
    account: None,
    address: None,
};

/// An import is undone only while what it wrote is as it wrote it: a later import that changed
/// the same person must be undone first.
#[tokio::test]
async fn an_undo_never_overwrites_a_later_change() {
    let (test_db, db, _) = fresh().await;
    db.catalogue
        .replace_all(&generate(DEFAULT_SEED))
        .await
        .unwrap();
    let person = db.catalogue.load().await.unwrap().people[0].clone();
    let at = "2026-11-29T12:00:00.000Z";
    let honour = db
        .catalogue
        .load()
        .await
        .unwrap()
        .honours
        .into_iter()
        .find(|h| h.person_id == Some(person.id))
        .unwrap();
    let list = |unit: &str| {
        app::import::table::Table::from_csv(&format!(
            "id,name,honour,year,work_unit\n{},{},{},{},{unit}\n",
            person.id, person.name_engraved, honour.category, honour.year
        ))
        .unwrap()
    };
    use app::import::service::{import_table, undo_import};
    let first = import_table(
        &db,
        &list("第一单位"),
        &TESTER,
        "a.csv",
        at,
        false,
        &mut |_| {},
    )
    .await
    .unwrap();
    let second = import_table(
        &db,
        &list("第二单位"),
        &TESTER,
        "b.csv",
        at,
        false,
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(first.counts.updated, 1);
    let (first, second) = (first.batch.unwrap(), second.batch.unwrap());
    assert_eq!(
        undo_import(&db, first, "test", at).await.unwrap(),
        app::db::imports::UndoOutcome::ChangedSince(vec![person.id])
    );
    let unit = |data: app::db::Dataset| {
        data.people
            .into_iter()
            .find(|p| p.id == person.id)
            .unwrap()
            .work_unit
    };
    assert_eq!(
        unit(db.catalogue.load().await.unwrap()).as_deref(),
        Some("第二单位")
    );
    assert!(matches!(
        undo_import(&db, second, "test", at).await.unwrap(),
        app::db::imports::UndoOutcome::Undone { restored: 1, .. }
    ));
    assert!(matches!(
        undo_import(&db, first, "test", at).await.unwrap(),
        app::db::imports::UndoOutcome::Undone { restored: 1, .. }
    ));
    assert_eq!(unit(db.catalogue.load().await.unwrap()), person.work_unit);

    // Someone an import added, changed by a later import: the first is not undone (which would
    // delete them and the later change with them) until the later one is.
    let added =
        app::import::table::Table::from_csv("name,honour,year\n导入丁,beijing_model,2033\n")
            .unwrap();
    let adding = import_table(&db, &added, &TESTER, "c.csv", at, false, &mut |_| {})
        .await
        .unwrap();
    let changed = app::import::table::Table::from_csv(
        "name,honour,year,post\n导入丁,beijing_model,2033,车间主任\n",
    )
    .unwrap();
    let changing = import_table(&db, &changed, &TESTER, "d.csv", at, false, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(changing.counts.updated, 1);
    let new_id = adding.plan.additions.people[0].id;
    assert_eq!(
        undo_import(&db, adding.batch.unwrap(), "test", at)
            .await
            .unwrap(),
        app::db::imports::UndoOutcome::ChangedSince(vec![new_id])
    );
    assert!(matches!(
        undo_import(&db, changing.batch.unwrap(), "test", at)
            .await
            .unwrap(),
        app::db::imports::UndoOutcome::Undone { restored: 1, .. }
    ));
    assert!(matches!(
        undo_import(&db, adding.batch.unwrap(), "test", at)
            .await
            .unwrap(),
        app::db::imports::UndoOutcome::Undone { removed: 1, .. }
    ));
    test_db.done().await;
}

/// Whether another connection is inside a write transaction that has begun writing: SQLite's
/// write lock is taken (a `BEGIN IMMEDIATE` that may not wait fails), PostgreSQL shows a
/// transaction with an id (assigned at its first write).
async fn someone_is_writing(url: &str) -> bool {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        use std::str::FromStr;
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
            .unwrap()
            .busy_timeout(std::time::Duration::ZERO);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        let busy = sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut conn)
            .await
            .is_err();
        if !busy {
            sqlx::query("ROLLBACK").execute(&mut conn).await.unwrap();
        }
        busy
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
             AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap()
            > 0
    }
}

/// `kill -9` in the middle of an import's write leaves the records exactly as they were: no
/// person, no batch, no import listed. (Should the kill come after the commit, the import is there
/// whole, which is the other all-or-nothing answer: it is undone and tried again.)
#[tokio::test]
async fn an_import_killed_midway_leaves_the_records_as_they_were() {
    use std::io::BufRead;
    let (test_db, db, url) = fresh().await;
    db.catalogue
        .replace_all(&generate(DEFAULT_SEED))
        .await
        .unwrap();
    let before = db.catalogue.load().await.unwrap();
    // A long list of new people: everyone again, as municipal model workers of a year to come.
    let mut seen = std::collections::HashSet::new();
    let mut list = String::from("name,honour,year,work_unit\n");
    for p in &before.people {
        if seen.insert(p.name_engraved.clone()) {
            list.push_str(&format!(
                "{},beijing_model,2030,测试单位\n",
                p.name_engraved
            ));
        }
    }
    let file = test_db.dir.path().join("long.csv");
    std::fs::write(&file, list).unwrap();
    let mut killed_midway = false;
    for _attempt in 0..3 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["import", file.to_str().unwrap()])
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The import says when it starts writing; then it is killed as soon as it has.
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while out.read_line(&mut line).unwrap() > 0 && !line.contains("writing") {
            line.clear();
        }
        assert!(line.contains("writing"), "the import never began to write");
        while child.try_wait().unwrap().is_none() && !someone_is_writing(&url).await {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        let after = db.catalogue.load().await.unwrap();
        let imports = db.imports.import_batches().await.unwrap();
        if after == before && imports.is_empty() {
            assert!(!status.success(), "killed, not finished");
            killed_midway = true;
            break;
        }
        // Committed before the kill: the whole import is there; take it back and try again.
        assert_eq!(after.people.len(), before.people.len() + seen.len());
        assert_eq!(imports.len(), 1);
        let undone = app::import::service::undo_import(
            &db,
            imports[0].id,
            "test",
            "2026-11-29T12:00:00.000Z",
        )
        .await
        .unwrap();
        assert!(matches!(
            undone,
            app::db::imports::UndoOutcome::Undone { .. }
        ));
    }
    assert!(
        killed_midway,
        "three imports finished before they could be killed"
    );
    // The database is sound and takes the same import afterwards.
    let out = server_command(&url, &["import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        db.catalogue.count_people().await.unwrap() as usize,
        before.people.len() + seen.len()
    );
    test_db.done().await;
}
