//! Kiosks at the plaza: registration, heartbeats and the administrators' fleet page.
pub mod components;
#[cfg(feature = "ssr")]
pub mod directory;
pub mod model;
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;
