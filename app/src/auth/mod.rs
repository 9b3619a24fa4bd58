//! Admin accounts: password policy and hashing, the second factor. Sessions, login and the admin
//! pages build on these.
pub mod accounts;
pub mod password;
pub mod second_factor;
pub mod session;
