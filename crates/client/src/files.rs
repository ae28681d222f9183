//! File transfers over HTTP: upload a file from disk into a conversation (announce, stream with
//! progress, resume after a broken connection from the offset the server reports) and download
//! a shared file to disk. Both stream; neither holds a whole file in memory.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{RequestBuilder, Response};
use switchboard_protocol::http::{NewUpload, UploadStatus, UPLOAD_OFFSET_HEADER};
use switchboard_protocol::{ErrorCode, ProtocolError};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};
use url::Url;

use crate::backoff::Backoff;
use crate::{endpoints, http, ClientError};

/// Broken connections an upload survives (resuming each time) before it fails.
const UPLOAD_ATTEMPTS: u32 = 5;
/// How long connecting may take; a transfer itself has no time limit.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Bytes read from disk per chunk of a streamed upload.
const READ_CHUNK: usize = 256 * 1024;

/// Called with the number of bytes transferred so far.
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// An operator's file transfers with one server.
#[derive(Clone)]
pub struct FileTransfers {
    server: Url,
    token: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for FileTransfers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileTransfers")
            .field("server", &self.server.as_str())
            .finish_non_exhaustive()
    }
}

impl FileTransfers {
    /// Transfers with `server`, authenticated by the session `token`.
    pub fn new(server: Url, token: String) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()?;
        Ok(Self {
            server,
            token,
            http,
        })
    }

    /// Uploads the file at `path` into a conversation; returns the final status (with the seq
    /// of the `File` event). A broken connection is resumed from the server's offset. Drop the
    /// future to stop; then [`FileTransfers::cancel`] tells the server to forget the upload.
    /// `on_start` gets the file id as soon as the server knows the upload.
    pub async fn upload(
        &self,
        conversation_id: &str,
        path: &Path,
        on_start: impl FnOnce(&str),
        progress: Progress,
    ) -> Result<UploadStatus, ClientError> {
        let size = tokio::fs::metadata(path).await.map_err(io)?.len();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        let announce = NewUpload {
            conversation_id: conversation_id.to_owned(),
            name,
            size,
        };
        let files = endpoints::files(&self.server)?;
        let response = self
            .auth(self.http.post(files.clone()))
            .json(&announce)
            .send()
            .await?;
        let mut status: UploadStatus = checked(response).await?.json().await?;
        on_start(&status.id);
        let mut backoff = Backoff::default();
        let mut attempt = 0;
        loop {
            match self.send_from(&status, path, progress.clone()).await {
                Ok(done) => return Ok(done),
                Err(ClientError::Http(error)) if attempt + 1 < UPLOAD_ATTEMPTS => {
                    tracing::info!(%error, "upload interrupted; resuming");
                    attempt += 1;
                    tokio::time::sleep(backoff.next_retry(rand::random()).delay).await;
                    status = self.status(&status.id).await?;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Streams the file from `status.received` to its end.
    async fn send_from(
        &self,
        status: &UploadStatus,
        path: &Path,
        progress: Progress,
    ) -> Result<UploadStatus, ClientError> {
        let mut file = tokio::fs::File::open(path).await.map_err(io)?;
        file.seek(std::io::SeekFrom::Start(status.received))
            .await
            .map_err(io)?;
        let mut sent = status.received;
        progress(sent);
        let chunks =
            tokio_util::io::ReaderStream::with_capacity(file, READ_CHUNK).map(move |chunk| {
                if let Ok(bytes) = &chunk {
                    sent += bytes.len() as u64;
                    progress(sent);
                }
                chunk
            });
        let response = self
            .auth(self.http.patch(self.file_url(&status.id)?))
            .header(UPLOAD_OFFSET_HEADER, status.received.to_string())
            .body(reqwest::Body::wrap_stream(chunks))
            .send()
            .await?;
        Ok(checked(response).await?.json().await?)
    }

    /// How far an upload got.
    pub async fn status(&self, file_id: &str) -> Result<UploadStatus, ClientError> {
        let url = endpoints::files(&self.server)?
            .join(&format!("files/{file_id}/upload"))
            .map_err(|_| ClientError::BadUrl(self.server.to_string()))?;
        let response = self.auth(self.http.get(url)).send().await?;
        Ok(checked(response).await?.json().await?)
    }

    /// Tells the server to forget an unfinished upload.
    pub async fn cancel(&self, file_id: &str) -> Result<(), ClientError> {
        let response = self
            .auth(self.http.delete(self.file_url(file_id)?))
            .send()
            .await?;
        checked(response).await?;
        Ok(())
    }

    /// Downloads a shared file into `dest` (created or replaced); returns its size.
    pub async fn download(
        &self,
        file_id: &str,
        dest: &Path,
        progress: Progress,
    ) -> Result<u64, ClientError> {
        let response = self
            .auth(self.http.get(self.file_url(file_id)?))
            .send()
            .await?;
        let response = checked(response).await?;
        let mut out = tokio::fs::File::create(dest).await.map_err(io)?;
        let mut body = response.bytes_stream();
        let mut received = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            out.write_all(&chunk).await.map_err(io)?;
            received += chunk.len() as u64;
            progress(received);
        }
        out.flush().await.map_err(io)?;
        Ok(received)
    }

    /// Fetches a small file (an image preview) into memory, refusing anything over `limit`.
    pub async fn fetch(&self, file_id: &str, limit: u64) -> Result<Vec<u8>, ClientError> {
        let response = self
            .auth(self.http.get(self.file_url(file_id)?))
            .send()
            .await?;
        let response = checked(response).await?;
        if response
            .content_length()
            .is_some_and(|length| length > limit)
        {
            return Err(ClientError::Invalid(ProtocolError::new(
                ErrorCode::TooLarge,
                "this file is too large to preview",
            )));
        }
        Ok(response.bytes().await?.to_vec())
    }

    fn file_url(&self, file_id: &str) -> Result<Url, ClientError> {
        let mut url = endpoints::files(&self.server)?;
        url.path_segments_mut()
            .map_err(|()| ClientError::BadUrl(self.server.to_string()))?
            .push(file_id);
        Ok(url)
    }

    fn auth(&self, request: RequestBuilder) -> RequestBuilder {
        request.bearer_auth(&self.token)
    }
}

async fn checked(response: Response) -> Result<Response, ClientError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body = response.bytes().await?;
    Err(http::refusal(status, &body))
}

fn io(error: std::io::Error) -> ClientError {
    ClientError::File(error.to_string())
}
