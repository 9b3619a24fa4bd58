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

/// `UPLOADS_DIR`: where nomination attachments are stored (default `data/uploads`).
pub fn uploads_dir() -> std::path::PathBuf {
    std::env::var("UPLOADS_DIR")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("data/uploads"))
}

/// `LABOR_PLAZA_CLOCK_OFFSET_FILE`: for browser tests only, a file holding seconds to add to the
/// clock (so a notice period can pass without waiting days). Only a build with the `test-clock`
/// feature reads it.
#[cfg(feature = "test-clock")]
pub fn clock_offset_file() -> Option<std::path::PathBuf> {
    std::env::var("LABOR_PLAZA_CLOCK_OFFSET_FILE")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(std::path::PathBuf::from)
}
