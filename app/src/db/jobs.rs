//! Scheduled work shared by several instances: a lease in the database says which instance runs
//! it, and passes to another when its holder stops renewing it (it died, or lost the database).

use async_trait::async_trait;

use super::error::DbError;

#[async_trait]
pub trait LeaseStore: Send + Sync + 'static {
    /// Takes or renews the lease `name` for `holder` until `until`, in one atomic statement: it
    /// is taken when nobody holds it, its holder's time ran out (`expires_at <= now`), or
    /// `holder` holds it already. True when `holder` holds it afterwards.
    async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        now: &str,
        until: &str,
    ) -> Result<bool, DbError>;
    /// Gives the lease up (on shutdown), if `holder` holds it.
    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), DbError>;
    /// Who holds the lease `name` now, if anyone.
    async fn lease_holder(&self, name: &str, now: &str) -> Result<Option<String>, DbError>;
}
