//! Storage of visitor tracking: visits, page views with time on page, earlier chats, and
//! blocking rules.

use sqlx::Row;
use switchboard_protocol::visitors::{BlockRule, BlockTarget, PastChat, MAX_PREVIOUS_CHATS};
use switchboard_protocol::{Millis, OperatorRef, PageInfo};

use super::{Store, StoreError, StoreResult};

/// What the store knows about a returning (or new) visitor when a visit begins.
#[derive(Debug, Clone, Default)]
pub struct VisitorProfile {
    /// The name given in an earlier chat.
    pub name: Option<String>,
    /// Visits so far, the new one included.
    pub visits: u32,
    /// Chats so far.
    pub chats: u32,
    /// Earlier closed chats, newest first.
    pub previous_chats: Vec<PastChat>,
}

impl Store {
    /// Starts a new visit: counts it and records where the visitor connects from.
    pub async fn begin_visit(
        &self,
        visitor_id: &str,
        ip: &str,
        user_agent: &str,
    ) -> StoreResult<VisitorProfile> {
        let row = sqlx::query(
            "UPDATE visitors SET visits = visits + 1, ip = $1, user_agent = $2 WHERE id = $3
             RETURNING name, visits",
        )
        .bind(ip)
        .bind(user_agent)
        .bind(visitor_id)
        .fetch_one(&self.pool)
        .await?;
        let chats: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM conversations WHERE visitor_id = $1")
                .bind(visitor_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(VisitorProfile {
            name: row.try_get("name")?,
            visits: super::get_u32(&row, "visits")?,
            chats: super::to_u32(chats)?,
            previous_chats: self.previous_chats(visitor_id).await?,
        })
    }

    /// The visitor's closed chats, newest first, at most [`MAX_PREVIOUS_CHATS`].
    pub async fn previous_chats(&self, visitor_id: &str) -> StoreResult<Vec<PastChat>> {
        let rows = sqlx::query(
            "SELECT id, started_at, first_message FROM conversations
             WHERE visitor_id = $1 AND state = 'closed'
             ORDER BY started_at DESC LIMIT $2",
        )
        .bind(visitor_id)
        .bind(MAX_PREVIOUS_CHATS as i64)
        .fetch_all(&self.pool)
        .await?;
        let mut chats = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            let operators = sqlx::query_scalar(
                "SELECT operator_name FROM participants WHERE conversation_id = $1
                 ORDER BY joined_at",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            chats.push(PastChat {
                id,
                started_at: row.try_get("started_at")?,
                first_message: row.try_get("first_message")?,
                operators,
            });
        }
        Ok(chats)
    }

    /// Records a page view of a visit; the visitor's previous page of that visit ends then.
    pub async fn record_page_view(
        &self,
        visitor_id: &str,
        visit: u32,
        page: &PageInfo,
        at: Millis,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        close_open_views(&mut tx, visitor_id, at).await?;
        sqlx::query(
            "INSERT INTO page_views (visitor_id, visit, url, title, referrer, entered_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(visitor_id)
        .bind(i64::from(visit))
        .bind(&page.url)
        .bind(&page.title)
        .bind(&page.referrer)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends the visitor's current page view (the visitor left the site).
    pub async fn end_page_view(&self, visitor_id: &str, at: Millis) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        close_open_views(&mut tx, visitor_id, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a blocking rule; [`StoreError::Duplicate`] if the same target is blocked already.
    pub async fn add_block(&self, rule: &BlockRule) -> StoreResult<()> {
        let (kind, value) = target_columns(&rule.target);
        let result = sqlx::query(
            "INSERT INTO blocks (id, kind, value, operator_id, operator_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&rule.id)
        .bind(kind)
        .bind(value)
        .bind(&rule.by.id)
        .bind(&rule.by.name)
        .bind(rule.at)
        .execute(&self.pool)
        .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::Duplicate(format!("a block of {value}")))
            }
            other => other.map(|_| ()).map_err(Into::into),
        }
    }

    /// Removes a blocking rule; false if there was none with this id.
    pub async fn remove_block(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM blocks WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Every blocking rule, newest first.
    pub async fn blocks(&self) -> StoreResult<Vec<BlockRule>> {
        let rows = sqlx::query(
            "SELECT id, kind, value, operator_id, operator_name, created_at FROM blocks
             ORDER BY created_at DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let value: String = row.try_get("value")?;
                let target = match row.try_get::<String, _>("kind")?.as_str() {
                    "ip" => BlockTarget::Ip { ip: value },
                    _ => BlockTarget::Country {
                        country_code: value,
                    },
                };
                Ok(BlockRule {
                    id: row.try_get("id")?,
                    target,
                    by: OperatorRef {
                        id: row.try_get("operator_id")?,
                        name: row.try_get("operator_name")?,
                    },
                    at: row.try_get("created_at")?,
                })
            })
            .collect()
    }
}

fn target_columns(target: &BlockTarget) -> (&'static str, &str) {
    match target {
        BlockTarget::Ip { ip } => ("ip", ip),
        BlockTarget::Country { country_code } => ("country", country_code),
    }
}

async fn close_open_views(tx: &mut super::Tx<'_>, visitor_id: &str, at: Millis) -> StoreResult<()> {
    sqlx::query("UPDATE page_views SET left_at = $1 WHERE visitor_id = $2 AND left_at IS NULL")
        .bind(at)
        .bind(visitor_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Whether a conversation exists and is closed (its history is the team's archive).
    pub async fn is_archived(&self, conversation_id: &str) -> StoreResult<bool> {
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM conversations WHERE id = $1")
                .bind(conversation_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(state.as_deref() == Some("closed"))
    }
}
