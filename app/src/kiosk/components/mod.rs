pub mod fleet_page;
pub mod kiosk_page;
