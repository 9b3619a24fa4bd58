//! Changes pushed with `LISTEN labor_plaza_data` (the data_version triggers `NOTIFY` it when a
//! change to the public records commits).

use async_trait::async_trait;
use sqlx::postgres::PgListener;

use super::PostgresDatabase;
use crate::db::changes::{ChangeFeed, ChangeListener, Notice};
use crate::db::error::DbError;

/// The channel the migration's `bump_data_version()` notifies.
const CHANNEL: &str = "labor_plaza_data";

#[async_trait]
impl ChangeFeed for PostgresDatabase {
    async fn listen(&self) -> Result<Option<Box<dyn ChangeListener>>, DbError> {
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(Box::new(Listener(listener))))
    }
}

struct Listener(PgListener);

#[async_trait]
impl ChangeListener for Listener {
    async fn next(&mut self) -> Result<Notice, DbError> {
        // `try_recv` answers None once it has made a lost connection again (and listens on it):
        // `recv` would hide that notices were missed.
        Ok(match self.0.try_recv().await? {
            Some(_) => Notice::Changed,
            None => Notice::Reconnected,
        })
    }
}
