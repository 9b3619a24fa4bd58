//! Public notices (公示): working-day periods; listing and objections come with the admin area.
pub mod calendar;
