//! The domain kernel: plain types and rules with no Leptos, no SQL and no I/O, used by every
//! layer above it (stores, use cases, handlers, components). Each type that guards input has a
//! `parse` that either returns a valid value or says what is wrong.
pub mod honours;
pub mod local_path;
pub mod text;
