pub mod filters;
pub mod stone;
pub mod stone_page;
pub mod wall_page;
pub mod wall_view;
