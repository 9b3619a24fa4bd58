pub mod detail_page;
pub mod form_page;
pub mod list_page;
