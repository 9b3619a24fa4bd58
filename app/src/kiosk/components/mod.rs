pub mod fleet_page;
pub mod keyboard;
pub mod kiosk_app;
pub mod kiosk_page;
pub mod register_page;
pub mod screens;
