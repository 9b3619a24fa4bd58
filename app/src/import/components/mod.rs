//! The administrators' import page and the report an upload answers with.
pub mod imports_page;
pub mod report_page;
