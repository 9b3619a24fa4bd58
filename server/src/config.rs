//! Configuration from the environment (see the README).

/// `DATABASE_URL`, or an SQLite file under `data/` (created if missing).
pub fn database_url() -> String {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| {
            let _ = std::fs::create_dir_all("data");
            "sqlite:data/labor-plaza.db".to_string()
        })
}
