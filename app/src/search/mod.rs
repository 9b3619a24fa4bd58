//! Search by characters, pinyin and initials: the engine is shared by browser and server.
#[cfg(all(test, feature = "ssr"))]
mod bench;
#[cfg(feature = "ssr")]
pub mod build;
pub mod components;
pub mod engine;
pub mod model;
pub mod normalise;
#[cfg(feature = "ssr")]
pub mod pinyin;
pub mod server;
#[cfg(feature = "ssr")]
pub mod variants;
