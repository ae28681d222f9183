//! Internal (operator-to-operator) chats in storage: an ordinary conversation flagged
//! `internal`, whose visitor is a placeholder row no widget can connect as (visitor ids of real
//! visitors are UUIDs signed by the server; this one is not a UUID).

use super::{Store, StoreResult};
use crate::now_millis;

/// The placeholder visitor of an internal chat.
pub fn placeholder_visitor(conversation_id: &str) -> String {
    format!("team:{conversation_id}")
}

impl Store {
    /// Creates an active internal chat with no events yet; the caller appends who joined.
    pub async fn create_internal_chat(&self, id: &str, name: &str) -> StoreResult<i64> {
        let mut tx = self.write_transaction().await?;
        let now = now_millis();
        let visitor = placeholder_visitor(id);
        sqlx::query(
            "INSERT INTO visitors (id, name, created_at, last_seen_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&visitor)
        .bind(name)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO conversations (id, visitor_id, state, survey, started_at, internal)
             VALUES ($1, $2, 'active', '[]', $3, 1)",
        )
        .bind(id)
        .bind(&visitor)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(now)
    }
}
