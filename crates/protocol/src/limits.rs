//! Limits every party enforces. The server is the authority; clients check early to give a
//! clear message before sending.

/// Longest message text, in bytes of UTF-8.
pub const MAX_MESSAGE_BYTES: usize = 8 * 1024;
/// Largest WebSocket frame/message the server accepts, in bytes.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
/// Largest file an account may allow, in bytes (100 MB).
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;
/// Longest file name kept for a shared file, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 200;
/// Messages per second a single connection may send before frames are refused.
pub const MESSAGES_PER_SECOND: u32 = 20;
/// Burst of messages a connection may send at once.
pub const MESSAGE_BURST: u32 = 40;
/// Longest visitor or operator display name, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest page URL a widget may report, in bytes.
pub const MAX_URL_BYTES: usize = 2048;
/// Longest page title a widget may report, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest value of one pre-chat survey field, in characters.
pub const MAX_SURVEY_VALUE_CHARS: usize = 500;
/// Most pre-chat survey fields a visitor may send.
pub const MAX_SURVEY_FIELDS: usize = 20;
/// Most events replayed on resume; past this gap the client gets a snapshot instead.
pub const MAX_REPLAY_EVENTS: u32 = 1000;
/// Most events a history page holds.
pub const MAX_HISTORY_PAGE: u32 = 500;
/// Lifetime of an operator session token, in seconds (30 days).
pub const SESSION_TTL_SECS: i64 = 30 * 24 * 3600;
/// Failed logins per minute allowed for one email address before login is refused.
pub const LOGIN_ATTEMPTS_PER_MINUTE: u32 = 5;
