//! Durable storage: operators, sessions, settings, visitors, conversations and their sequenced
//! events, in one SQLite file (WAL mode) under the data directory, or in a PostgreSQL database
//! that the nodes of a cluster share.
//!
//! Handlers never touch SQL; they call the [`crate::hub::Hub`], which calls this store. Event
//! sequence numbers are assigned inside the transaction that stores the event, so they are
//! gap-free and nothing is announced before it is committed.

mod canned;
mod internal;
pub use internal::placeholder_visitor;

use std::path::Path;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use switchboard_protocol::{
    ConversationEvent, ConversationState, EventBody, Millis, Operator, OperatorRef, PageInfo,
    ReadMarks, Role, Side, Status, SurveyAnswer,
};

pub use canned::Reorder;

use crate::now_millis;

mod tracking;
pub use tracking::VisitorProfile;

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrating the database schema failed.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored JSON column could not be read.
    #[error("corrupt stored data: {0}")]
    Corrupt(#[from] serde_json::Error),
    /// A unique value (e.g. an operator email) already exists.
    #[error("{0} already exists")]
    Duplicate(String),
}

/// Result alias for store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// An operator with their stored status.
#[derive(Debug, Clone)]
pub struct OperatorRecord {
    /// The operator.
    pub operator: Operator,
    /// Their last chosen status.
    pub status: Status,
    /// Disabled by an administrator: no login, no sessions.
    pub disabled: bool,
    /// Their own cap on concurrent chats (`None`: the account's).
    pub max_chats: Option<u32>,
}

/// What a new conversation starts with.
#[derive(Debug, Clone)]
pub struct NewConversation {
    /// Conversation id.
    pub id: String,
    /// The calling visitor.
    pub visitor_id: String,
    /// The visitor's display name.
    pub visitor_name: String,
    /// The visitor's email, if given.
    pub visitor_email: Option<String>,
    /// Pre-chat survey answers.
    pub survey: Vec<SurveyAnswer>,
    /// The page the call came from.
    pub called_from: Option<PageInfo>,
}

/// An open conversation as stored, loaded when the server starts.
#[derive(Debug, Clone)]
pub struct StoredConversation {
    /// Conversation id.
    pub id: String,
    /// The visitor.
    pub visitor_id: String,
    /// Visitor display name.
    pub visitor_name: String,
    /// Visitor email.
    pub visitor_email: Option<String>,
    /// Where it stands.
    pub state: ConversationState,
    /// Highest committed seq.
    pub last_seq: u32,
    /// Survey answers.
    pub survey: Vec<SurveyAnswer>,
    /// Page the call came from.
    pub called_from: Option<PageInfo>,
    /// The visitor's last reported page.
    pub current_page: Option<PageInfo>,
    /// The visitor's first message.
    pub first_message: Option<String>,
    /// When the call started.
    pub started_at: Millis,
    /// Operators taking part.
    pub operators: Vec<OperatorRef>,
    /// The visitor's read marks.
    pub visitor_marks: ReadMarks,
    /// The operators' read marks.
    pub operator_marks: ReadMarks,
    /// An operator-to-operator chat.
    pub internal: bool,
}

/// Result of appending a message that carries a client message id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Appended {
    /// Stored as a new event.
    New(ConversationEvent),
    /// The same client message id was stored before, with this seq.
    Duplicate(u32),
}

/// Which database engine holds the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file (WAL mode): a single server node.
    Sqlite,
    /// A PostgreSQL database that several server nodes share.
    Postgres,
}

/// The store: a connection pool to SQLite or PostgreSQL. Queries are written once, in the SQL
/// both engines accept, with `$N` placeholders.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens (creating if needed) an SQLite database file and applies migrations.
    pub async fn open(path: &Path) -> StoreResult<Store> {
        Self::connect(&sqlite_url(path)).await
    }

    /// Connects to `sqlite://<file>` or `postgres://…` and applies that engine's migrations.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|connection, _| {
                        Box::pin(
                            async move { connection.execute(SQLITE_PRAGMAS).await.map(|_| ()) },
                        )
                    })
                    .connect(url)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .connect(url)
                    .await?
            }
        };
        match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations-postgres").run(&pool).await?,
        }
        Ok(Store { pool, backend })
    }

    /// Which engine this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so it
    /// never fails half-way because another connection wrote after it read
    /// (SQLITE_BUSY_SNAPSHOT); it waits for the busy timeout instead. PostgreSQL locks the
    /// rows each statement touches.
    async fn write_transaction(&self) -> StoreResult<Tx<'static>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// The connection pool, for modules that keep their own tables (files).
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    // ---- operators -------------------------------------------------------------------------

    /// Adds an operator; fails with [`StoreError::Duplicate`] if the email is taken.
    pub async fn add_operator(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
    ) -> StoreResult<Operator> {
        let operator = Operator {
            id: uuid::Uuid::new_v4().to_string(),
            name: name.to_string(),
            email: email.to_string(),
            role,
        };
        let result = sqlx::query(
            "INSERT INTO operators (id, email, name, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&operator.id)
        .bind(email)
        .bind(name)
        .bind(enum_text(&role))
        .bind(password_hash)
        .bind(now_millis())
        .execute(&self.pool)
        .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::Duplicate(format!("operator {email}")))
            }
            other => other.map(|_| operator).map_err(Into::into),
        }
    }

    /// Every operator, by email.
    pub async fn operators(&self) -> StoreResult<Vec<OperatorRecord>> {
        let rows =
            sqlx::query("SELECT id, email, name, role, status, disabled, max_chats FROM operators ORDER BY email")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(operator_record).collect()
    }

    /// How many operators exist.
    pub async fn operator_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM operators")
            .fetch_one(&self.pool)
            .await?)
    }

    /// The operator with this email and their password hash.
    pub async fn operator_login(
        &self,
        email: &str,
    ) -> StoreResult<Option<(OperatorRecord, String)>> {
        let row = sqlx::query(
            "SELECT id, email, name, role, status, disabled, max_chats, password_hash
             FROM operators WHERE email = $1",
        )
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| Ok((operator_record(&row)?, row.try_get("password_hash")?)))
            .transpose()
    }

    /// Replaces an operator's password hash and ends their sessions. False if no such email.
    pub async fn set_password(&self, email: &str, password_hash: &str) -> StoreResult<bool> {
        let mut tx = self.write_transaction().await?;
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM operators WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(id) = id else { return Ok(false) };
        sqlx::query("UPDATE operators SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE operator_id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Removes an operator and their sessions. False if no such email.
    pub async fn remove_operator(&self, email: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM operators WHERE email = $1")
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Disables an operator (ending their sessions) or enables them again. False if no such id.
    pub async fn set_disabled(&self, operator_id: &str, disabled: bool) -> StoreResult<bool> {
        let mut tx = self.write_transaction().await?;
        let done = sqlx::query("UPDATE operators SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(operator_id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE operator_id = $1")
                .bind(operator_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Sets an operator's own chat cap (`None`: the account's). False if no such id.
    pub async fn set_operator_cap(
        &self,
        operator_id: &str,
        max_chats: Option<u32>,
    ) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE operators SET max_chats = $1 WHERE id = $2")
            .bind(max_chats.map(i64::from))
            .bind(operator_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Stores an operator's chosen status.
    pub async fn set_status(&self, operator_id: &str, status: Status) -> StoreResult<()> {
        sqlx::query("UPDATE operators SET status = $1 WHERE id = $2")
            .bind(enum_text(&status))
            .bind(operator_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ---- sessions --------------------------------------------------------------------------

    /// Stores a session by the hash of its token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        operator_id: &str,
        expires_at: Millis,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, operator_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(operator_id)
        .bind(now_millis())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The operator owning an unexpired session.
    pub async fn session_operator(&self, token_hash: &str) -> StoreResult<Option<OperatorRecord>> {
        let row = sqlx::query(
            "SELECT o.id, o.email, o.name, o.role, o.status, o.disabled, o.max_chats
             FROM sessions s JOIN operators o ON o.id = s.operator_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND o.disabled = 0",
        )
        .bind(token_hash)
        .bind(now_millis())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(operator_record).transpose()
    }

    /// When an unexpired session of an enabled operator expires.
    pub async fn session_expiry(&self, token_hash: &str) -> StoreResult<Option<Millis>> {
        Ok(sqlx::query_scalar(
            "SELECT s.expires_at FROM sessions s JOIN operators o ON o.id = s.operator_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND o.disabled = 0",
        )
        .bind(token_hash)
        .bind(now_millis())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Ends a session (and purges expired ones).
    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2")
            .bind(token_hash)
            .bind(now_millis())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ---- settings --------------------------------------------------------------------------

    /// A setting's value.
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Sets a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    // ---- visitors --------------------------------------------------------------------------

    /// Records a visitor's visit (creating the visitor on first contact).
    pub async fn touch_visitor(
        &self,
        visitor_id: &str,
        time_zone: Option<&str>,
        page: &PageInfo,
    ) -> StoreResult<()> {
        let now = now_millis();
        sqlx::query(
            "INSERT INTO visitors (id, time_zone, current_page, created_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone,
                 current_page = excluded.current_page, last_seen_at = excluded.last_seen_at",
        )
        .bind(visitor_id)
        .bind(time_zone)
        .bind(serde_json::to_string(page)?)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores the page a visitor is on.
    pub async fn set_visitor_page(&self, visitor_id: &str, page: &PageInfo) -> StoreResult<()> {
        sqlx::query("UPDATE visitors SET current_page = $1, last_seen_at = $2 WHERE id = $3")
            .bind(serde_json::to_string(page)?)
            .bind(now_millis())
            .bind(visitor_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The page a visitor last reported.
    pub async fn visitor_page(&self, visitor_id: &str) -> StoreResult<Option<PageInfo>> {
        let page: Option<Option<String>> =
            sqlx::query_scalar("SELECT current_page FROM visitors WHERE id = $1")
                .bind(visitor_id)
                .fetch_optional(&self.pool)
                .await?;
        parse_json_opt(page.flatten())
    }

    /// Stores a message left while no operator was online.
    pub async fn save_offline_message(
        &self,
        visitor_id: &str,
        name: &str,
        email: &str,
        text: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO offline_messages (visitor_id, name, email, text, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(visitor_id)
        .bind(name)
        .bind(email)
        .bind(text)
        .bind(now_millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    // ---- conversations ---------------------------------------------------------------------

    /// Every conversation that is not closed, with its participants.
    pub async fn open_conversations(&self) -> StoreResult<Vec<StoredConversation>> {
        let rows = sqlx::query(
            "SELECT c.*, v.name AS visitor_name, v.email AS visitor_email, v.current_page
             FROM conversations c JOIN visitors v ON v.id = c.visitor_id
             WHERE c.state <> 'closed' ORDER BY c.started_at",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut conversations = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            let operators = self.participants(&id).await?;
            conversations.push(StoredConversation {
                visitor_id: row.try_get("visitor_id")?,
                visitor_name: row
                    .try_get::<Option<String>, _>("visitor_name")?
                    .unwrap_or_default(),
                visitor_email: row.try_get("visitor_email")?,
                state: parse_enum(&row.try_get::<String, _>("state")?)?,
                last_seq: get_u32(&row, "last_seq")?,
                survey: serde_json::from_str(&row.try_get::<String, _>("survey")?)?,
                called_from: parse_json_opt(row.try_get("called_from")?)?,
                current_page: parse_json_opt(row.try_get("current_page")?)?,
                first_message: row.try_get("first_message")?,
                started_at: row.try_get("started_at")?,
                visitor_marks: ReadMarks {
                    delivered: get_u32(&row, "visitor_delivered")?,
                    seen: get_u32(&row, "visitor_seen")?,
                },
                operator_marks: ReadMarks {
                    delivered: get_u32(&row, "operator_delivered")?,
                    seen: get_u32(&row, "operator_seen")?,
                },
                operators,
                internal: row.try_get::<i64, _>("internal")? != 0,
                id,
            });
        }
        Ok(conversations)
    }

    async fn participants(&self, conversation_id: &str) -> StoreResult<Vec<OperatorRef>> {
        let rows = sqlx::query(
            "SELECT operator_id, operator_name FROM participants
             WHERE conversation_id = $1 AND left_at IS NULL ORDER BY joined_at",
        )
        .bind(conversation_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OperatorRef {
                    id: row.try_get("operator_id")?,
                    name: row.try_get("operator_name")?,
                })
            })
            .collect()
    }

    /// Whether an operator ever took part in a conversation (open or closed).
    pub async fn took_part(&self, conversation_id: &str, operator_id: &str) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM participants WHERE conversation_id = $1 AND operator_id = $2",
        )
        .bind(conversation_id)
        .bind(operator_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Creates a ringing conversation and stores its `Started` event (seq 1).
    pub async fn create_conversation(
        &self,
        new: &NewConversation,
    ) -> StoreResult<ConversationEvent> {
        let mut tx = self.write_transaction().await?;
        sqlx::query("UPDATE visitors SET name = $1, email = $2 WHERE id = $3")
            .bind(&new.visitor_name)
            .bind(&new.visitor_email)
            .bind(&new.visitor_id)
            .execute(&mut *tx)
            .await?;
        let now = now_millis();
        sqlx::query(
            "INSERT INTO conversations (id, visitor_id, state, survey, called_from, started_at)
             VALUES ($1, $2, 'ringing', $3, $4, $5)",
        )
        .bind(&new.id)
        .bind(&new.visitor_id)
        .bind(serde_json::to_string(&new.survey)?)
        .bind(
            new.called_from
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let body = EventBody::Started {
            visitor: new.visitor_name.clone(),
        };
        let event = insert_event(&mut tx, &new.id, body, None).await?;
        tx.commit().await?;
        Ok(event)
    }

    /// Appends an event. A message whose client id was stored before is not stored again.
    pub async fn append(&self, conversation_id: &str, body: EventBody) -> StoreResult<Appended> {
        let mut tx = self.write_transaction().await?;
        let client_msg_id = match &body {
            EventBody::Message {
                client_msg_id,
                author,
                text,
                ..
            } => {
                let earlier: Option<i64> = sqlx::query_scalar(
                    "SELECT seq FROM events WHERE conversation_id = $1 AND client_msg_id = $2",
                )
                .bind(conversation_id)
                .bind(client_msg_id)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(seq) = earlier {
                    return Ok(Appended::Duplicate(to_u32(seq)?));
                }
                if matches!(author, switchboard_protocol::Author::Visitor { .. }) {
                    sqlx::query(
                        "UPDATE conversations SET first_message = $1
                         WHERE id = $2 AND first_message IS NULL",
                    )
                    .bind(text)
                    .bind(conversation_id)
                    .execute(&mut *tx)
                    .await?;
                }
                Some(client_msg_id.clone())
            }
            _ => None,
        };
        if let EventBody::OperatorJoined { operator } = &body {
            sqlx::query(
                "INSERT INTO participants (conversation_id, operator_id, operator_name, joined_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (conversation_id, operator_id) DO UPDATE SET left_at = NULL",
            )
            .bind(conversation_id)
            .bind(&operator.id)
            .bind(&operator.name)
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
            set_state(&mut tx, conversation_id, ConversationState::Active).await?;
        }
        if let EventBody::OperatorLeft { operator } = &body {
            sqlx::query(
                "UPDATE participants SET left_at = $1 WHERE conversation_id = $2 AND operator_id = $3",
            )
            .bind(now_millis())
            .bind(conversation_id)
            .bind(&operator.id)
            .execute(&mut *tx)
            .await?;
            // A chat its last operator left returns to the queue.
            sqlx::query(
                "UPDATE conversations SET state = 'ringing' WHERE id = $1 AND NOT EXISTS
                 (SELECT 1 FROM participants WHERE conversation_id = $2 AND left_at IS NULL)",
            )
            .bind(conversation_id)
            .bind(conversation_id)
            .execute(&mut *tx)
            .await?;
        }
        if let EventBody::Closed { .. } = &body {
            set_state(&mut tx, conversation_id, ConversationState::Closed).await?;
        }
        let event = insert_event(&mut tx, conversation_id, body, client_msg_id.as_deref()).await?;
        tx.commit().await?;
        Ok(Appended::New(event))
    }

    /// Events with `seq > after`, oldest first, at most `limit`.
    pub async fn events_after(
        &self,
        conversation_id: &str,
        after: u32,
        limit: u32,
    ) -> StoreResult<Vec<ConversationEvent>> {
        let rows = sqlx::query(
            "SELECT seq, at, body FROM events WHERE conversation_id = $1 AND seq > $2
             ORDER BY seq LIMIT $3",
        )
        .bind(conversation_id)
        .bind(i64::from(after))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The newest `limit` events with `seq < before` (all when `None`), oldest first, and
    /// whether older ones exist.
    pub async fn history(
        &self,
        conversation_id: &str,
        before: Option<u32>,
        limit: u32,
    ) -> StoreResult<(Vec<ConversationEvent>, bool)> {
        let rows = sqlx::query(
            "SELECT seq, at, body FROM events WHERE conversation_id = $1 AND seq < $2
             ORDER BY seq DESC LIMIT $3",
        )
        .bind(conversation_id)
        .bind(i64::from(before.unwrap_or(u32::MAX)))
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.pool)
        .await?;
        let has_more = rows.len() > limit as usize;
        let mut events = rows
            .iter()
            .take(limit as usize)
            .map(event_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        events.reverse();
        Ok((events, has_more))
    }

    /// Stores one side's read marks.
    pub async fn set_marks(
        &self,
        conversation_id: &str,
        side: Side,
        marks: ReadMarks,
    ) -> StoreResult<()> {
        let sql = match side {
            Side::Visitor => {
                "UPDATE conversations SET visitor_delivered = $1, visitor_seen = $2 WHERE id = $3"
            }
            Side::Operator => {
                "UPDATE conversations SET operator_delivered = $1, operator_seen = $2 WHERE id = $3"
            }
        };
        sqlx::query(sql)
            .bind(i64::from(marks.delivered))
            .bind(i64::from(marks.seen))
            .bind(conversation_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Set on every SQLite connection: write-ahead log, wait for locks, enforce foreign keys.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";

/// The `sqlite://` URL of a database file (created if missing). `%`, `?` and `#` in the path
/// are escaped, since the URL is percent-decoded.
fn sqlite_url(path: &Path) -> String {
    let path = path
        .to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    format!("sqlite://{path}?mode=rwc")
}

async fn set_state(tx: &mut Tx<'_>, id: &str, state: ConversationState) -> StoreResult<()> {
    let closed_at = (state == ConversationState::Closed).then(now_millis);
    sqlx::query(
        "UPDATE conversations SET state = $1, closed_at = COALESCE($2, closed_at) WHERE id = $3",
    )
    .bind(enum_text(&state))
    .bind(closed_at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Assigns the next seq and stores the event, inside the caller's transaction.
async fn insert_event(
    tx: &mut Tx<'_>,
    conversation_id: &str,
    body: EventBody,
    client_msg_id: Option<&str>,
) -> StoreResult<ConversationEvent> {
    let seq: i64 = sqlx::query_scalar(
        "UPDATE conversations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
    )
    .bind(conversation_id)
    .fetch_one(&mut **tx)
    .await?;
    let event = ConversationEvent {
        seq: to_u32(seq)?,
        at: now_millis(),
        body,
    };
    sqlx::query(
        "INSERT INTO events (conversation_id, seq, at, client_msg_id, body) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(conversation_id)
    .bind(seq)
    .bind(event.at)
    .bind(client_msg_id)
    .bind(serde_json::to_string(&event.body)?)
    .execute(&mut **tx)
    .await?;
    Ok(event)
}

fn event_from_row(row: &AnyRow) -> StoreResult<ConversationEvent> {
    Ok(ConversationEvent {
        seq: get_u32(row, "seq")?,
        at: row.try_get("at")?,
        body: serde_json::from_str(&row.try_get::<String, _>("body")?)?,
    })
}

fn operator_record(row: &AnyRow) -> StoreResult<OperatorRecord> {
    Ok(OperatorRecord {
        operator: Operator {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            role: parse_enum(&row.try_get::<String, _>("role")?)?,
        },
        status: parse_enum(&row.try_get::<String, _>("status")?)?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        max_chats: row
            .try_get::<Option<i64>, _>("max_chats")?
            .map(to_u32)
            .transpose()?,
    })
}

/// A stored integer that must fit a `u32` (seqs, marks, counts, caps).
pub(crate) fn to_u32(value: i64) -> StoreResult<u32> {
    u32::try_from(value).map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
}

/// Reads an integer column that must fit a `u32`.
pub(crate) fn get_u32(row: &AnyRow, column: &str) -> StoreResult<u32> {
    to_u32(row.try_get(column)?)
}

/// The snake_case name serde gives a unit enum variant.
fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => unreachable!("only unit enums are stored as text"),
    }
}

fn parse_enum<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    Ok(serde_json::from_value(serde_json::Value::String(
        text.to_string(),
    ))?)
}

fn parse_json_opt<T: serde::de::DeserializeOwned>(text: Option<String>) -> StoreResult<Option<T>> {
    text.map(|text| serde_json::from_str(&text))
        .transpose()
        .map_err(Into::into)
}
