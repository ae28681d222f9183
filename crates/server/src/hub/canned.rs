//! Canned responses through the hub: who may change which list (the company's needs an admin),
//! checking what operators write, and pushing the new list to every socket it concerns. Changes
//! run under the hub's writer lock, so every socket sees the lists in the order they changed.

use switchboard_protocol::composer::{
    MAX_CANNED_LABEL_CHARS, MAX_CANNED_PER_SCOPE, MAX_CANNED_TEXT_BYTES, MAX_SHORTCUT_CHARS,
};
use switchboard_protocol::{AgentEvent, CannedDraft, CannedScope, ErrorCode, ProtocolError, Role};

use super::{frame_of, internal, Frame, Hub, HubResult};
use crate::store::{Reorder, StoreError};

impl Hub {
    /// The `CannedResponses` frame for one operator: the company's list and their own.
    pub(super) async fn canned_frame(&self, operator_id: &str) -> HubResult<Frame> {
        let responses = self
            .store
            .canned_responses(operator_id)
            .await
            .map_err(internal)?;
        Ok(frame_of(&AgentEvent::CannedResponses { responses }))
    }

    /// Creates (`id` `None`) or changes a canned response.
    pub async fn save_canned(
        &self,
        operator_id: &str,
        id: Option<String>,
        draft: CannedDraft,
    ) -> HubResult<()> {
        let draft = checked_draft(draft)?;
        let _writer = self.writer.lock().await;
        let owner = self.owner_for(operator_id, draft.scope)?;
        let stored = match id {
            Some(id) => {
                self.check_owner(&id, owner.as_deref()).await?;
                self.store.update_canned(&id, &draft).await
            }
            None => {
                let count = self
                    .store
                    .canned_count(owner.as_deref())
                    .await
                    .map_err(internal)?;
                if count >= MAX_CANNED_PER_SCOPE {
                    return Err(ProtocolError::new(
                        ErrorCode::Invalid,
                        format!("a list holds at most {MAX_CANNED_PER_SCOPE} canned responses"),
                    ));
                }
                self.store
                    .insert_canned(owner.as_deref(), &draft)
                    .await
                    .map(|_| ())
            }
        };
        match stored {
            Err(StoreError::Duplicate(what)) => Err(ProtocolError::new(
                ErrorCode::Conflict,
                format!("{what} is already used"),
            )),
            other => other.map_err(internal),
        }?;
        self.publish_canned(owner.as_deref()).await
    }

    /// Deletes a canned response.
    pub async fn delete_canned(&self, operator_id: &str, id: &str) -> HubResult<()> {
        let _writer = self.writer.lock().await;
        let owner = self
            .store
            .canned_owner(id)
            .await
            .map_err(internal)?
            .ok_or_else(no_such_response)?;
        let scope = scope_of(owner.as_deref());
        let allowed = self.owner_for(operator_id, scope)?;
        if allowed != owner {
            return Err(no_such_response());
        }
        self.store.delete_canned(id).await.map_err(internal)?;
        self.publish_canned(owner.as_deref()).await
    }

    /// Puts one of the operator's lists in a new order.
    pub async fn reorder_canned(
        &self,
        operator_id: &str,
        scope: CannedScope,
        ids: &[String],
    ) -> HubResult<()> {
        let _writer = self.writer.lock().await;
        let owner = self.owner_for(operator_id, scope)?;
        match self
            .store
            .reorder_canned(owner.as_deref(), ids)
            .await
            .map_err(internal)?
        {
            Reorder::Done => self.publish_canned(owner.as_deref()).await,
            Reorder::Mismatch => Err(ProtocolError::new(
                ErrorCode::Conflict,
                "the list changed meanwhile; reorder the current list",
            )),
        }
    }

    /// The owner a scope stands for when `operator_id` changes it: `None` for the company's
    /// list (admins only), the operator for their own.
    fn owner_for(&self, operator_id: &str, scope: CannedScope) -> HubResult<Option<String>> {
        match scope {
            CannedScope::Personal => Ok(Some(operator_id.to_owned())),
            CannedScope::Company => {
                let role = self
                    .live()
                    .agents
                    .get(operator_id)
                    .map(|agent| agent.operator.role);
                if role == Some(Role::Admin) {
                    Ok(None)
                } else {
                    Err(ProtocolError::new(
                        ErrorCode::Forbidden,
                        "only administrators change the company's canned responses",
                    ))
                }
            }
        }
    }

    /// Fails unless response `id` exists and belongs to `owner`'s list.
    async fn check_owner(&self, id: &str, owner: Option<&str>) -> HubResult<()> {
        let stored = self.store.canned_owner(id).await.map_err(internal)?;
        match stored {
            Some(stored) if stored.as_deref() == owner => Ok(()),
            Some(_) => Err(ProtocolError::new(
                ErrorCode::Invalid,
                "a response stays in its list (company or personal)",
            )),
            None => Err(no_such_response()),
        }
    }

    /// Sends the new lists after a change to `owner`'s list (everyone's, for the company's).
    async fn publish_canned(&self, owner: Option<&str>) -> HubResult<()> {
        let operators: Vec<String> = match owner {
            Some(owner) => vec![owner.to_owned()],
            None => self.live().agents.keys().cloned().collect(),
        };
        for operator in operators {
            let frame = self.canned_frame(&operator).await?;
            self.live().push_agent(&operator, &frame);
        }
        Ok(())
    }
}

fn no_such_response() -> ProtocolError {
    ProtocolError::new(ErrorCode::NotFound, "no such canned response")
}

fn scope_of(owner: Option<&str>) -> CannedScope {
    if owner.is_some() {
        CannedScope::Personal
    } else {
        CannedScope::Company
    }
}

/// Checks and tidies what an operator wrote: trimmed labels, a shortcut of letters, digits,
/// `-` and `_` (a leading `#` is dropped), a title (the text's first line when left empty),
/// and bounded sizes.
fn checked_draft(draft: CannedDraft) -> HubResult<CannedDraft> {
    let invalid = |message: String| Err(ProtocolError::new(ErrorCode::Invalid, message));
    let text = draft.text.trim_end().to_owned();
    if text.trim().is_empty() {
        return invalid("a canned response needs a text".into());
    }
    if text.len() > MAX_CANNED_TEXT_BYTES {
        return invalid(format!(
            "a canned response is limited to {MAX_CANNED_TEXT_BYTES} bytes"
        ));
    }
    let shortcut = match draft.shortcut.as_deref().map(str::trim) {
        None | Some("") | Some("#") => None,
        Some(raw) => {
            let shortcut = raw.strip_prefix('#').unwrap_or(raw);
            if shortcut.chars().count() > MAX_SHORTCUT_CHARS
                || !shortcut
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            {
                return invalid(format!(
                    "a shortcut is 1 to {MAX_SHORTCUT_CHARS} letters, digits, - or _"
                ));
            }
            Some(shortcut.to_owned())
        }
    };
    let title = match draft.title.trim() {
        "" => text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim(),
        title => title,
    };
    let group = draft.group.trim();
    if group.chars().count() > MAX_CANNED_LABEL_CHARS {
        return invalid(format!(
            "a group name is at most {MAX_CANNED_LABEL_CHARS} characters"
        ));
    }
    Ok(CannedDraft {
        scope: draft.scope,
        group: group.to_owned(),
        shortcut,
        title: title.chars().take(MAX_CANNED_LABEL_CHARS).collect(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(shortcut: Option<&str>, title: &str, text: &str) -> CannedDraft {
        CannedDraft {
            scope: CannedScope::Personal,
            group: "  Greetings ".into(),
            shortcut: shortcut.map(str::to_owned),
            title: title.into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_draft_is_tidied() {
        let checked =
            checked_draft(draft(Some(" #thanks "), " Thanks ", "Thank you!\n")).expect("valid");
        assert_eq!(checked.shortcut.as_deref(), Some("thanks"));
        assert_eq!(checked.title, "Thanks");
        assert_eq!(checked.group, "Greetings");
        assert_eq!(checked.text, "Thank you!");
    }

    #[test]
    fn an_empty_title_is_the_first_line_and_an_empty_shortcut_is_none() {
        let checked =
            checked_draft(draft(Some("#"), "", "\nHello {visitor.name}\nbye")).expect("valid");
        assert_eq!(checked.title, "Hello {visitor.name}");
        assert_eq!(checked.shortcut, None);
    }

    #[test]
    fn bad_drafts_are_refused_with_a_reason() {
        for (bad, why) in [
            (draft(None, "t", "  "), "needs a text"),
            (draft(Some("two words"), "t", "x"), "shortcut"),
            (draft(Some(&"a".repeat(40)), "t", "x"), "shortcut"),
            (
                draft(None, "t", &"x".repeat(MAX_CANNED_TEXT_BYTES + 1)),
                "limited",
            ),
        ] {
            let error = checked_draft(bad).expect_err("refused");
            assert_eq!(error.code, ErrorCode::Invalid);
            assert!(error.message.contains(why), "{}", error.message);
        }
    }
}
