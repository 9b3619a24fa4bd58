//! Page furniture shared by every capability.
pub mod field;
pub mod islands_loader;
pub mod layout;
pub mod not_found;
pub mod open_data;
pub mod read_page;
