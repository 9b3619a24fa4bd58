pub mod fleet_page;
