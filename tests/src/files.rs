//! Raw file transfers for server tests: announce, stream, resume and download over HTTP as an
//! operator (session token) or a visitor (visitor token), reporting status codes as they are.

use futures_util::Stream;
use reqwest::{Response, StatusCode};
use switchboard_protocol::http::{NewUpload, UploadStatus, UPLOAD_OFFSET_HEADER};
use url::Url;

use crate::server::TestServer;

/// How a caller proves who it is.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// An operator's session token.
    Operator(String),
    /// A visitor's signed token.
    Visitor(String),
    /// Nothing.
    Anonymous,
}

/// The file endpoints of one server, called with one set of credentials.
#[derive(Debug, Clone)]
pub struct FileApi {
    base: Url,
    credentials: Credentials,
    http: reqwest::Client,
}

impl FileApi {
    /// Calls `server` as `credentials`.
    pub fn new(server: &TestServer, credentials: Credentials) -> Self {
        Self {
            base: server.base_url(),
            credentials,
            http: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> Url {
        self.base.join(path).expect("path is valid")
    }

    fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.credentials {
            Credentials::Operator(token) => request.bearer_auth(token),
            Credentials::Visitor(token) => {
                request.header("Authorization", format!("Visitor {token}"))
            }
            Credentials::Anonymous => request,
        }
    }

    /// `POST /api/v1/files`; the raw response.
    pub async fn announce(
        &self,
        conversation_id: &str,
        name: &str,
        size: u64,
    ) -> anyhow::Result<Response> {
        let body = NewUpload {
            conversation_id: conversation_id.into(),
            name: name.into(),
            size,
        };
        Ok(self
            .authorize(self.http.post(self.url("api/v1/files")))
            .json(&body)
            .send()
            .await?)
    }

    /// Announces an upload that must be accepted; returns its id.
    pub async fn create(
        &self,
        conversation_id: &str,
        name: &str,
        size: u64,
    ) -> anyhow::Result<String> {
        let response = self.announce(conversation_id, name, size).await?;
        anyhow::ensure!(
            response.status() == StatusCode::CREATED,
            "announcing failed: {} {}",
            response.status(),
            response.text().await?
        );
        Ok(response.json::<UploadStatus>().await?.id)
    }

    /// `PATCH /api/v1/files/{id}` with a streamed body; the raw response (or the transport
    /// error when the body stream itself fails).
    pub async fn append_stream<S>(
        &self,
        id: &str,
        offset: u64,
        body: S,
    ) -> reqwest::Result<Response>
    where
        S: Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + Sync + 'static,
    {
        self.authorize(self.http.patch(self.url(&format!("api/v1/files/{id}"))))
            .header(UPLOAD_OFFSET_HEADER, offset.to_string())
            .body(reqwest::Body::wrap_stream(body))
            .send()
            .await
    }

    /// `PATCH /api/v1/files/{id}` with these bytes; the raw response.
    pub async fn append(&self, id: &str, offset: u64, bytes: &[u8]) -> anyhow::Result<Response> {
        Ok(self
            .authorize(self.http.patch(self.url(&format!("api/v1/files/{id}"))))
            .header(UPLOAD_OFFSET_HEADER, offset.to_string())
            .body(bytes.to_vec())
            .send()
            .await?)
    }

    /// Uploads `bytes` as one file and returns the seq of its `File` event.
    pub async fn upload(
        &self,
        conversation_id: &str,
        name: &str,
        bytes: &[u8],
    ) -> anyhow::Result<(String, u32)> {
        let id = self
            .create(conversation_id, name, bytes.len() as u64)
            .await?;
        let response = self.append(&id, 0, bytes).await?;
        anyhow::ensure!(
            response.status().is_success(),
            "upload failed: {}",
            response.status()
        );
        let status: UploadStatus = response.json().await?;
        let seq = status
            .seq
            .ok_or_else(|| anyhow::anyhow!("a complete upload is shared"))?;
        Ok((id, seq))
    }

    /// `GET /api/v1/files/{id}/upload`; the raw response.
    pub async fn progress(&self, id: &str) -> anyhow::Result<Response> {
        Ok(self
            .authorize(
                self.http
                    .get(self.url(&format!("api/v1/files/{id}/upload"))),
            )
            .send()
            .await?)
    }

    /// `GET` of a raw path under the server (for traversal attempts); the raw response.
    pub async fn get_path(&self, path: &str) -> anyhow::Result<Response> {
        let url = format!("{}{}", self.base.as_str(), path.trim_start_matches('/'));
        Ok(self.authorize(self.http.get(url)).send().await?)
    }

    /// `GET /api/v1/files/{id}`; the raw response.
    pub async fn download(&self, id: &str) -> anyhow::Result<Response> {
        self.get_path(&format!("api/v1/files/{id}")).await
    }
}
