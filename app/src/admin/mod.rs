//! The admin area under `/admin`: anonymous visitors get the login page and nothing else.
pub mod accounts_page;
pub mod admin_page;
#[cfg(feature = "ssr")]
pub mod flash;
pub mod login_form;
pub mod nav;
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;
pub mod settings_page;
