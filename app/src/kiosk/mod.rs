//! Kiosks at the plaza: registration, heartbeats and the administrators' fleet page.
pub mod components;
pub mod directory;
pub mod model;
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;
pub mod snapshot;
