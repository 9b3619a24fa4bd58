pub mod notice_page;
pub mod notices_page;
