//! Statistics of the wall and the honours.
pub mod components;
pub mod model;
pub mod server;
