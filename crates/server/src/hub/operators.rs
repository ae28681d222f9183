//! Operator management from the app, for administrators: add an operator, reset a password,
//! remove an operator. The same checks as `switchboard-server operator ...`; the team list
//! follows at once.

use switchboard_protocol::{AgentEvent, ErrorCode, OperatorRef, ProtocolError, Role};

use super::{frame_of, internal, Hub, HubResult};
use crate::store::StoreError;
use crate::{auth, validate};

/// Shortest password an administrator may set.
const MIN_PASSWORD_CHARS: usize = 8;

fn invalid(message: &str) -> ProtocolError {
    ProtocolError::new(ErrorCode::Invalid, message)
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
        let mut live = self.live();
        let id = operator.id.clone();
        live.enrol(
            OperatorRef {
                id: operator.id,
                name: operator.name,
            },
            role,
        );
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

    async fn operator_email(&self, operator_id: &str) -> HubResult<String> {
        self.store
            .operators()
            .await
            .map_err(internal)?
            .into_iter()
            .find(|record| record.operator.id == operator_id)
            .map(|record| record.operator.email)
            .ok_or_else(|| ProtocolError::new(ErrorCode::NotFound, "no such operator"))
    }
}
