//! Laureate profiles.
pub mod components;
pub mod model;
pub mod server;
#[cfg(feature = "ssr")]
pub mod export;
