//! Files through the real server: shared both ways as sequenced events, the size limit
//! enforced while the bytes stream in, resumable uploads, access only for the chat's own
//! participants, safe serving, no path tricks, and deletion when the chat closes.

use futures_util::stream;
use reqwest::StatusCode;
use switchboard_protocol::http::UploadStatus;
use switchboard_protocol::limits::MAX_FILE_BYTES;
use switchboard_protocol::{
    AgentEvent, AgentRequest, Author, EventBody, FileInfo, Status, VisitorEvent, VisitorRequest,
};
use switchboard_tests::files::{Credentials, FileApi};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{login, RawAgent, RawVisitor};

const PASSWORD: &str = "operator-password";

/// One active chat: an operator who accepted it and its visitor, each with file access.
struct Chat {
    id: String,
    agent: RawAgent,
    operator: FileApi,
    visitor: RawVisitor,
    visitor_token: String,
    visitor_files: FileApi,
}

async fn operator(server: &TestServer, email: &str) -> anyhow::Result<(RawAgent, FileApi)> {
    server.add_operator(email, email, PASSWORD).await?;
    let session = login(server, email, PASSWORD).await?;
    let (mut agent, _) = RawAgent::connect(server, email, PASSWORD).await?;
    agent
        .request(AgentRequest::SetStatus {
            req: 1,
            status: Status::Online,
        })
        .await?;
    Ok((
        agent,
        FileApi::new(server, Credentials::Operator(session.token)),
    ))
}

/// A visitor calls and `email` (a new, online operator) accepts.
async fn chat(server: &TestServer, email: &str) -> anyhow::Result<Chat> {
    let (mut agent, operator) = self::operator(server, email).await?;
    let (mut visitor, welcome) = RawVisitor::connect(server, None, None).await?;
    let VisitorEvent::Welcome { visitor_token, .. } = welcome else {
        anyhow::bail!("expected welcome, got {welcome:?}");
    };
    visitor
        .send(&VisitorRequest::StartChat {
            req: 1,
            survey: Vec::new(),
        })
        .await?;
    let id = agent
        .wait_for(|event| match event {
            AgentEvent::Ringing { conversation } => Some(conversation.id.clone()),
            _ => None,
        })
        .await?;
    agent
        .request(AgentRequest::Accept {
            req: 2,
            conversation_id: id.clone(),
        })
        .await?;
    Ok(Chat {
        id,
        agent,
        operator,
        visitor,
        visitor_files: FileApi::new(server, Credentials::Visitor(visitor_token.clone())),
        visitor_token,
    })
}

fn shared_file(body: &EventBody) -> Option<(Author, FileInfo)> {
    match body {
        EventBody::File { author, file } => Some((author.clone(), file.clone())),
        _ => None,
    }
}

fn files_on_disk(server: &TestServer) -> Vec<(String, u64)> {
    let dir = server.data_dir().join("files");
    std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let size = e.metadata().map_or(0, |m| m.len());
                    (e.file_name().to_string_lossy().into_owned(), size)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

#[tokio::test]
async fn operator_and_visitor_share_files_both_ways_as_chat_events() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut chat = chat(&server, "ann@example.com").await?;

    let report = pattern(300_000);
    let (id, seq) = chat
        .operator
        .upload(&chat.id, "report.pdf", &report)
        .await?;
    let (author, file) = chat
        .visitor
        .wait_for(|event| match event {
            VisitorEvent::Event { event, .. } if event.seq == seq => shared_file(&event.body),
            _ => None,
        })
        .await?;
    assert!(matches!(author, Author::Operator { .. }), "{author:?}");
    assert_eq!(
        (
            file.id.as_str(),
            file.name.as_str(),
            file.size,
            file.mime.as_str(),
            file.preview
        ),
        (id.as_str(), "report.pdf", 300_000, "application/pdf", false)
    );
    let download = chat.visitor_files.download(&id).await?;
    assert_eq!(download.status(), StatusCode::OK);
    let headers = download.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(headers["content-disposition"]
        .to_str()?
        .starts_with("attachment; filename=\"report.pdf\""));
    assert_eq!(download.bytes().await?.as_ref(), report.as_slice());

    let shot = pattern(5_000);
    let (shot_id, shot_seq) = chat
        .visitor_files
        .upload(&chat.id, "shot.png", &shot)
        .await?;
    let (author, file) = chat
        .agent
        .wait_for(|event| match event {
            AgentEvent::Event { event, .. } if event.seq == shot_seq => shared_file(&event.body),
            _ => None,
        })
        .await?;
    assert!(matches!(author, Author::Visitor { .. }), "{author:?}");
    assert!(file.preview, "a PNG may be previewed");
    let download = chat.operator.download(&shot_id).await?;
    assert_eq!(download.headers()["content-type"], "image/png");
    assert_eq!(download.bytes().await?.as_ref(), shot.as_slice());
    Ok(())
}

#[tokio::test]
async fn visitor_download_links_carry_the_visitor_token() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let chat = chat(&server, "ann@example.com").await?;
    let (id, _) = chat
        .operator
        .upload(&chat.id, "photo.jpg", b"jpeg bytes")
        .await?;
    let VisitorEvent::Welcome { visitor_token, .. } =
        RawVisitor::connect(&server, None, None).await?.1
    else {
        anyhow::bail!("expected welcome");
    };
    let anonymous = FileApi::new(&server, Credentials::Anonymous);
    // someone else's visitor token in the link: not found
    let other = anonymous
        .get_path(&format!("api/v1/files/{id}?visitor={visitor_token}"))
        .await?;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    // the chat's own visitor: served inline when asked, as an image preview
    let own = anonymous
        .get_path(&format!(
            "api/v1/files/{id}?visitor={}&inline=1",
            chat.visitor_token
        ))
        .await?;
    assert_eq!(own.status(), StatusCode::OK);
    assert!(own.headers()["content-disposition"]
        .to_str()?
        .starts_with("inline"));
    assert_eq!(own.bytes().await?.as_ref(), b"jpeg bytes");
    Ok(())
}

#[tokio::test]
async fn a_file_over_100_mb_is_refused_while_streaming_and_never_fills_the_disk(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let chat = chat(&server, "ann@example.com").await?;

    let announced = chat
        .operator
        .announce(&chat.id, "big.bin", MAX_FILE_BYTES + 1)
        .await?;
    assert_eq!(announced.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Announce exactly 100 MB, then stream one byte more, in 1 MiB chunks made on the fly.
    let id = chat
        .operator
        .create(&chat.id, "big.bin", MAX_FILE_BYTES)
        .await?;
    let chunk = vec![7u8; 1024 * 1024];
    let chunks = (MAX_FILE_BYTES / chunk.len() as u64) as usize;
    let body = stream::iter(
        std::iter::repeat_n(chunk, chunks)
            .chain(std::iter::once(vec![1u8]))
            .map(Ok::<_, std::io::Error>),
    );
    let response = chat.operator.append_stream(&id, 0, body).await?;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error = response.text().await?;
    assert!(error.contains("larger than"), "{error}");
    assert!(
        files_on_disk(&server).is_empty(),
        "the oversized upload was discarded: {:?}",
        files_on_disk(&server)
    );
    assert_eq!(
        chat.operator.download(&id).await?.status(),
        StatusCode::GONE
    );
    Ok(())
}

#[tokio::test]
async fn the_account_can_lower_the_limit_or_turn_files_off() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.set_setting("max_file_bytes", "1000").await?;
    let chat = chat(&server, "ann@example.com").await?;
    let refused = chat.visitor_files.announce(&chat.id, "a.txt", 1001).await?;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    chat.visitor_files
        .upload(&chat.id, "a.txt", &pattern(1000))
        .await?;

    server.set_setting("max_file_bytes", "0").await?;
    let off = chat.operator.announce(&chat.id, "a.txt", 10).await?;
    assert_eq!(off.status(), StatusCode::FORBIDDEN);
    assert!(off.text().await?.contains("turned off"));
    Ok(())
}

#[tokio::test]
async fn an_interrupted_upload_resumes_from_the_stored_offset() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut chat = chat(&server, "ann@example.com").await?;
    let bytes = pattern(3 * 1024 * 1024);
    let id = chat
        .visitor_files
        .create(&chat.id, "logs.zip", bytes.len() as u64)
        .await?;

    // The connection breaks after the first MiB.
    let first = bytes[..1024 * 1024].to_vec();
    let broken = stream::iter(vec![Ok(first), Err(std::io::Error::other("network gone"))]);
    assert!(chat
        .visitor_files
        .append_stream(&id, 0, broken)
        .await
        .is_err());

    let status: UploadStatus = loop_until_stable(&chat.visitor_files, &id).await?;
    assert!(status.received <= 1024 * 1024, "{status:?}");
    assert_eq!(status.seq, None, "an incomplete upload is not shared");

    // A chunk at the wrong offset is refused; the right one completes the file.
    let wrong = chat
        .visitor_files
        .append(&id, status.received + 1, &bytes[..1])
        .await?;
    assert_eq!(wrong.status(), StatusCode::CONFLICT);
    let rest = chat
        .visitor_files
        .append(&id, status.received, &bytes[status.received as usize..])
        .await?;
    assert_eq!(rest.status(), StatusCode::OK);
    let done: UploadStatus = rest.json().await?;
    let seq = done.seq.expect("the complete upload is shared");
    chat.agent
        .wait_for(|event| match event {
            AgentEvent::Event { event, .. } if event.seq == seq => shared_file(&event.body),
            _ => None,
        })
        .await?;
    let download = chat.operator.download(&id).await?;
    assert_eq!(download.bytes().await?.as_ref(), bytes.as_slice());
    Ok(())
}

/// The upload's status once the server has finished with the broken request (it answers
/// 409 while that request still holds the upload).
async fn loop_until_stable(api: &FileApi, id: &str) -> anyhow::Result<UploadStatus> {
    let deadline = tokio::time::Instant::now() + switchboard_tests::wire::WAIT;
    loop {
        let response = api.progress(id).await?;
        if response.status() == StatusCode::OK {
            // appending again at the reported offset proves nothing else holds the upload
            let status: UploadStatus = response.json().await?;
            let probe = api.append(id, status.received, &[]).await?;
            if probe.status() == StatusCode::OK {
                return Ok(probe.json().await?);
            }
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the upload never became free"
        );
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn only_the_chats_own_participants_reach_its_files() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let first = chat(&server, "ann@example.com").await?;
    let (id, _) = first
        .visitor_files
        .upload(&first.id, "id-card.png", b"secret")
        .await?;
    let second = chat(&server, "bob@example.com").await?;

    // Bob rings for nothing of Ann's chat now (it is active): he sees none of its files.
    for (who, api) in [
        ("operator of another chat", &second.operator),
        ("visitor of another chat", &second.visitor_files),
    ] {
        let response = api.download(&id).await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{who}");
        let upload = api.announce(&first.id, "x.txt", 3).await?;
        assert!(
            matches!(
                upload.status(),
                StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
            ),
            "{who} uploads into another chat: {}",
            upload.status()
        );
        let append = api.append(&id, 6, b"more").await?;
        assert_eq!(
            append.status(),
            StatusCode::NOT_FOUND,
            "{who} appends to another's upload"
        );
    }
    let anonymous = FileApi::new(&server, Credentials::Anonymous);
    assert_eq!(
        anonymous.download(&id).await?.status(),
        StatusCode::UNAUTHORIZED
    );
    let forged = FileApi::new(&server, Credentials::Visitor("someone.00ff".into()));
    assert_eq!(
        forged.download(&id).await?.status(),
        StatusCode::UNAUTHORIZED
    );
    let bad_session = FileApi::new(&server, Credentials::Operator("f".repeat(64)));
    assert_eq!(
        bad_session.download(&id).await?.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(first.operator.download(&id).await?.status(), StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn path_tricks_never_reach_the_disk_and_dangerous_types_only_download() -> anyhow::Result<()>
{
    let server = TestServer::start().await?;
    let mut chat = chat(&server, "ann@example.com").await?;
    for path in [
        "api/v1/files/..%2Fswitchboard.db",
        "api/v1/files/..%2F..%2Fswitchboard.db",
        "api/v1/files/%2e%2e%2fswitchboard.db",
        "api/v1/files/....%2F%2Fswitchboard.db",
        "api/v1/files/..%5Cswitchboard.db",
        "api/v1/files/%00",
    ] {
        let response = chat.operator.get_path(path).await?;
        assert!(
            matches!(response.status(), StatusCode::GONE | StatusCode::NOT_FOUND),
            "{path}: {}",
            response.status()
        );
        let body = response.bytes().await?;
        assert!(
            !body.starts_with(b"SQLite format"),
            "{path} leaked the database"
        );
    }

    let (id, seq) = chat
        .operator
        .upload(&chat.id, "../../../evil.html", b"<script>alert(1)</script>")
        .await?;
    let (_, file) = chat
        .visitor
        .wait_for(|event| match event {
            VisitorEvent::Event { event, .. } if event.seq == seq => shared_file(&event.body),
            _ => None,
        })
        .await?;
    assert_eq!(file.name, "evil.html");
    assert!(!file.preview);
    assert!(!server
        .data_dir()
        .parent()
        .map(|p| p.join("evil.html"))
        .is_some_and(|p| p.exists()));
    assert_eq!(files_on_disk(&server), vec![(id.clone(), 25)]);
    let response = chat
        .visitor_files
        .get_path(&format!("api/v1/files/{id}?inline=1"))
        .await?;
    let disposition = response.headers()["content-disposition"]
        .to_str()?
        .to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");

    let (svg, _) = chat
        .visitor_files
        .upload(&chat.id, "logo.svg", b"<svg/>")
        .await?;
    let response = chat
        .operator
        .get_path(&format!("api/v1/files/{svg}?inline=1"))
        .await?;
    assert!(response.headers()["content-disposition"]
        .to_str()?
        .starts_with("attachment"));
    Ok(())
}

#[tokio::test]
async fn closing_the_chat_deletes_its_files_and_the_link_says_so() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut chat = chat(&server, "ann@example.com").await?;
    let (shared, _) = chat.visitor_files.upload(&chat.id, "a.png", b"png").await?;
    let unfinished = chat.operator.create(&chat.id, "b.zip", 100).await?;
    assert_eq!(files_on_disk(&server).len(), 2);

    chat.agent
        .request(AgentRequest::Close {
            req: 9,
            conversation_id: chat.id.clone(),
        })
        .await?;
    assert_eq!(files_on_disk(&server), Vec::<(String, u64)>::new());
    for id in [&shared, &unfinished] {
        let response = chat.operator.download(id).await?;
        assert_eq!(response.status(), StatusCode::GONE);
        assert!(response
            .text()
            .await?
            .contains("deleted when their chat ends"));
    }
    let rows: i64 = server
        .sql("SELECT COUNT(*) FROM files")
        .await?
        .trim()
        .parse()?;
    assert_eq!(rows, 0, "the database keeps no file rows");
    Ok(())
}
