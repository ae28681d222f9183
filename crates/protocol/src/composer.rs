//! What the message composer shares with the server: canned responses (company-wide and
//! personal, kept on the server so they follow the operator), the emoticon table the server
//! converts with, and the limits of typing signals.
//!
//! Canned responses travel as whole lists: the server sends an operator
//! [`crate::AgentEvent::CannedResponses`] after `Welcome` and the replay, and again after every
//! change that concerns them, so every client of that operator shows the same list in the same
//! order.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Longest canned response text, in bytes (a canned response is sent as a message).
pub const MAX_CANNED_TEXT_BYTES: usize = crate::limits::MAX_MESSAGE_BYTES;
/// Longest canned response title or group name, in characters.
pub const MAX_CANNED_LABEL_CHARS: usize = 100;
/// Longest shortcut (without its `#`), in characters.
pub const MAX_SHORTCUT_CHARS: usize = 32;
/// Most canned responses in one scope (the company's, or one operator's own).
pub const MAX_CANNED_PER_SCOPE: usize = 2000;
/// Typing signals one side of a conversation may send per second; more are dropped.
pub const TYPING_FRAMES_PER_SECOND: u32 = 4;
/// Longest unsent text a sneak peek carries, in bytes.
pub const MAX_SNEAK_PEEK_BYTES: usize = crate::limits::MAX_MESSAGE_BYTES;

/// Who a canned response belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CannedScope {
    /// Shared by every operator; only admins change them.
    Company,
    /// The operator's own.
    Personal,
}

/// A stored canned response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CannedResponse {
    /// Stable id.
    pub id: String,
    /// Company-wide or the operator's own.
    pub scope: CannedScope,
    /// Group it is listed under (e.g. "Greetings"); empty for none.
    pub group: String,
    /// Shortcut typed after `#` to expand it (e.g. `thanks`), if any.
    pub shortcut: Option<String>,
    /// Short name shown in lists.
    pub title: String,
    /// The text, with placeholders such as `{visitor.name}`.
    pub text: String,
}

/// What an operator writes when creating or editing a canned response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CannedDraft {
    /// Company-wide (admins only) or personal.
    pub scope: CannedScope,
    /// Group name; empty for none.
    pub group: String,
    /// Shortcut without `#`: letters, digits, `-` and `_`; `None` for none.
    pub shortcut: Option<String>,
    /// Short name.
    pub title: String,
    /// The text.
    pub text: String,
}

/// One emoticon the server converts: the typed shortcut and the emoji it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Emoticon {
    /// What is typed, e.g. `:)`.
    pub shortcut: String,
    /// What the server turns it into.
    pub emoji: String,
}

/// Text shortcuts and their emoji, longest shortcut first so that `:-)` wins over `:)`. The
/// server converts with this table; clients list it (see [`emoticons`]).
pub const EMOTICONS: &[(&str, &str)] = &[
    (">:(", "😠"),
    (":'(", "😢"),
    (":-)", "🙂"),
    (";-)", "😉"),
    (":-D", "😄"),
    (":-(", "🙁"),
    (":-P", "😛"),
    (":-p", "😛"),
    (":-O", "😮"),
    (":-o", "😮"),
    ("B-)", "😎"),
    ("</3", "💔"),
    (":)", "🙂"),
    (";)", "😉"),
    (":D", "😄"),
    (":(", "🙁"),
    (":P", "😛"),
    (":p", "😛"),
    (":O", "😮"),
    (":o", "😮"),
    (":|", "😐"),
    (":*", "😘"),
    ("<3", "❤️"),
];

/// The emoticon table as values, for clients that list it.
pub fn emoticons() -> Vec<Emoticon> {
    EMOTICONS
        .iter()
        .map(|(shortcut, emoji)| Emoticon {
            shortcut: (*shortcut).to_owned(),
            emoji: (*emoji).to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_shortcuts_come_before_their_prefixes() {
        for (i, (longer, _)) in EMOTICONS.iter().enumerate() {
            for (shorter, _) in &EMOTICONS[..i] {
                assert!(
                    !longer.starts_with(shorter) || longer == shorter,
                    "{longer} is listed after its prefix {shorter}"
                );
            }
        }
    }
}
