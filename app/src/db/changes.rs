//! Word of changes to the public records made elsewhere (another instance, the import command),
//! so every server rebuilds its catalogue soon after a change commits anywhere.

use async_trait::async_trait;

use super::error::DbError;

/// A backend that can push word of changes.
#[async_trait]
pub trait ChangeFeed: Send + Sync + 'static {
    /// A listener for changes, or `None` where the backend cannot push them (SQLite: the server
    /// asks for the data stamp instead).
    async fn listen(&self) -> Result<Option<Box<dyn ChangeListener>>, DbError>;
}

/// What a listener heard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The records changed.
    Changed,
    /// The connection was lost and made again: notices sent meanwhile are gone, so whatever
    /// depends on them must be checked again.
    Reconnected,
}

/// One open subscription to the changes.
#[async_trait]
pub trait ChangeListener: Send {
    /// Waits for the next notice. An error means the listener could not reconnect; the caller
    /// drops it and listens again later.
    async fn next(&mut self) -> Result<Notice, DbError>;
}
