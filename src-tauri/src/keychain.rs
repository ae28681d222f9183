//! The only place the app touches the OS keychain (keyring): the remembered account (server,
//! email, session token and, with "remember me", the password). Nothing secret is written
//! anywhere else. Keychain calls block, so callers run them on a blocking thread.

use std::fmt;

use serde::{Deserialize, Serialize};
use switchboard_protocol::Operator;

use crate::error::AppError;

/// Keychain service name of the app; a profile (env `SWITCHBOARD_PROFILE`) gets its own.
const SERVICE: &str = "app.switchboard.desktop";
/// Keychain user name of the one account record.
const ACCOUNT: &str = "account";

/// A secret string (password, session token). `Debug` and `Display` never print it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one call that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What the keychain remembers between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAccount {
    /// The server the operator logs in to.
    pub server_url: String,
    /// The operator's email (prefills the login screen).
    pub email: String,
    /// Who the token belongs to, to show the main window before the socket says hello.
    pub operator: Option<Operator>,
    /// The session token of a remembered login.
    pub token: Option<Secret>,
    /// The password, kept only with "remember me" to log in again when the token expires.
    pub password: Option<Secret>,
}

impl StoredAccount {
    /// The same account with every secret dropped (what stays after logging out).
    pub fn forget_secrets(self) -> StoredAccount {
        StoredAccount {
            operator: None,
            token: None,
            password: None,
            ..self
        }
    }
}

/// The app's keychain record, for one profile.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Keychain {
    /// The keychain of the given profile (`None`: the default one).
    pub fn for_profile(profile: Option<&str>) -> Self {
        let service = match profile {
            Some(profile) if !profile.is_empty() => format!("{SERVICE}/{profile}"),
            _ => SERVICE.to_owned(),
        };
        Keychain { service }
    }

    fn entry(&self) -> Result<keyring::Entry, AppError> {
        keyring::Entry::new(&self.service, ACCOUNT).map_err(keychain_error)
    }

    /// Reads the remembered account; `None` when there is none (or it is unreadable).
    pub fn load(&self) -> Result<Option<StoredAccount>, AppError> {
        match self.entry()?.get_password() {
            Ok(json) => Ok(serde_json::from_str(&json).ok()),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(keychain_error(error)),
        }
    }

    /// Replaces the remembered account.
    pub fn save(&self, account: &StoredAccount) -> Result<(), AppError> {
        let json = serde_json::to_string(account)
            .map_err(|error| AppError::Keychain(error.to_string()))?;
        self.entry()?.set_password(&json).map_err(keychain_error)
    }

    /// Deletes the remembered account entirely.
    pub fn clear(&self) -> Result<(), AppError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(keychain_error(error)),
        }
    }
}

fn keychain_error(error: keyring::Error) -> AppError {
    AppError::Keychain(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert!(!format!("{secret:?}").contains("hunter2"));
        let account = StoredAccount {
            server_url: "http://localhost".into(),
            email: "a@b".into(),
            operator: None,
            token: Some(Secret::new("tok-123")),
            password: Some(secret),
        };
        assert!(!format!("{account:?}").contains("tok-123"));
    }

    #[test]
    fn logging_out_keeps_only_the_address_and_email() {
        let account = StoredAccount {
            server_url: "http://localhost".into(),
            email: "a@b".into(),
            operator: None,
            token: Some(Secret::new("t")),
            password: Some(Secret::new("p")),
        };
        let kept = account.forget_secrets();
        assert_eq!(kept.token, None);
        assert_eq!(kept.password, None);
        assert_eq!(kept.email, "a@b");
    }

    #[test]
    fn each_profile_has_its_own_record() {
        assert_eq!(Keychain::for_profile(None).service, SERVICE);
        assert_eq!(
            Keychain::for_profile(Some("second")).service,
            "app.switchboard.desktop/second"
        );
    }
}
