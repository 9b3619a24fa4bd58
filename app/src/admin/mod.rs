//! The admin area under `/admin`: anonymous visitors get the login page and nothing else.
pub mod accounts_page;
pub mod admin_page;
pub mod nav;
pub mod server;
pub mod settings_page;
#[cfg(feature = "ssr")]
pub mod flash;
#[cfg(feature = "ssr")]
pub mod service;
