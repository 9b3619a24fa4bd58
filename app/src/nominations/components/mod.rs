pub mod detail_page;
pub mod field;
pub mod form_page;
pub mod list_page;
