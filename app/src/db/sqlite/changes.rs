//! SQLite cannot push word of changes: servers ask for the data stamp (a one-row read).

use async_trait::async_trait;

use super::SqliteDatabase;
use crate::db::changes::{ChangeFeed, ChangeListener};
use crate::db::error::DbError;

#[async_trait]
impl ChangeFeed for SqliteDatabase {
    async fn listen(&self) -> Result<Option<Box<dyn ChangeListener>>, DbError> {
        Ok(None)
    }
}
