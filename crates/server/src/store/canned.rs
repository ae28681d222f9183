//! Canned responses in storage: the company's list (no owner) and each operator's own, each
//! kept in the order its `position` column gives.

use sqlx::Row;
use switchboard_protocol::{CannedDraft, CannedResponse, CannedScope};

use super::{Store, StoreError, StoreResult};
use crate::now_millis;

/// What a reorder found wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reorder {
    /// The list is in the new order.
    Done,
    /// The ids given are not exactly the ids of the list.
    Mismatch,
}

impl Store {
    /// The company's responses followed by `operator_id`'s own, each in its order.
    pub async fn canned_responses(&self, operator_id: &str) -> StoreResult<Vec<CannedResponse>> {
        let rows = sqlx::query(
            "SELECT id, owner_id, group_name, shortcut, title, text FROM canned_responses
             WHERE owner_id IS NULL OR owner_id = $1
             ORDER BY owner_id IS NOT NULL, position",
        )
        .bind(operator_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(canned_from_row).collect()
    }

    /// Who owns a response: `Some(None)` for a company response, `None` if there is none.
    pub async fn canned_owner(&self, id: &str) -> StoreResult<Option<Option<String>>> {
        Ok(
            sqlx::query_scalar("SELECT owner_id FROM canned_responses WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// How many responses a scope holds (`owner` `None`: the company's).
    pub async fn canned_count(&self, owner: Option<&str>) -> StoreResult<usize> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM canned_responses WHERE owner_id IS NOT DISTINCT FROM $1",
        )
        .bind(owner)
        .fetch_one(&self.pool)
        .await?;
        Ok(usize::try_from(count).unwrap_or(usize::MAX))
    }

    /// Adds a response at the end of its scope's list.
    pub async fn insert_canned(
        &self,
        owner: Option<&str>,
        draft: &CannedDraft,
    ) -> StoreResult<String> {
        let id = uuid::Uuid::new_v4().to_string();
        let result = sqlx::query(
            "INSERT INTO canned_responses
                 (id, owner_id, group_name, shortcut, title, text, position, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6,
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM canned_responses WHERE owner_id IS NOT DISTINCT FROM $7),
                 $8)",
        )
        .bind(&id)
        .bind(owner)
        .bind(&draft.group)
        .bind(&draft.shortcut)
        .bind(&draft.title)
        .bind(&draft.text)
        .bind(owner)
        .bind(now_millis())
        .execute(&self.pool)
        .await;
        duplicate_shortcut(result, draft).map(|()| id)
    }

    /// Changes a response's content (not its scope or place).
    pub async fn update_canned(&self, id: &str, draft: &CannedDraft) -> StoreResult<()> {
        let result = sqlx::query(
            "UPDATE canned_responses
             SET group_name = $1, shortcut = $2, title = $3, text = $4, updated_at = $5
             WHERE id = $6",
        )
        .bind(&draft.group)
        .bind(&draft.shortcut)
        .bind(&draft.title)
        .bind(&draft.text)
        .bind(now_millis())
        .bind(id)
        .execute(&self.pool)
        .await;
        duplicate_shortcut(result, draft)
    }

    /// Deletes a response.
    pub async fn delete_canned(&self, id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM canned_responses WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Puts a scope's list in the order of `ids`, which must hold each of its ids once.
    pub async fn reorder_canned(
        &self,
        owner: Option<&str>,
        ids: &[String],
    ) -> StoreResult<Reorder> {
        let mut tx = self.pool.begin().await?;
        let mut current: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM canned_responses WHERE owner_id IS NOT DISTINCT FROM $1",
        )
        .bind(owner)
        .fetch_all(&mut *tx)
        .await?;
        let mut wanted = ids.to_vec();
        current.sort_unstable();
        wanted.sort_unstable();
        if current != wanted {
            return Ok(Reorder::Mismatch);
        }
        for (position, id) in ids.iter().enumerate() {
            sqlx::query("UPDATE canned_responses SET position = $1 WHERE id = $2")
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Reorder::Done)
    }
}

fn duplicate_shortcut<T>(result: Result<T, sqlx::Error>, draft: &CannedDraft) -> StoreResult<()> {
    match result {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(StoreError::Duplicate(format!(
                "the shortcut #{}",
                draft.shortcut.as_deref().unwrap_or_default()
            )))
        }
        other => other.map(|_| ()).map_err(Into::into),
    }
}

fn canned_from_row(row: &sqlx::any::AnyRow) -> StoreResult<CannedResponse> {
    let owner: Option<String> = row.try_get("owner_id")?;
    Ok(CannedResponse {
        id: row.try_get("id")?,
        scope: if owner.is_some() {
            CannedScope::Personal
        } else {
            CannedScope::Company
        },
        group: row.try_get("group_name")?,
        shortcut: row.try_get("shortcut")?,
        title: row.try_get("title")?,
        text: row.try_get("text")?,
    })
}
