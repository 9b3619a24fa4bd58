pub mod results_page;
pub mod search_box;
