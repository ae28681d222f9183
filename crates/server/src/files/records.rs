//! The `files` table: one row per upload, from announcement to the chat's end.

use sqlx::Row;
use switchboard_protocol::{Author, FileInfo};

use super::kinds;
use crate::now_millis;
use crate::store::{Store, StoreResult};

/// One announced upload and how far it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// Unguessable id (64 hex digits); also the file's name on disk.
    pub id: String,
    /// The conversation it belongs to.
    pub conversation_id: String,
    /// Who uploads it: `operator:<id>` or `visitor:<id>`.
    pub uploader: String,
    /// The author of the `File` event once it is shared.
    pub author: Author,
    /// Clean file name.
    pub name: String,
    /// The type it is served as.
    pub mime: String,
    /// Announced size in bytes.
    pub size: u64,
    /// Bytes stored so far.
    pub received: u64,
    /// Seq of the `File` event once shared.
    pub seq: Option<u32>,
}

impl FileRecord {
    /// What the conversation's `File` event says about it.
    pub fn info(&self) -> FileInfo {
        FileInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            size: self.size,
            mime: self.mime.clone(),
            preview: kinds::previewable(&self.mime),
        }
    }

    /// Whether every byte has arrived.
    pub fn complete(&self) -> bool {
        self.received == self.size
    }
}

/// Stores a new upload.
pub async fn insert(store: &Store, record: &FileRecord) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO files (id, conversation_id, uploader, author, name, mime, size, received, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&record.id)
    .bind(&record.conversation_id)
    .bind(&record.uploader)
    .bind(serde_json::to_string(&record.author)?)
    .bind(&record.name)
    .bind(&record.mime)
    .bind(record.size as i64)
    .bind(record.received as i64)
    .bind(now_millis())
    .execute(store.pool())
    .await?;
    Ok(())
}

/// The upload with this id.
pub async fn get(store: &Store, id: &str) -> StoreResult<Option<FileRecord>> {
    let row = sqlx::query(
        "SELECT id, conversation_id, uploader, author, name, mime, size, received, seq
         FROM files WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(FileRecord {
        id: row.try_get("id")?,
        conversation_id: row.try_get("conversation_id")?,
        uploader: row.try_get("uploader")?,
        author: serde_json::from_str(&row.try_get::<String, _>("author")?)?,
        name: row.try_get("name")?,
        mime: row.try_get("mime")?,
        size: row.try_get::<i64, _>("size")? as u64,
        received: row.try_get::<i64, _>("received")? as u64,
        seq: row
            .try_get::<Option<i64>, _>("seq")?
            .map(crate::store::to_u32)
            .transpose()?,
    }))
}

/// Records how many bytes are stored.
pub async fn set_received(store: &Store, id: &str, received: u64) -> StoreResult<()> {
    sqlx::query("UPDATE files SET received = $1 WHERE id = $2")
        .bind(received as i64)
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Records the seq of the file's `File` event.
pub async fn set_seq(store: &Store, id: &str, seq: u32) -> StoreResult<()> {
    sqlx::query("UPDATE files SET seq = $1 WHERE id = $2")
        .bind(i64::from(seq))
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Deletes one upload's row.
pub async fn delete(store: &Store, id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM files WHERE id = $1")
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Deletes the rows of every file of closed conversations (or of one conversation) and
/// returns their ids.
pub async fn delete_closed(
    store: &Store,
    conversation_id: Option<&str>,
) -> StoreResult<Vec<String>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "DELETE FROM files WHERE conversation_id = $1
            OR ($1 IS NULL AND conversation_id IN (SELECT id FROM conversations WHERE state = 'closed'))
         RETURNING id",
    )
    .bind(conversation_id)
    .fetch_all(store.pool())
    .await?;
    Ok(ids)
}
