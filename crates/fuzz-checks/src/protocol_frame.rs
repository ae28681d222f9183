//! The wire decoder: any text a socket may carry is either refused or decodes into a request
//! that encodes back to the same request; decoded visitor input comes out of the server's
//! checks bounded (http(s) URLs only, titles, names and time zones cut to their limits).

use switchboard_protocol::limits::{MAX_NAME_CHARS, MAX_TITLE_CHARS, MAX_URL_BYTES};
use switchboard_protocol::{AgentEvent, AgentRequest, PageInfo, VisitorEvent, VisitorRequest};
use switchboard_server::validate;

/// Decodes `data` as every frame type both sides read, and checks what decodes.
pub fn check(data: &[u8]) {
    // The server reads text frames only; a frame is valid UTF-8 or never reaches the decoder.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(AgentRequest::Send { text, .. }) = round_trip::<AgentRequest>(text) {
        let _ = validate::message_text(&text);
    }
    if let Some(request) = round_trip::<VisitorRequest>(text) {
        check_visitor(request);
    }
    round_trip::<AgentEvent>(text);
    round_trip::<VisitorEvent>(text);
}

/// Decodes `text`; what decodes must encode and decode again to the same value.
fn round_trip<T>(text: &str) -> Option<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let decoded: T = serde_json::from_str(text).ok()?;
    let encoded = serde_json::to_string(&decoded).expect("a decoded frame encodes");
    let again: T = serde_json::from_str(&encoded).expect("an encoded frame decodes");
    assert_eq!(again, decoded, "round trip changed the frame {encoded}");
    Some(decoded)
}

/// Runs the server's checks on visitor input and checks their bounds.
fn check_visitor(request: VisitorRequest) {
    match request {
        VisitorRequest::Hello {
            page, time_zone, ..
        } => {
            check_page(page);
            if let Some(zone) = validate::time_zone(time_zone) {
                assert!(zone.len() <= 64, "time zone {zone:?} kept");
            }
        }
        VisitorRequest::PageView { page } => check_page(page),
        VisitorRequest::Send { text, .. } | VisitorRequest::AnswerInvitation { text, .. } => {
            let _ = validate::message_text(&text);
        }
        VisitorRequest::OfflineMessage {
            name, email, text, ..
        } => {
            if let Some(name) = validate::name(&name) {
                assert!(!name.is_empty() && name.chars().count() <= MAX_NAME_CHARS);
            }
            let _ = validate::looks_like_email(&email);
            let _ = validate::message_text(&text);
        }
        _ => {}
    }
}

fn check_page(page: PageInfo) {
    let page = validate::page(page);
    for url in std::iter::once(&page.url).chain(page.referrer.as_ref()) {
        assert!(
            url.len() <= MAX_URL_BYTES,
            "URL of {} bytes kept",
            url.len()
        );
        assert!(
            url.is_empty() || url.starts_with("http://") || url.starts_with("https://"),
            "non-web URL {url:?} kept"
        );
    }
    assert!(page.title.chars().count() <= MAX_TITLE_CHARS);
}
