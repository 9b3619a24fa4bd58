//! Records as kept against the stones: the errata list (where a record's name differs from what
//! the stone says), for administrators to read, print and download for the next re-cutting.
pub mod components;
pub mod model;
pub mod server;

#[cfg(feature = "ssr")]
pub mod service;
