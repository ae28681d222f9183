//! The message-text pipeline (`/nosmile`, `/smile`, emoticons, links): it never panics, its
//! spans put together give back its text exactly, links only ever point to http(s) or mailto,
//! and text with no keys and no emoticon shortcuts passes through unchanged (trimmed).

use switchboard_protocol::composer::EMOTICONS;
use switchboard_protocol::TextSpan;
use switchboard_server::text::normalise;

/// Normalises `data` (as the server does with every message) and checks the result.
pub fn check(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let normalised = normalise(raw);
    let text = &normalised.text;
    assert_eq!(text.trim(), text, "the text is trimmed");

    let mut joined = String::with_capacity(text.len());
    let mut previous_was_text = false;
    for span in &normalised.spans {
        match span {
            TextSpan::Text { text } => {
                assert!(!text.is_empty(), "an empty text span");
                assert!(!previous_was_text, "two text spans in a row");
                previous_was_text = true;
                joined.push_str(text);
            }
            TextSpan::Link { text, href } => {
                assert!(!text.is_empty(), "an empty link");
                let lower = href.to_ascii_lowercase();
                assert!(
                    lower.starts_with("https://")
                        || lower.starts_with("http://")
                        || lower.starts_with("mailto:"),
                    "a link to {href:?}"
                );
                previous_was_text = false;
                joined.push_str(text);
            }
        }
    }
    assert_eq!(&joined, text, "the spans re-concatenate to the text");

    let growth = EMOTICONS
        .iter()
        .map(|(shortcut, emoji)| emoji.len().div_ceil(shortcut.len()))
        .max()
        .unwrap_or(1);
    assert!(text.len() <= raw.len() * growth, "the text grew too much");

    let has_key = raw.contains("/nosmile") || raw.contains("/smile");
    let has_emoticon = EMOTICONS.iter().any(|(shortcut, _)| raw.contains(shortcut));
    if !has_key && !has_emoticon {
        assert_eq!(text, raw.trim(), "plain text is left alone");
    }
}
