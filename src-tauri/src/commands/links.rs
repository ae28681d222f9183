//! Opening links from messages in the default browser or mail program, never inside the app.

use url::Url;

use crate::error::AppError;

/// Opens an http(s) or mailto link outside the app.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_external_link(href: String) -> Result<(), AppError> {
    let url = checked_link(&href)?;
    tauri::async_runtime::spawn_blocking(move || open::that_detached(url.as_str()))
        .await
        .map_err(|error| AppError::OpenLink(error.to_string()))?
        .map_err(|error| AppError::OpenLink(error.to_string()))
}

/// Only web and email links leave the app; anything else (file:, javascript:...) is refused.
fn checked_link(href: &str) -> Result<Url, AppError> {
    let url = Url::parse(href).map_err(|_| AppError::ForbiddenLink)?;
    match url.scheme() {
        "http" | "https" | "mailto" => Ok(url),
        _ => Err(AppError::ForbiddenLink),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links_are_opened() {
        assert!(checked_link("https://example.com/a?b=c").is_ok());
        assert!(checked_link("mailto:help@example.com").is_ok());
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "tauri://localhost",
            "x",
        ] {
            assert!(
                matches!(checked_link(bad), Err(AppError::ForbiddenLink)),
                "{bad}"
            );
        }
    }
}
