//! Nominations through 一报告两审核三公示: the procedure and the quotas (domain logic; storage,
//! server functions and pages come with the admin area).
pub mod quotas;
pub mod workflow;
