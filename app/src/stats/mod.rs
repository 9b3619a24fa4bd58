//! Statistics of the wall and the honours.
pub mod components;
#[cfg(feature = "ssr")]
pub mod export;
pub mod model;
pub mod server;
