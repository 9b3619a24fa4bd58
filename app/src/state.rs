//! Server state shared by pages, server functions and the API.
use std::sync::{Arc, RwLock};

use crate::catalog::Catalog;
use crate::clock::{Clock, SystemClock};
use crate::db::{CatalogueStore, DbError, Stores};

/// Cloned for every request, every page and every server function: one reference count, not one
/// per store (cloning the fields one by one was several per cent of a page's CPU).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

#[derive(Clone)]
pub struct Shared {
    pub db: Stores,
    pub clock: Arc<dyn Clock>,
    catalog: Arc<RwLock<Arc<Catalog>>>,
    /// The data stamp the catalogue was built from.
    stamp: Arc<RwLock<String>>,
    /// Where nomination attachments are stored.
    pub uploads_dir: Arc<std::path::PathBuf>,
    reloading: Arc<tokio::sync::Mutex<()>>,
    /// Names the release of the pages' scripts and styles (a hash of the files the browser
    /// loads): a kiosk that runs another reloads itself when nobody is using it.
    pub page_version: Arc<str>,
}

impl AppState {
    /// Loads everything public into memory.
    pub async fn load(db: Stores) -> Result<Self, DbError> {
        let stamp = db.catalogue.data_stamp().await?;
        let catalog = Self::build_catalog(&*db.catalogue, &stamp).await?;
        Ok(AppState(Arc::new(Shared {
            db,
            clock: Arc::new(SystemClock),
            catalog: Arc::new(RwLock::new(Arc::new(catalog))),
            stamp: Arc::new(RwLock::new(stamp)),
            uploads_dir: Arc::new(std::path::PathBuf::from("data/uploads")),
            reloading: Arc::default(),
            page_version: Arc::from(env!("CARGO_PKG_VERSION")),
        })))
    }

    /// Rebuilds the catalogue if the records changed since it was built (for instance by
    /// `server import` in another process). Returns whether it did.
    pub async fn refresh_if_changed(&self) -> Result<bool, DbError> {
        let stamp = self.db.catalogue.data_stamp().await?;
        if *self.stamp.read().unwrap_or_else(|p| p.into_inner()) == stamp {
            return Ok(false);
        }
        self.reload().await?;
        Ok(true)
    }

    async fn build_catalog(
        catalogue: &dyn CatalogueStore,
        stamp: &str,
    ) -> Result<Catalog, DbError> {
        let data = catalogue.load().await?;
        let mut catalog = tokio::task::spawn_blocking(move || Catalog::build(&data.public()))
            .await
            .map_err(|e| DbError::Inconsistent(format!("catalogue build failed: {e}")))?;
        // The built version hashes what the wall and search show; a correction elsewhere in a
        // record (deeds, media) changes only the data stamp. Both go into the version, which
        // keys the page cache and the ETags, so no page outlives the record it shows.
        catalog.version = format!("{}-{stamp}", catalog.version);
        Ok(catalog)
    }

    /// The same state storing attachments under `dir`.
    pub fn with_page_version(self, version: &str) -> Self {
        self.with(|shared| shared.page_version = Arc::from(version))
    }

    pub fn with_uploads_dir(self, dir: std::path::PathBuf) -> Self {
        self.with(|shared| shared.uploads_dir = Arc::new(dir))
    }

    /// The same state with another clock (tests).
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        self.with(|shared| shared.clock = clock)
    }

    /// A copy with one setting changed (while the server is being put together).
    fn with(self, change: impl FnOnce(&mut Shared)) -> Self {
        let mut shared = Arc::unwrap_or_clone(self.0);
        change(&mut shared);
        AppState(Arc::new(shared))
    }

    /// A snapshot of the catalogue; readers never wait for a rebuild.
    /// The catalogue with its kiosk snapshot made: the first time on the blocking pool, since it
    /// takes a moment (a second search index, megabytes of JSON) and must not hold an async
    /// worker while other requests wait.
    pub async fn catalog_with_kiosk(&self) -> Arc<Catalog> {
        let catalog = self.catalog();
        if catalog.kiosk_ready() {
            return catalog;
        }
        let made = catalog.clone();
        let _ = tokio::task::spawn_blocking(move || {
            made.kiosk();
        })
        .await;
        catalog
    }

    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Rebuilds the catalogue after the data changed.
    pub async fn reload(&self) -> Result<(), DbError> {
        // One rebuild at a time, so an older one can never finish last.
        let _one_at_a_time = self.reloading.lock().await;
        // The stamp is read before the records: a change made while they load is seen next time.
        let stamp = self.db.catalogue.data_stamp().await?;
        let fresh = Arc::new(Self::build_catalog(&*self.db.catalogue, &stamp).await?);
        *self
            .catalog
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = fresh;
        *self.stamp.write().unwrap_or_else(|p| p.into_inner()) = stamp;
        Ok(())
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state from a server function's context; a missing state is a wiring bug, reported as
/// "unavailable" rather than a panic.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("state", "AppState missing from context"))
}
