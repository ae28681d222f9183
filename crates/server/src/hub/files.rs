//! Files in the chat model: who may upload into and download from a conversation, and the
//! sequenced `File` event that shares a finished upload (committed like any message, so it is
//! replayed and resumed the same way).

use switchboard_protocol::http::NewUpload;
use switchboard_protocol::limits::MAX_FILE_BYTES;
use switchboard_protocol::{Author, ErrorCode, EventBody, ProtocolError};

use super::{internal, Hub, HubResult};
use crate::files::{kinds, FileError, FileRecord, Files};
use crate::store::Appended;

/// Who asks for a file: an operator (by session token) or a visitor (by its signed token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    /// An operator id.
    Operator(String),
    /// A visitor id.
    Visitor(String),
}

impl Party {
    /// How the `files` table names this party as an uploader.
    fn uploader(&self) -> String {
        match self {
            Party::Operator(id) => format!("operator:{id}"),
            Party::Visitor(id) => format!("visitor:{id}"),
        }
    }
}

fn no_file() -> ProtocolError {
    ProtocolError::new(ErrorCode::NotFound, "no such file")
}

/// A file error as the protocol error a client sees.
pub fn file_error(error: FileError) -> ProtocolError {
    let code = match &error {
        FileError::Gone => ErrorCode::NotFound,
        FileError::WrongOffset { .. } | FileError::Busy => ErrorCode::Conflict,
        FileError::TooLarge { .. } => ErrorCode::TooLarge,
        FileError::Interrupted { .. } => ErrorCode::Invalid,
        FileError::Io(_) | FileError::Store(_) => {
            tracing::error!(%error, "file storage failed");
            return ProtocolError::new(ErrorCode::Internal, "the server could not store the file");
        }
    };
    ProtocolError::new(code, error.to_string())
}

impl Hub {
    /// The files folder.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// The visitor a signed visitor token proves, if it is valid.
    pub fn verify_visitor(&self, token: &str) -> Option<String> {
        self.tokens.verify(token)
    }

    /// Announces an upload into a conversation the party takes part in (a visitor: its open
    /// one), within the account's file size limit.
    pub async fn start_upload(&self, party: &Party, upload: NewUpload) -> HubResult<FileRecord> {
        let limit = self
            .settings
            .max_file_bytes()
            .await
            .map_err(internal)?
            .min(MAX_FILE_BYTES);
        if limit == 0 {
            return Err(ProtocolError::new(
                ErrorCode::Forbidden,
                "sending files is turned off for this account",
            ));
        }
        if upload.size > limit {
            return Err(ProtocolError::new(
                ErrorCode::TooLarge,
                format!(
                    "files are limited to {} MB",
                    limit as f64 / (1024.0 * 1024.0)
                ),
            ));
        }
        if upload.size == 0 {
            return Err(ProtocolError::new(ErrorCode::Invalid, "the file is empty"));
        }
        let author = self.author_in(party, &upload.conversation_id)?;
        let name = kinds::clean_name(&upload.name);
        let record = FileRecord {
            id: crate::auth::random_token(),
            conversation_id: upload.conversation_id,
            uploader: party.uploader(),
            author,
            mime: kinds::mime_of(&name).to_string(),
            name,
            size: upload.size,
            received: 0,
            seq: None,
        };
        self.files.create(&record).await.map_err(file_error)?;
        Ok(record)
    }

    /// How `party` appears as a file's author in an open conversation it takes part in.
    fn author_in(&self, party: &Party, conversation_id: &str) -> HubResult<Author> {
        let live = self.live();
        let conversation = live.conversations.get(conversation_id);
        match (party, conversation) {
            (Party::Visitor(visitor), Some(c)) if c.visitor_id == *visitor => Ok(Author::Visitor {
                name: c.summary.visitor.name.clone(),
            }),
            (Party::Operator(operator), Some(c)) => c
                .summary
                .operators
                .iter()
                .find(|o| o.id == *operator)
                .map(|o| Author::Operator {
                    id: o.id.clone(),
                    name: o.name.clone(),
                })
                .ok_or_else(|| super::not_participant(&live, conversation_id)),
            _ => Err(ProtocolError::new(ErrorCode::NotFound, "no such open chat")),
        }
    }

    /// The upload `id` if `party` may see it: a participant (or a rung operator) of its open
    /// conversation, or its visitor. `None` when it is gone (deleted with its chat, or never
    /// existed); files of other chats are not found.
    pub async fn file_for(&self, party: &Party, id: &str) -> HubResult<Option<FileRecord>> {
        let Some(record) = self.files.record(id).await.map_err(file_error)? else {
            return Ok(None);
        };
        let allowed = {
            let live = self.live();
            match party {
                Party::Operator(operator) => live.may_see(operator, &record.conversation_id),
                Party::Visitor(visitor) => live
                    .open_by_visitor
                    .get(visitor)
                    .is_some_and(|open| *open == record.conversation_id),
            }
        };
        if allowed {
            Ok(Some(record))
        } else {
            Err(no_file())
        }
    }

    /// The upload `id` if `party` is the one uploading it.
    pub async fn own_upload(&self, party: &Party, id: &str) -> HubResult<FileRecord> {
        match self.file_for(party, id).await? {
            Some(record) if record.uploader == party.uploader() => Ok(record),
            Some(_) => Err(no_file()),
            None => Err(file_error(FileError::Gone)),
        }
    }

    /// Shares a complete upload: commits its `File` event (once, however often it is asked).
    pub async fn share_file(&self, id: &str) -> HubResult<u32> {
        let _writer = self.writer.lock().await;
        let record = self
            .files
            .record(id)
            .await
            .map_err(file_error)?
            .ok_or_else(|| file_error(FileError::Gone))?;
        if let Some(seq) = record.seq {
            return Ok(seq);
        }
        if !self
            .live()
            .conversations
            .contains_key(&record.conversation_id)
        {
            return Err(ProtocolError::new(
                ErrorCode::Conflict,
                "the chat has ended",
            ));
        }
        let body = EventBody::File {
            author: record.author.clone(),
            file: record.info(),
        };
        let seq = match self
            .commit(&record.conversation_id, body, |_, _| {})
            .await?
        {
            Appended::New(event) => event.seq,
            Appended::Duplicate(seq) => seq,
        };
        self.files.shared(id, seq).await.map_err(file_error)?;
        Ok(seq)
    }

    /// Cancels an upload that is not shared yet.
    pub async fn cancel_upload(&self, party: &Party, id: &str) -> HubResult<()> {
        let record = self.own_upload(party, id).await?;
        if record.seq.is_some() {
            return Err(ProtocolError::new(
                ErrorCode::Conflict,
                "this file is already shared",
            ));
        }
        self.files.remove(id).await;
        Ok(())
    }
}
