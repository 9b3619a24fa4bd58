//! Nominations through 一报告两审核三公示: the use cases that apply the procedure (whose rules
//! are in `domain`) to stored nominations, their server functions and the admin pages.
pub mod components;
pub mod model;
pub mod server;

#[cfg(feature = "ssr")]
pub mod service;
