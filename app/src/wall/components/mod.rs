pub mod filters;
pub mod level_of_detail;
pub mod name_cells;
pub mod stone;
pub mod stone_page;
pub mod view_transform;
pub mod wall_page;
pub mod wall_view;
