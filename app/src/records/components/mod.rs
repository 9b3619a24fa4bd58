//! The administrators' errata page.
pub mod errata_page;
