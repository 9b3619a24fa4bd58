//! The data layer's one error type.

/// Errors of the data layer. They stay on the server: the HTTP edge maps them to a generic
/// message (see `crate::error`).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Holds only the URL's scheme: the rest may carry a password.
    #[error(
        "unsupported database URL scheme {0:?}: use sqlite:PATH or postgres://USER@HOST:PORT/DATABASE"
    )]
    UnsupportedUrl(String),
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
    /// Something this backend does not do itself (with what to use instead).
    #[error("{0}")]
    Unsupported(String),
    /// A backup or restore that could not be done or did not check out.
    #[error("{0}")]
    Backup(String),
}
