//! Getting records in: the reference data, the demo generator and the CSV import of real lists.
pub mod csv;
pub mod demo;
pub mod plan;
pub mod reference;
