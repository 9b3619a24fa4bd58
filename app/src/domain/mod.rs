//! The domain kernel: plain types and rules with no Leptos, no SQL and no I/O, used by every
//! layer above it (stores, use cases, handlers, components). Each type that guards input has a
//! `parse` that either returns a valid value or says what is wrong.
pub mod honours;
/// Kiosks: registration and heartbeats.
pub mod kiosk;
pub mod local_path;
pub mod names;
/// The plan of a monument's grounds and the step-free way to a stone.
pub mod plaza;
/// The procedure 一报告两审核三公示: roles, stages, actions and the legal transitions.
pub mod procedure;
pub mod quotas;
pub mod text;

#[cfg(feature = "ssr")]
pub mod attachments;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod notice_periods;
#[cfg(feature = "ssr")]
pub mod objection;
#[cfg(feature = "ssr")]
pub mod packet;
#[cfg(feature = "ssr")]
pub mod review;
