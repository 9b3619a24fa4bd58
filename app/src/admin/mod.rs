//! The admin area under `/admin`: anonymous visitors get the login page and nothing else.
pub mod admin_page;
pub mod server;
#[cfg(feature = "ssr")]
pub mod flash;
#[cfg(feature = "ssr")]
pub mod service;
