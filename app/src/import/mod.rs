//! Getting records in: the reference data, the demo generator and the import of real lists
//! (CSV or Excel, read into one `table::Table`), written as batches that can be undone; and the
//! administrators' import page.
pub mod components;
pub mod model;
pub mod server;

#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod records;
#[cfg(feature = "ssr")]
pub mod reference;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod table;
