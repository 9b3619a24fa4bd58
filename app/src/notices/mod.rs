//! Public notices (公示): the public `/notices` pages and objections from the public. The
//! working-day calendar, notice lengths and objection rules are in `domain`.
pub mod components;
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;
