//! Checks on untrusted input from widgets and agent clients: bounded lengths, known survey
//! fields, sane URLs. Everything here returns a clear [`ProtocolError`] or a cleaned value.

use switchboard_protocol::limits::{
    MAX_MESSAGE_BYTES, MAX_NAME_CHARS, MAX_SURVEY_FIELDS, MAX_SURVEY_VALUE_CHARS, MAX_TITLE_CHARS,
    MAX_URL_BYTES,
};
use switchboard_protocol::SurveyFieldKind;
use switchboard_protocol::{ErrorCode, PageInfo, ProtocolError, SurveyAnswer, SurveyField};

/// Checks a message's size and that it has content.
pub fn message_text(text: &str) -> Result<(), ProtocolError> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(ProtocolError::new(
            ErrorCode::TooLarge,
            format!("messages are limited to {MAX_MESSAGE_BYTES} bytes"),
        ));
    }
    if text.trim().is_empty() {
        return Err(ProtocolError::new(
            ErrorCode::Invalid,
            "the message is empty",
        ));
    }
    Ok(())
}

/// Checks a client message id (an opaque key of reasonable size).
pub fn client_msg_id(id: &str) -> Result<(), ProtocolError> {
    if id.is_empty() || id.len() > 64 {
        return Err(ProtocolError::new(
            ErrorCode::Invalid,
            "client_msg_id must be 1 to 64 bytes",
        ));
    }
    Ok(())
}

/// Bounds a page report: http(s) URLs only, long values cut.
pub fn page(page: PageInfo) -> PageInfo {
    PageInfo {
        url: web_url(&page.url).unwrap_or_default(),
        title: truncate_chars(&page.title, MAX_TITLE_CHARS),
        referrer: page.referrer.as_deref().and_then(web_url),
    }
}

fn web_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https")
        .then(|| truncate_bytes(parsed.as_str(), MAX_URL_BYTES))
}

/// Bounds an IANA time zone name reported by a browser.
pub fn time_zone(zone: Option<String>) -> Option<String> {
    zone.filter(|zone| {
        !zone.is_empty()
            && zone.len() <= 64
            && zone
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
    })
}

/// Checks survey answers against the configured fields.
pub fn survey(
    fields: &[SurveyField],
    answers: Vec<SurveyAnswer>,
) -> Result<Vec<SurveyAnswer>, ProtocolError> {
    let invalid = |message: String| Err(ProtocolError::new(ErrorCode::Invalid, message));
    if answers.len() > MAX_SURVEY_FIELDS {
        return invalid(format!("at most {MAX_SURVEY_FIELDS} survey answers"));
    }
    let mut cleaned = Vec::with_capacity(answers.len());
    for answer in answers {
        let Some(field) = fields.iter().find(|f| f.key == answer.key) else {
            return invalid(format!(
                "unknown survey field '{}'",
                truncate_chars(&answer.key, 40)
            ));
        };
        if answer.value.chars().count() > MAX_SURVEY_VALUE_CHARS {
            return invalid(format!(
                "'{}' is longer than {MAX_SURVEY_VALUE_CHARS} characters",
                field.label
            ));
        }
        let value = answer.value.trim().to_string();
        if field.kind == SurveyFieldKind::Email && !value.is_empty() && !looks_like_email(&value) {
            return invalid(format!("'{}' is not an email address", field.label));
        }
        cleaned.push(SurveyAnswer {
            key: answer.key,
            value,
        });
    }
    for field in fields.iter().filter(|f| f.required) {
        let answered = cleaned
            .iter()
            .any(|a| a.key == field.key && !a.value.is_empty());
        if !answered {
            return invalid(format!("'{}' is required", field.label));
        }
    }
    Ok(cleaned)
}

/// A display name: trimmed and bounded, `None` if empty.
pub fn name(name: &str) -> Option<String> {
    let name = truncate_chars(name.trim(), MAX_NAME_CHARS);
    (!name.is_empty()).then_some(name)
}

/// A plausible email address (one `@`, something on both sides, a dot in the domain).
pub fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

fn truncate_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fn truncate_bytes(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, kind: SurveyFieldKind, required: bool) -> SurveyField {
        SurveyField {
            key: key.into(),
            label: key.into(),
            kind,
            required,
        }
    }

    fn answer(key: &str, value: &str) -> SurveyAnswer {
        SurveyAnswer {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn survey_requires_required_fields_and_valid_emails() {
        let fields = [
            field("name", SurveyFieldKind::Text, true),
            field("email", SurveyFieldKind::Email, false),
        ];
        assert!(survey(&fields, vec![answer("email", "a@b.io")]).is_err());
        assert!(survey(
            &fields,
            vec![answer("name", "Ann"), answer("email", "nope")]
        )
        .is_err());
        assert!(survey(&fields, vec![answer("name", "Ann"), answer("other", "x")]).is_err());
        let ok = survey(&fields, vec![answer("name", " Ann ")]).unwrap();
        assert_eq!(ok, vec![answer("name", "Ann")]);
    }

    #[test]
    fn pages_keep_only_web_urls_and_bounded_titles() {
        let cleaned = page(PageInfo {
            url: "javascript:alert(1)".into(),
            title: "t".repeat(1000),
            referrer: Some("https://example.com/".into()),
        });
        assert_eq!(cleaned.url, "");
        assert_eq!(cleaned.title.chars().count(), MAX_TITLE_CHARS);
        assert_eq!(cleaned.referrer.as_deref(), Some("https://example.com/"));
    }

    #[test]
    fn messages_are_bounded_and_not_empty() {
        assert!(message_text("hello").is_ok());
        assert_eq!(message_text("  ").unwrap_err().code, ErrorCode::Invalid);
        let big = "x".repeat(MAX_MESSAGE_BYTES + 1);
        assert_eq!(message_text(&big).unwrap_err().code, ErrorCode::TooLarge);
    }

    #[test]
    fn time_zones_are_iana_like() {
        assert_eq!(
            time_zone(Some("Europe/Berlin".into())).as_deref(),
            Some("Europe/Berlin")
        );
        assert_eq!(time_zone(Some("<script>".into())), None);
    }
}
