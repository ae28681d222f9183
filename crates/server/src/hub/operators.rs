//! Operator management from the app, for administrators: add an operator, reset a password,
//! remove an operator, set an operator's own chat cap. The same checks as `switchboard-server operator ...`; the team list
//! follows at once.

use switchboard_protocol::{AgentEvent, ErrorCode, ProtocolError, Role, Status};

use super::{frame_of, internal, Hub, HubResult};
use crate::store::{OperatorRecord, StoreError};
use crate::{auth, validate};

/// Shortest password an administrator may set.
const MIN_PASSWORD_CHARS: usize = 8;

/// The highest cap an administrator may give one operator.
const MAX_OPERATOR_CAP: u32 = 1000;

pub(super) fn invalid(message: &str) -> ProtocolError {
    ProtocolError::new(ErrorCode::Invalid, message)
}

pub(super) fn no_such_operator() -> ProtocolError {
    ProtocolError::new(ErrorCode::NotFound, "no such operator")
}

async fn hashed(password: String) -> HubResult<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid("the password needs at least 8 characters"));
    }
    tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or_else(|| {
            ProtocolError::new(
                ErrorCode::Internal,
                "hashing the password failed; try again",
            )
        })
}

impl Hub {
    /// Adds an operator for an administrator.
    pub async fn add_operator(
        &self,
        admin_id: &str,
        email: &str,
        name: &str,
        password: String,
        admin: bool,
    ) -> HubResult<()> {
        self.require_admin(admin_id)?;
        let email = email.trim().to_lowercase();
        if !validate::looks_like_email(&email) {
            return Err(invalid("please give a valid email address"));
        }
        let name = validate::name(name).ok_or_else(|| invalid("please give a name"))?;
        let hash = hashed(password).await?;
        let role = if admin { Role::Admin } else { Role::Agent };
        let operator = match self.store.add_operator(&email, &name, role, &hash).await {
            Ok(operator) => operator,
            Err(StoreError::Duplicate(_)) => {
                return Err(ProtocolError::new(
                    ErrorCode::Conflict,
                    format!("an operator with the email {email} exists already"),
                ))
            }
            Err(error) => return Err(internal(error)),
        };
        let id = operator.id.clone();
        let record = OperatorRecord {
            operator,
            status: Status::Offline,
            disabled: false,
            max_chats: None,
        };
        let mut live = self.live();
        live.enrol(&record);
        live.team_changed([id.as_str()]);
        Ok(())
    }

    /// Sets a new password for an operator, for an administrator.
    pub async fn reset_password(
        &self,
        admin_id: &str,
        operator_id: &str,
        password: String,
    ) -> HubResult<()> {
        self.require_admin(admin_id)?;
        let email = self.operator_email(operator_id).await?;
        let hash = hashed(password).await?;
        self.store
            .set_password(&email, &hash)
            .await
            .map_err(internal)?;
        Ok(())
    }

    /// Removes an operator with no open chats, for an administrator (not themselves).
    pub async fn remove_operator(&self, admin_id: &str, operator_id: &str) -> HubResult<()> {
        self.require_admin(admin_id)?;
        if admin_id == operator_id {
            return Err(invalid("you cannot remove yourself"));
        }
        let email = self.operator_email(operator_id).await?;
        let _writer = self.writer.lock().await;
        if self.live().chat_count_all(operator_id) > 0 {
            return Err(ProtocolError::new(
                ErrorCode::Conflict,
                "this operator has open chats; they close or transfer them first",
            ));
        }
        self.store.remove_operator(&email).await.map_err(internal)?;
        let mut live = self.live();
        // Dropping their socket links closes their apps' connections; their sessions are gone.
        live.agents.remove(operator_id);
        live.forget_member(operator_id);
        let members = live.members();
        let list = frame_of(&AgentEvent::TeamList { members });
        live.push_team_watchers(&list);
        live.sync_rings(self.clock.now());
        live.refresh_availability();
        Ok(())
    }

    /// Sets an operator's own cap on concurrent chats (`None`: the account's), for an
    /// administrator; calls ring or stop ringing for them at once.
    pub async fn set_operator_cap(
        &self,
        admin_id: &str,
        operator_id: &str,
        max_chats: Option<u32>,
    ) -> HubResult<()> {
        self.require_admin(admin_id)?;
        if max_chats.is_some_and(|cap| !(1..=MAX_OPERATOR_CAP).contains(&cap)) {
            return Err(invalid(&format!(
                "a cap is 1 to {MAX_OPERATOR_CAP} chats; leave it empty for the account's cap"
            )));
        }
        let _writer = self.writer.lock().await;
        let found = self
            .store
            .set_operator_cap(operator_id, max_chats)
            .await
            .map_err(internal)?;
        if !found {
            return Err(no_such_operator());
        }
        let mut live = self.live();
        if let Some(enrolled) = live.enrolled_mut(operator_id) {
            enrolled.max_chats = max_chats;
        }
        live.push_member(operator_id);
        live.sync_rings(self.clock.now());
        Ok(())
    }

    async fn operator_email(&self, operator_id: &str) -> HubResult<String> {
        self.store
            .operators()
            .await
            .map_err(internal)?
            .into_iter()
            .find(|record| record.operator.id == operator_id)
            .map(|record| record.operator.email)
            .ok_or_else(no_such_operator)
    }
}
