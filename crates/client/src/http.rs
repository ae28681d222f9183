//! Login and logout over HTTP. Error bodies ([`HttpError`]) become [`ClientError`]s, so callers
//! branch on one error type for HTTP and WebSocket alike.

use std::time::Duration;

use reqwest::StatusCode;
use switchboard_protocol::http::{HttpError, LoginRequest, LoginResponse};
use switchboard_protocol::ErrorCode;
use url::Url;

use crate::{endpoints, ClientError};

/// How long one HTTP call may take before it fails with [`ClientError::Timeout`].
const HTTP_TIMEOUT: Duration = Duration::from_secs(15);

/// `POST /api/v1/login`.
pub(crate) async fn login(
    server: &Url,
    email: &str,
    password: &str,
) -> Result<LoginResponse, ClientError> {
    let body = LoginRequest {
        email: email.to_owned(),
        password: password.to_owned(),
    };
    let response = client()?
        .post(endpoints::login(server)?)
        .json(&body)
        .send()
        .await?;
    let status = response.status();
    if !status.is_success() {
        return Err(refusal(status, &response.bytes().await?));
    }
    Ok(response.json().await?)
}

/// `POST /api/v1/logout` with the session token as a bearer token.
pub(crate) async fn logout(server: &Url, token: &str) -> Result<(), ClientError> {
    let response = client()?
        .post(endpoints::logout(server)?)
        .bearer_auth(token)
        .send()
        .await?;
    let status = response.status();
    if !status.is_success() {
        return Err(refusal(status, &response.bytes().await?));
    }
    Ok(())
}

fn client() -> Result<reqwest::Client, ClientError> {
    Ok(reqwest::Client::builder().timeout(HTTP_TIMEOUT).build()?)
}

/// Maps a non-success response to an error: the server's [`HttpError`] body when it sent one.
pub(crate) fn refusal(status: StatusCode, body: &[u8]) -> ClientError {
    match serde_json::from_slice::<HttpError>(body) {
        Ok(HttpError { error }) if error.code == ErrorCode::Unauthorized => {
            ClientError::Unauthorized
        }
        Ok(HttpError { error }) => ClientError::Server(error),
        Err(_) if status == StatusCode::UNAUTHORIZED => ClientError::Unauthorized,
        Err(_) => ClientError::UnexpectedResponse(format!("HTTP {status}")),
    }
}

#[cfg(test)]
mod tests {
    use switchboard_protocol::ProtocolError;

    use super::*;

    fn body(code: ErrorCode) -> Vec<u8> {
        serde_json::to_vec(&HttpError {
            error: ProtocolError::new(code, "explained"),
        })
        .expect("serialise HttpError")
    }

    #[test]
    fn wrong_password_body_is_unauthorized() {
        let error = refusal(StatusCode::UNAUTHORIZED, &body(ErrorCode::Unauthorized));
        assert!(matches!(error, ClientError::Unauthorized), "{error:?}");
    }

    #[test]
    fn rate_limited_body_keeps_the_server_code_and_message() {
        let error = refusal(StatusCode::TOO_MANY_REQUESTS, &body(ErrorCode::RateLimited));
        match error {
            ClientError::Server(error) => {
                assert_eq!(error.code, ErrorCode::RateLimited);
                assert_eq!(error.message, "explained");
            }
            other => panic!("expected a server error, got {other:?}"),
        }
    }

    #[test]
    fn a_body_that_is_not_an_http_error_reports_the_status() {
        let error = refusal(StatusCode::BAD_GATEWAY, b"<html>proxy</html>");
        match error {
            ClientError::UnexpectedResponse(text) => assert!(text.contains("502"), "{text}"),
            other => panic!("expected an unexpected response, got {other:?}"),
        }
    }
}
