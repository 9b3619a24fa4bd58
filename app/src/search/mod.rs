//! Search by characters, pinyin and initials: the engine is shared by browser and server.
pub mod components;
pub mod engine;
pub mod model;
#[cfg(feature = "ssr")]
pub mod pinyin;
pub mod server;
