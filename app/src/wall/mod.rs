//! The name wall: stroke ordering, layout, the outline shared with the browser, and the page.
pub mod components;
pub mod engraving;
#[cfg(feature = "ssr")]
pub mod layout;
pub mod model;
pub mod server;
#[cfg(feature = "ssr")]
pub mod strokes;
