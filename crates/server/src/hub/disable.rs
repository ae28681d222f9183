//! Disabling an operator, for administrators: the account stops working at once. Their
//! sessions are revoked, their apps get `Unauthorized` and are disconnected, open invitations
//! to them lapse, and their chats go back to the queue as if their reconnect grace had run
//! out. Enabling them lets them log in again.

use super::operators::{invalid, no_such_operator};
use super::{internal, Hub, HubResult};

/// What a disabled operator's apps are told as their sockets close.
const DISABLED: &str = "this account is disabled";

impl Hub {
    /// Disables or enables an operator, for an administrator (not themselves).
    pub async fn set_operator_disabled(
        &self,
        admin_id: &str,
        operator_id: &str,
        disabled: bool,
    ) -> HubResult<()> {
        self.require_admin(admin_id)?;
        if admin_id == operator_id && disabled {
            return Err(invalid("you cannot disable yourself"));
        }
        let _writer = self.writer.lock().await;
        let found = self
            .store
            .set_disabled(operator_id, disabled)
            .await
            .map_err(internal)?;
        if !found {
            return Err(no_such_operator());
        }
        let now = self.clock.now();
        let chats = {
            let mut live = self.live();
            if let Some(enrolled) = live.enrolled_mut(operator_id) {
                enrolled.disabled = disabled;
            }
            live.sync_rings(now);
            if !disabled {
                live.push_member(operator_id);
                return Ok(());
            }
            live.forget_dropped(operator_id);
            live.decline_all_invitations(operator_id);
            live.chats_of(operator_id)
        };
        for conversation_id in chats {
            self.lapse(operator_id, &conversation_id, now).await?;
        }
        let mut live = self.live();
        live.close_operator_sockets(operator_id, DISABLED);
        live.push_member(operator_id);
        Ok(())
    }
}
