//! What a backend does once, for all its stores.

use async_trait::async_trait;

use super::error::DbError;

/// What a backend does once for all its stores.
#[async_trait]
pub trait Schema: Send + Sync + 'static {
    /// Brings the schema up to date.
    async fn migrate(&self) -> Result<(), DbError>;
}
