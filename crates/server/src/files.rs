//! Files shared in conversations: announced uploads, streamed (never buffered whole) into
//! `<data dir>/files/<id>` with the announced size enforced while the bytes arrive, resumable
//! from the last stored byte, and deleted with their conversation.
//!
//! Who may upload or download is decided by the [`crate::hub::Hub`]; this module only keeps
//! the bytes and the `files` rows.

pub mod kinds;
pub mod records;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};

pub use records::FileRecord;

use crate::store::{Store, StoreError};

/// Bytes buffered before they are written to disk.
const WRITE_BUFFER: usize = 512 * 1024;

/// Why a file operation failed.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// No such upload (never existed, or deleted with its chat).
    #[error("this file is gone: files are deleted when their chat ends")]
    Gone,
    /// The chunk does not start where the stored bytes end.
    #[error("the upload continues at byte {expected}")]
    WrongOffset {
        /// Where the next chunk must start.
        expected: u64,
    },
    /// More bytes arrived than were announced; the upload was discarded.
    #[error("the file is larger than the {size} bytes announced; the upload was discarded")]
    TooLarge {
        /// The announced size.
        size: u64,
    },
    /// Another request is appending to this upload right now.
    #[error("this upload is already being sent")]
    Busy,
    /// The sender stopped before the chunk ended; the bytes so far are kept for a resume.
    #[error("the upload was interrupted at byte {received}; resume from there")]
    Interrupted {
        /// Bytes stored.
        received: u64,
    },
    /// The disk failed.
    #[error("file storage failed: {0}")]
    Io(#[from] std::io::Error),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for FileError {
    fn from(error: sqlx::Error) -> Self {
        FileError::Store(error.into())
    }
}

/// The files folder and its table.
#[derive(Clone)]
pub struct Files {
    dir: PathBuf,
    store: Store,
    busy: Arc<Mutex<HashSet<String>>>,
}

/// Marks an upload as being appended to until dropped.
struct Claim {
    id: String,
    busy: Arc<Mutex<HashSet<String>>>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.busy
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

impl Files {
    /// Files kept in `dir` (created if missing), with rows in `store`.
    pub fn new(dir: PathBuf, store: Store) -> Self {
        Self {
            dir,
            store,
            busy: Arc::default(),
        }
    }

    fn path(&self, id: &str) -> PathBuf {
        debug_assert!(kinds::is_file_id(id));
        self.dir.join(id)
    }

    /// Stores a new, empty upload.
    pub async fn create(&self, record: &FileRecord) -> Result<(), FileError> {
        tokio::fs::create_dir_all(&self.dir).await?;
        tokio::fs::File::create(self.path(&record.id)).await?;
        records::insert(&self.store, record).await?;
        Ok(())
    }

    /// The upload with this id; `None` for anything that is not a live file id.
    pub async fn record(&self, id: &str) -> Result<Option<FileRecord>, FileError> {
        if !kinds::is_file_id(id) {
            return Ok(None);
        }
        Ok(records::get(&self.store, id).await?)
    }

    /// Streams `body` into the upload at `offset` (which must be where the stored bytes end).
    /// Never holds more than a write buffer in memory and never stores more than the announced
    /// size: the first byte past it discards the whole upload. Returns the bytes stored.
    pub async fn append<E>(
        &self,
        id: &str,
        offset: u64,
        body: impl Stream<Item = Result<Bytes, E>>,
    ) -> Result<FileRecord, FileError> {
        let _claim = self.claim(id)?;
        let mut record = self.record(id).await?.ok_or(FileError::Gone)?;
        if record.received != offset {
            return Err(FileError::WrongOffset {
                expected: record.received,
            });
        }
        let path = self.path(id);
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .await
            .map_err(|_| FileError::Gone)?;
        // bytes past the recorded count were never acknowledged (e.g. a crash): drop them
        file.set_len(offset).await?;
        file.seek(std::io::SeekFrom::Start(offset)).await?;
        let mut writer = BufWriter::with_capacity(WRITE_BUFFER, file);
        let mut received = offset;
        let mut interrupted = false;
        let mut body = std::pin::pin!(body);
        while let Some(chunk) = body.next().await {
            let Ok(chunk) = chunk else {
                interrupted = true;
                break;
            };
            if received + chunk.len() as u64 > record.size {
                drop(writer);
                self.remove(id).await;
                return Err(FileError::TooLarge { size: record.size });
            }
            writer.write_all(&chunk).await?;
            received += chunk.len() as u64;
        }
        writer.flush().await?;
        if received == record.size {
            writer.get_ref().sync_data().await?;
        }
        records::set_received(&self.store, id, received).await?;
        record.received = received;
        if interrupted {
            return Err(FileError::Interrupted { received });
        }
        Ok(record)
    }

    /// Opens a file's bytes for reading.
    pub async fn open(&self, record: &FileRecord) -> Result<tokio::fs::File, FileError> {
        tokio::fs::File::open(self.path(&record.id))
            .await
            .map_err(|_| FileError::Gone)
    }

    /// Records the seq of a shared file's event.
    pub async fn shared(&self, id: &str, seq: u32) -> Result<(), FileError> {
        Ok(records::set_seq(&self.store, id, seq).await?)
    }

    /// Deletes one upload: its row and its bytes.
    pub async fn remove(&self, id: &str) {
        if let Err(error) = records::delete(&self.store, id).await {
            tracing::error!(%error, file = id, "could not delete a file record");
        }
        self.unlink(id).await;
    }

    /// Deletes every file of a conversation (`Some`) or of every closed one (`None`).
    pub async fn remove_closed(&self, conversation_id: Option<&str>) {
        match records::delete_closed(&self.store, conversation_id).await {
            Ok(ids) => {
                for id in ids {
                    self.unlink(&id).await;
                }
            }
            Err(error) => tracing::error!(%error, "could not delete the files of closed chats"),
        }
    }

    async fn unlink(&self, id: &str) {
        if !kinds::is_file_id(id) {
            return;
        }
        match tokio::fs::remove_file(self.path(id)).await {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => tracing::error!(%error, file = id, "could not delete a file"),
        }
    }

    fn claim(&self, id: &str) -> Result<Claim, FileError> {
        let mut busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
        if !busy.insert(id.to_string()) {
            return Err(FileError::Busy);
        }
        Ok(Claim {
            id: id.to_string(),
            busy: self.busy.clone(),
        })
    }
}
