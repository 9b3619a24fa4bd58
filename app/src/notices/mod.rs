//! Public notices (公示): working-day periods, their lengths, objections from the public, and the
//! public `/notices` pages.
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod components;
#[cfg(feature = "ssr")]
pub mod objection;
#[cfg(feature = "ssr")]
pub mod periods;
pub mod server;
