pub mod charts;
pub mod stats_page;
