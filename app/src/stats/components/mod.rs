pub mod stats_page;
