//! A real server on port 0 with a fresh temporary database, shared by the tests of one binary.
#![allow(dead_code)]

use std::sync::OnceLock;

use leptos::prelude::LeptosOptions;

pub struct TestServer {
    pub base: String,
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
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite:{}", dir.path().join("test.db").display());
                let clock = app::clock::ManualClock::new(chrono::Utc::now());
                let state = server::prepare_state(&url, true)
                    .await
                    .expect("state")
                    .with_clock(std::sync::Arc::new(clock.clone()));
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let base = format!("http://{}", listener.local_addr().unwrap());
                let app = server::router(state.clone(), options());
                tx.send(TestServer {
                    base,
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
    role: app::nominations::workflow::Role,
) -> app::auth::accounts::FirstSecrets {
    let unit = (role == app::nominations::workflow::Role::NominatingUnit).then_some("北京同仁医院");
    let (user, secrets) =
        app::auth::accounts::prepare(username, "测试账号", role, unit, TEST_PASSWORD).unwrap();
    let audit = app::db::AuditEntry::new(
        "2026-01-01T00:00:00.000Z".into(),
        "test",
        "account.create",
        "user",
    );
    server().state.db.create_user(&user, &audit).await.unwrap();
    secrets
}
