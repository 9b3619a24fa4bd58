pub mod filters;
pub mod stone;
pub mod wall_page;
pub mod wall_view;
