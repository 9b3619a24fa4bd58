//! The HTTP handlers of the admin area and the public notices, one file per capability. Each is
//! a few lines: extract the caller and the input (`crate::forms`), call the use case in `app`
//! (which checks role and object first), answer its [`Outcome`](crate::forms::Outcome). Every
//! state-changing request is a plain form post (POST → 303 → GET), so all of it works without
//! JavaScript.
pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod errata;
pub mod imports;
pub mod kiosks;
pub mod nominations;
pub mod notices;
pub mod sessions;
pub mod settings;
