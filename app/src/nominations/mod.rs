//! Nominations through 一报告两审核三公示: the procedure, the packet, attachments, reviews and
//! quotas (pure domain code), the service that applies them to stored nominations, and the
//! admin pages.
pub mod components;
pub mod model;
pub mod quotas;
pub mod server;
pub mod workflow;

#[cfg(feature = "ssr")]
pub mod attachments;
#[cfg(feature = "ssr")]
pub mod packet;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod service;
