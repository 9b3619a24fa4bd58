//! Public notices (公示): working-day periods, their lengths, and objections from the public.
pub mod calendar;
pub mod objection;
pub mod periods;
