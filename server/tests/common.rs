//! A real server on port 0 with a fresh temporary database, shared by the tests of one binary.
//! The database is SQLite, or PostgreSQL when `LABOR_PLAZA_TEST_POSTGRES` names a server (a base
//! URL such as `postgres://postgres@127.0.0.1:55432/postgres`, see `scripts/postgres.sh`): then
//! each test binary gets a database of its own there.
#![allow(dead_code)]

use std::sync::OnceLock;

use leptos::prelude::LeptosOptions;

pub struct TestServer {
    pub base: String,
    /// Its database, for [`test_db`].
    pub url: String,
    pub state: app::state::AppState,
    /// The server's clock: tests move it instead of waiting.
    pub clock: app::clock::ManualClock,
    _dir: tempfile::TempDir,
}

pub fn options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("labor-plaza")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build()
}

/// Starts the server once per test binary, on its own runtime that lives as long as the process.
pub fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        // The server's warnings and errors (a store failing, say) on the test's output, so a
        // failure shows its cause.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn")
            .with_test_writer()
            .try_init();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let dir = tempfile::tempdir().unwrap();
                // The server lives as long as the process, so its PostgreSQL database is not
                // dropped here but later: by `scripts/postgres.sh clean` (the test command runs
                // it), or an hour on by the next test that creates one (see ScratchDatabase).
                let url = fresh_database_url(dir.path()).await.0;
                let clock = app::clock::ManualClock::new(chrono::Utc::now());
                let state = server::prepare_state(&url, true)
                    .await
                    .expect("state")
                    .with_clock(std::sync::Arc::new(clock.clone()))
                    .with_uploads_dir(dir.path().join("uploads"));
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let base = format!("http://{}", listener.local_addr().unwrap());
                let app = server::router(
                    state.clone(),
                    options(),
                    server::security::TrustedProxies::parse("127.0.0.2").unwrap(),
                );
                tx.send(TestServer {
                    base,
                    url: url.clone(),
                    state,
                    clock,
                    _dir: dir,
                })
                .unwrap();
                let service = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
                axum::serve(listener, service).await.unwrap();
            });
        });
        rx.recv().expect("server started")
    })
}

/// The test's own connection to the server's database. A test's code never borrows the server's
/// pool: each `#[tokio::test]` has a runtime of its own that ends with the test, and a PostgreSQL
/// connection used (or released) on it can die with it, in the middle of the server's next
/// request that takes it.
pub async fn test_db() -> app::db::Stores {
    app::db::connect(&server().url)
        .await
        .expect("the test server's database")
}

/// The PostgreSQL server the tests use instead of SQLite, if any.
pub fn test_postgres() -> Option<String> {
    std::env::var("LABOR_PLAZA_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// A fresh, empty database: on the PostgreSQL server of `LABOR_PLAZA_TEST_POSTGRES` when it is
/// set (with the handle that drops it), else an SQLite file in `dir`.
pub async fn fresh_database_url(
    dir: &std::path::Path,
) -> (String, Option<app::db::postgres::ScratchDatabase>) {
    match test_postgres() {
        Some(base) => {
            let scratch = app::db::postgres::ScratchDatabase::create(&base)
                .await
                .expect("a database on LABOR_PLAZA_TEST_POSTGRES");
            (scratch.url.clone(), Some(scratch))
        }
        None => (format!("sqlite:{}", dir.join("test.db").display()), None),
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn get_json(path: &str) -> (u16, serde_json::Value) {
    let res = client()
        .get(format!("{}{}", server().base, path))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

pub async fn get_text(path: &str) -> (u16, String) {
    let res = client()
        .get(format!("{}{}", server().base, path))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

pub const TEST_PASSWORD: &str = "granite-lantern-47-plaza";

/// Creates an account straight in the test server's database; returns its second-factor secrets.
pub async fn create_account(
    username: &str,
    role: app::domain::procedure::Role,
) -> app::auth::accounts::FirstSecrets {
    create_account_in(username, role, "北京同仁医院").await
}

/// An account; a nominating unit's acts for `unit`.
pub async fn create_account_in(
    username: &str,
    role: app::domain::procedure::Role,
    unit: &str,
) -> app::auth::accounts::FirstSecrets {
    let unit = (role == app::domain::procedure::Role::NominatingUnit).then_some(unit);
    let (user, secrets) =
        app::auth::accounts::prepare(username, "测试账号", role, unit, TEST_PASSWORD).unwrap();
    let audit = app::db::AuditEntry::new(
        "2026-01-01T00:00:00.000Z".into(),
        "test",
        "account.create",
        "user",
    );
    test_db()
        .await
        .accounts
        .create_user(&user, &audit)
        .await
        .unwrap();
    secrets
}

/// Signs in through the login form with a computed authenticator code; returns the Cookie header
/// value.
pub async fn sign_in(username: &str, secrets: &app::auth::accounts::FirstSecrets) -> String {
    use app::clock::Clock;
    let code = app::auth::second_factor::code_at(
        &secrets.totp_secret,
        server().clock.now().timestamp() as u64,
    )
    .unwrap();
    let res = client()
        .post(format!("{}/admin/login", server().base))
        .form(&[
            ("username", username),
            ("password", TEST_PASSWORD),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let set = res
        .headers()
        .get("set-cookie")
        .unwrap_or_else(|| {
            panic!(
                "{username} could not sign in: {:?}",
                res.headers().get("location")
            )
        })
        .to_str()
        .unwrap()
        .to_string();
    set.split(';').next().unwrap().to_string()
}

/// A signed-in account of a role (a unit account acts for `unit`).
pub async fn signed_in(username: &str, role: app::domain::procedure::Role, unit: &str) -> String {
    let secrets = create_account_in(username, role, unit).await;
    sign_in(username, &secrets).await
}

/// POSTs a form as the holder of `cookie`; returns (status, Location).
pub async fn post_form(cookie: &str, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let res = client()
        .post(format!("{}{}", server().base, path))
        .header("Cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), location_of(&res))
}

/// POSTs a form as an anonymous visitor; the `visitor` cookie the server sets (which the kept
/// input of a failed post is bound to) is kept in `visitor` for the next requests.
pub async fn post_as_visitor(
    visitor: &mut String,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let res = client()
        .post(format!("{}{}", server().base, path))
        .header("Cookie", visitor.as_str())
        .form(form)
        .send()
        .await
        .unwrap();
    if let Some(set) = res.headers().get("set-cookie") {
        *visitor = set.to_str().unwrap().split(';').next().unwrap().to_string();
    }
    (res.status().as_u16(), location_of(&res))
}

/// Where a response redirects to ("" when it does not).
pub fn location_of(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// GETs a page as the holder of `cookie`.
pub async fn get_page(cookie: &str, path: &str) -> (u16, String) {
    let res = client()
        .get(format!("{}{}", server().base, path))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// A complete nomination form for year 2025 (the round with seeded quota rules).
pub fn nomination_form<'a>(name: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("version", "0"),
        ("category", "beijing_model"),
        ("year", "2025"),
        ("candidate_name", name),
        ("sex", "F"),
        ("work_unit", "北京公交集团"),
        ("frontline", "1"),
        (
            "report",
            "本单位经民主推荐，一致推荐该同志为北京市劳动模范候选人。",
        ),
        (
            "deeds_short",
            "三十年如一日坚守公交一线，安全行驶一百万公里。",
        ),
        (
            "deeds_full",
            "该同志自参加工作以来，始终坚守在公交运营一线，安全行驶一百万公里，无一次责任事故。",
        ),
    ];
    for (k, v) in extra {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    form
}

/// The id in a `/admin/nominations/{id}?…` location.
pub fn nomination_id(location: &str) -> i64 {
    location
        .trim_start_matches("/admin/nominations/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no nomination id in {location:?}"))
}

/// Runs the server binary with `stdin` on its standard input (a password for create-admin).
pub fn server_command_with_stdin(url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
