//! Getting records in: the reference data, the demo generator and the import of real lists
//! (CSV or Excel, read into one `table::Table`).
pub mod csv;
pub mod demo;
pub mod plan;
pub mod records;
pub mod reference;
pub mod report;
pub mod service;
pub mod table;
