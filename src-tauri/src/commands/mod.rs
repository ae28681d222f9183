//! The typed commands the UI calls. Each is thin: it checks its input and delegates to
//! [`crate::account`], the session's client or the OS. Errors reach the UI as `{code, message}`.

pub mod account;
pub mod chat;
pub mod composer;
pub mod files;
pub mod links;
pub mod preferences;
pub mod snip;
pub mod team;
pub mod visitors;
