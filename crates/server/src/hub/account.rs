//! Account settings from the app: administrators read and change the same settings as
//! `switchboard-server settings` (distribution, ring timeout, chat cap, reconnect grace,
//! survey, file limits), with the same checks.

use switchboard_protocol::{AccountSetting, AgentEvent, ErrorCode, ProtocolError, Role};

use super::{frame_of, internal, Hub, HubResult};
use crate::settings::{SettingError, EDITABLE};

impl Hub {
    /// Fails unless the operator is an administrator.
    pub(super) fn require_admin(&self, operator_id: &str) -> HubResult<()> {
        let role = self.live().agents.get(operator_id).map(|a| a.operator.role);
        if role == Some(Role::Admin) {
            Ok(())
        } else {
            Err(ProtocolError::new(
                ErrorCode::Forbidden,
                "only administrators manage the account",
            ))
        }
    }

    /// Sends the account settings to an administrator's sockets.
    pub async fn read_account(&self, operator_id: &str) -> HubResult<()> {
        self.require_admin(operator_id)?;
        let shown = self.settings.show().await.map_err(internal)?;
        let settings = shown
            .into_iter()
            .zip(EDITABLE)
            .map(|((key, value), (_, about))| AccountSetting {
                key,
                value,
                about: about.to_string(),
            })
            .collect();
        let frame = frame_of(&AgentEvent::AccountSettings { settings });
        self.live().push_agent(operator_id, &frame);
        Ok(())
    }

    /// Changes one setting for an administrator, then sends them the settings again.
    pub async fn set_account_setting(
        &self,
        operator_id: &str,
        key: &str,
        value: &str,
    ) -> HubResult<()> {
        self.require_admin(operator_id)?;
        self.settings
            .set(key, value)
            .await
            .map_err(|error| match error {
                SettingError::Store(error) => internal(error),
                other => ProtocolError::new(ErrorCode::Invalid, other.to_string()),
            })?;
        self.read_account(operator_id).await
    }
}
