pub mod profile_page;
