//! Account settings stored in the database: the pre-chat survey, the widget origin allowlist,
//! and the server's own secret for signing visitor tokens.

use switchboard_protocol::limits::MAX_FILE_BYTES;
use switchboard_protocol::SurveyField;

use crate::store::{Store, StoreError};

/// Settings an administrator may change, with what each holds.
pub const EDITABLE: &[(&str, &str)] = &[
    ("survey", "JSON array of pre-chat survey fields: [{\"key\",\"label\",\"kind\":\"text|email|textarea\",\"required\"}]"),
    ("allowed_origins", "comma-separated origins allowed to embed the widget (empty: any)"),
    ("sneak_peek", "on or off (default): operators see what visitors type before sending, and the widget tells visitors so"),
    ("max_file_bytes", "largest file a chat may share, in bytes (0: no files; empty: 104857600, the most allowed)"),
    crate::routing::SETTINGS[0],
    crate::routing::SETTINGS[1],
    crate::routing::SETTINGS[2],
    crate::routing::SETTINGS[3],
];

const VISITOR_SECRET: &str = "visitor_token_secret";

/// Errors from changing a setting.
#[derive(Debug, thiserror::Error)]
pub enum SettingError {
    /// The key is not a known setting.
    #[error("unknown setting '{0}' (see `settings show` for the known ones)")]
    UnknownKey(String),
    /// The value does not fit the setting.
    #[error("invalid value for '{key}': {reason}")]
    InvalidValue {
        /// The setting.
        key: String,
        /// What is wrong.
        reason: String,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Typed access to the settings table.
#[derive(Clone)]
pub struct Settings {
    store: Store,
}

impl Settings {
    /// Settings kept in `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// The pre-chat survey fields (empty: no survey).
    pub async fn survey(&self) -> Result<Vec<SurveyField>, StoreError> {
        match self.store.setting("survey").await? {
            Some(json) => Ok(serde_json::from_str(&json)?),
            None => Ok(Vec::new()),
        }
    }

    /// Origins allowed to open the visitor socket (empty: any).
    pub async fn allowed_origins(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .store
            .setting("allowed_origins")
            .await?
            .map(|list| parse_origins(&list))
            .unwrap_or_default())
    }

    /// Whether operators see visitors' unsent text (off unless set to `on`).
    pub async fn sneak_peek(&self) -> Result<bool, StoreError> {
        Ok(self.store.setting("sneak_peek").await?.as_deref() == Some("on"))
    }

    /// The largest file a chat may share, in bytes (0: sending files is turned off).
    pub async fn max_file_bytes(&self) -> Result<u64, StoreError> {
        Ok(self
            .store
            .setting("max_file_bytes")
            .await?
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(MAX_FILE_BYTES))
    }

    /// The secret that signs visitor tokens, created on first use.
    pub async fn visitor_secret(&self) -> Result<String, StoreError> {
        if let Some(secret) = self.store.setting(VISITOR_SECRET).await? {
            return Ok(secret);
        }
        let secret = crate::auth::random_token();
        self.store.set_setting(VISITOR_SECRET, &secret).await?;
        Ok(secret)
    }

    /// Validates and stores an editable setting.
    pub async fn set(&self, key: &str, value: &str) -> Result<(), SettingError> {
        let invalid = |reason: String| SettingError::InvalidValue {
            key: key.to_string(),
            reason,
        };
        match key {
            "survey" => {
                let fields: Vec<SurveyField> =
                    serde_json::from_str(value).map_err(|e| invalid(e.to_string()))?;
                if fields
                    .iter()
                    .any(|f| f.key.is_empty() || f.label.is_empty())
                {
                    return Err(invalid("every field needs a key and a label".into()));
                }
            }
            "allowed_origins" => {
                for origin in parse_origins(value) {
                    let parsed =
                        url::Url::parse(&origin).map_err(|e| invalid(format!("{origin}: {e}")))?;
                    if parsed.origin().ascii_serialization() != origin {
                        return Err(invalid(format!(
                            "{origin} is not an origin like https://example.com"
                        )));
                    }
                }
            }
            "sneak_peek" => {
                if !matches!(value, "on" | "off") {
                    return Err(invalid("use on or off".into()));
                }
            }
            "max_file_bytes" => {
                let bytes: u64 = value.trim().parse().map_err(|_| {
                    invalid("expected a number of bytes, e.g. 10485760 for 10 MB".into())
                })?;
                if bytes > MAX_FILE_BYTES {
                    return Err(invalid(format!("at most {MAX_FILE_BYTES} bytes (100 MB)")));
                }
            }
            _ => match crate::routing::validate(key, value) {
                Some(checked) => checked.map_err(invalid)?,
                None => return Err(SettingError::UnknownKey(key.to_string())),
            },
        }
        Ok(self.store.set_setting(key, value).await?)
    }

    /// Every editable setting and its current value.
    pub async fn show(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut shown = Vec::new();
        for (key, _) in EDITABLE {
            shown.push((
                key.to_string(),
                self.store.setting(key).await?.unwrap_or_default(),
            ));
        }
        Ok(shown)
    }
}

fn parse_origins(list: &str) -> Vec<String> {
    list.split(',')
        .map(|origin| origin.trim().trim_end_matches('/').to_string())
        .filter(|origin| !origin.is_empty())
        .collect()
}
