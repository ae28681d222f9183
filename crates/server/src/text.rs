//! Message text normalisation, done once on the server so that every client shows the same text.
//!
//! - `/nosmile` switches emoticon conversion off until `/smile` (or the end of the message);
//!   both keys are removed from the sent text.
//! - Emoticon shortcuts (`:)`, `;)`, `:D`, …, the protocol's [`EMOTICONS`] table that clients
//!   list) become emoji where they stand alone as a word, never inside a link.
//! - The final text is split into [`TextSpan`]s: plain text and http(s)/mailto links.

use linkify::{LinkFinder, LinkKind};
use switchboard_protocol::composer::EMOTICONS;
use switchboard_protocol::TextSpan;

/// Key that switches emoticon conversion off.
const NOSMILE: &str = "/nosmile";
/// Key that switches emoticon conversion back on.
const SMILE: &str = "/smile";

/// A normalised message: the text to store and show, and its display spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalisedText {
    /// The final text (keys removed, emoticons converted, trimmed).
    pub text: String,
    /// `text` split into text and link spans.
    pub spans: Vec<TextSpan>,
}

/// Normalises a message typed by a visitor or an operator.
pub fn normalise(raw: &str) -> NormalisedText {
    let mut text = String::with_capacity(raw.len());
    for (segment, convert) in split_by_keys(raw) {
        if convert {
            text.push_str(&convert_outside_links(segment));
        } else {
            text.push_str(segment);
        }
    }
    let text = text.trim().to_string();
    let spans = spans(&text);
    NormalisedText { text, spans }
}

/// Splits a message at `/nosmile` and `/smile` keys into segments, each marked with whether
/// emoticons are converted in it. Every key (and one space after it) is dropped, even a
/// repeated one.
fn split_by_keys(raw: &str) -> Vec<(&str, bool)> {
    let mut segments = Vec::new();
    let mut convert = true;
    let mut rest = raw;
    while let Some((at, key)) = next_key(rest) {
        segments.push((&rest[..at], convert));
        convert = key == SMILE;
        rest = &rest[at + key.len()..];
        rest = rest.strip_prefix(' ').unwrap_or(rest);
    }
    segments.push((rest, convert));
    segments
}

/// The first `/nosmile` or `/smile` key standing as a whole word in `text`.
fn next_key(text: &str) -> Option<(usize, &'static str)> {
    [NOSMILE, SMILE]
        .into_iter()
        .filter_map(|key| find_key(text, key).map(|at| (at, key)))
        .min_by_key(|(at, _)| *at)
}

/// Finds `key` as a whole word (not a prefix of a longer word like `/smiley`).
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(key) {
        let at = from + found;
        let end = at + key.len();
        let starts_word = text[..at]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let ends_word = text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if starts_word && ends_word {
            return Some(at);
        }
        from = end;
    }
    None
}

/// Converts emoticons in `segment`, leaving links untouched.
fn convert_outside_links(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    let mut last = 0;
    for link in link_finder().links(segment) {
        out.push_str(&convert_emoticons(&segment[last..link.start()]));
        out.push_str(link.as_str());
        last = link.end();
    }
    out.push_str(&convert_emoticons(&segment[last..]));
    out
}

/// Replaces every stand-alone emoticon shortcut in `text` with its emoji.
fn convert_emoticons(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let at_word_start = text[..i]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let replaced = at_word_start
            .then(|| {
                EMOTICONS.iter().find(|(shortcut, _)| {
                    text[i..].starts_with(shortcut)
                        && text[i + shortcut.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| c.is_whitespace() || ".,!?".contains(c))
                })
            })
            .flatten();
        match replaced {
            Some((shortcut, emoji)) => {
                out.push_str(emoji);
                i += shortcut.len();
            }
            None => {
                let c = text[i..].chars().next().expect("i is a char boundary");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

fn link_finder() -> LinkFinder {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url, LinkKind::Email]);
    finder.url_must_have_scheme(false);
    finder
}

/// Splits `text` into plain text and link spans. Only http(s) URLs (with or without a scheme)
/// and email addresses become links.
pub fn spans(text: &str) -> Vec<TextSpan> {
    let mut spans = Vec::new();
    let mut plain = String::new();
    for piece in link_finder().spans(text) {
        match piece.kind().and_then(|kind| href(kind, piece.as_str())) {
            Some(href) => {
                if !plain.is_empty() {
                    spans.push(TextSpan::Text {
                        text: std::mem::take(&mut plain),
                    });
                }
                spans.push(TextSpan::Link {
                    text: piece.as_str().to_string(),
                    href,
                });
            }
            None => plain.push_str(piece.as_str()),
        }
    }
    if !plain.is_empty() {
        spans.push(TextSpan::Text { text: plain });
    }
    spans
}

/// The safe target of a detected link, or `None` for schemes we never link (javascript:, …).
fn href(kind: &LinkKind, found: &str) -> Option<String> {
    match kind {
        LinkKind::Email => Some(format!("mailto:{found}")),
        LinkKind::Url => {
            let lower = found.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                Some(found.to_string())
            } else if lower.contains("://") || lower.contains(':') && !lower.contains('.') {
                None
            } else {
                Some(format!("https://{found}"))
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(raw: &str) -> String {
        normalise(raw).text
    }

    #[test]
    fn converts_stand_alone_emoticons() {
        assert_eq!(text_of("hi :) how are you :D"), "hi 🙂 how are you 😄");
        assert_eq!(text_of(";-) <3"), "😉 ❤️");
        assert_eq!(text_of("great :)!"), "great 🙂!");
    }

    #[test]
    fn leaves_emoticon_like_text_inside_words() {
        assert_eq!(text_of("Note:Dave"), "Note:Dave");
        assert_eq!(text_of("a:)b"), "a:)b");
        assert_eq!(text_of("f(x):)"), "f(x):)");
    }

    #[test]
    fn nosmile_range_is_left_alone_and_keys_are_removed() {
        assert_eq!(text_of("/nosmile :) /smile :)"), ":) 🙂");
        assert_eq!(text_of("code: /nosmile :P"), "code: :P");
        assert_eq!(text_of(":) /nosmile"), "🙂");
    }

    #[test]
    fn smile_without_nosmile_is_just_removed() {
        assert_eq!(text_of("/smile hi :)"), "hi 🙂");
    }

    #[test]
    fn repeated_nosmile_keys_are_removed_and_stay_off_until_smile() {
        assert_eq!(text_of("/nosmile :) /nosmile :D /smile ;)"), ":) :D 😉");
    }

    #[test]
    fn nested_ranges_switch_on_and_off_in_turn() {
        assert_eq!(
            text_of("a :) /nosmile b :) /smile c :) /nosmile d :) /smile e :)"),
            "a 🙂 b :) c 🙂 d :) e 🙂"
        );
        assert_eq!(text_of("/smile /smile :) /nosmile /nosmile :("), "🙂 :(");
    }

    #[test]
    fn trailing_keys_leave_no_trace() {
        assert_eq!(text_of("bye :) /smile"), "bye 🙂");
        assert_eq!(text_of("bye :) /nosmile "), "bye 🙂");
        assert_eq!(text_of("bye :)\n/nosmile\n"), "bye 🙂");
        assert_eq!(text_of("/nosmile"), "");
        assert_eq!(text_of("/nosmile /smile"), "");
    }

    #[test]
    fn keys_followed_by_punctuation_or_a_new_line_still_count() {
        assert_eq!(text_of("/nosmile, :) ok"), ", :) ok");
        assert_eq!(text_of("/nosmile\n:P"), ":P");
        assert_eq!(text_of("x /nosmile\t:P"), "x \t:P");
    }

    #[test]
    fn keys_inside_urls_are_part_of_the_url() {
        assert_eq!(
            text_of("see https://x.io/nosmile :)"),
            "see https://x.io/nosmile 🙂"
        );
        assert_eq!(
            text_of("/nosmile https://x.io/smile :) /smile :)"),
            "https://x.io/smile :) 🙂"
        );
        assert_eq!(text_of("x.io/a/nosmile/b :D"), "x.io/a/nosmile/b 😄");
        let spans = normalise("/nosmile see https://x.io/:D").spans;
        assert_eq!(
            spans.last(),
            Some(&TextSpan::Link {
                text: "https://x.io/:D".into(),
                href: "https://x.io/:D".into()
            })
        );
    }

    #[test]
    fn keys_are_case_sensitive_and_whole_words() {
        assert_eq!(text_of("/NOSMILE :)"), "/NOSMILE 🙂");
        assert_eq!(text_of("/nosmiles :)"), "/nosmiles 🙂");
        assert_eq!(text_of("a/nosmile :)"), "a/nosmile 🙂");
    }

    #[test]
    fn every_emoticon_of_the_table_converts_alone_and_stays_inside_nosmile() {
        for (shortcut, emoji) in EMOTICONS {
            assert_eq!(text_of(&format!("x {shortcut} y")), format!("x {emoji} y"));
            assert_eq!(
                text_of(&format!("/nosmile x {shortcut} y")),
                format!("x {shortcut} y")
            );
        }
    }

    #[test]
    fn keys_inside_longer_words_are_text() {
        assert_eq!(text_of("/smiley :)"), "/smiley 🙂");
    }

    #[test]
    fn emoticons_inside_links_are_not_converted() {
        assert_eq!(
            text_of("see http://x.io/:D/page :D"),
            "see http://x.io/:D/page 😄"
        );
    }

    #[test]
    fn links_and_emails_become_spans() {
        let spans = normalise("mail a@b.io or visit example.com/x now").spans;
        assert_eq!(
            spans,
            vec![
                TextSpan::Text {
                    text: "mail ".into()
                },
                TextSpan::Link {
                    text: "a@b.io".into(),
                    href: "mailto:a@b.io".into()
                },
                TextSpan::Text {
                    text: " or visit ".into()
                },
                TextSpan::Link {
                    text: "example.com/x".into(),
                    href: "https://example.com/x".into()
                },
                TextSpan::Text {
                    text: " now".into()
                },
            ]
        );
    }

    #[test]
    fn dangerous_schemes_are_never_links() {
        let spans = normalise("javascript:alert(1) <b>x</b>").spans;
        assert_eq!(
            spans,
            vec![TextSpan::Text {
                text: "javascript:alert(1) <b>x</b>".into()
            }]
        );
    }

    #[test]
    fn html_is_kept_as_plain_text() {
        assert_eq!(
            text_of("<img src=x onerror=alert(1)>"),
            "<img src=x onerror=alert(1)>"
        );
    }
}
