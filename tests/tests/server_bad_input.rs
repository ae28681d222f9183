//! Bad input through the real server: every case gets a clear error and loses nothing.

use switchboard_protocol::limits::{MAX_FRAME_BYTES, MAX_MESSAGE_BYTES};
use switchboard_protocol::{
    AgentEvent, AgentRequest, ErrorCode, Status, VisitorEvent, VisitorRequest, PROTOCOL_VERSION,
};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{demo_page, RawAgent, RawVisitor};

const PASSWORD: &str = "operator-password";

fn error_code(event: &VisitorEvent) -> Option<ErrorCode> {
    match event {
        VisitorEvent::Error { error, .. } => Some(error.code),
        _ => None,
    }
}

async fn visitor_in_chat(server: &TestServer) -> anyhow::Result<(RawVisitor, String, String)> {
    let (mut visitor, welcome) = RawVisitor::connect(server, None, None).await?;
    let VisitorEvent::Welcome { visitor_token, .. } = welcome else {
        anyhow::bail!("expected a welcome, got {welcome:?}");
    };
    let id = visitor.start_chat().await?;
    Ok((visitor, visitor_token, id))
}

#[tokio::test]
async fn malformed_frames_get_an_error_and_the_socket_stays_usable() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut visitor, _, _) = visitor_in_chat(&server).await?;
    visitor.send_text("{not json".into()).await?;
    assert_eq!(
        visitor.wait_for(error_code).await?,
        ErrorCode::MalformedFrame
    );
    visitor
        .send_text(r#"{"type":"launch_missiles"}"#.into())
        .await?;
    assert_eq!(
        visitor.wait_for(error_code).await?,
        ErrorCode::MalformedFrame
    );
    let seq = visitor
        .request(VisitorRequest::Send {
            req: 2,
            client_msg_id: "ok".into(),
            text: "still works".into(),
        })
        .await?;
    assert!(seq.is_some());
    Ok(())
}

#[tokio::test]
async fn oversized_messages_and_frames_are_refused_clearly() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut visitor, _, _) = visitor_in_chat(&server).await?;
    let too_long = "x".repeat(MAX_MESSAGE_BYTES + 1);
    let error = visitor
        .request(VisitorRequest::Send {
            req: 2,
            client_msg_id: "big".into(),
            text: too_long,
        })
        .await
        .expect_err("an oversized message is refused");
    assert!(error.to_string().contains("TooLarge"), "{error}");

    let huge_frame = format!(
        r#"{{"type":"page_view","page":{{"url":"{}","title":""}}}}"#,
        "y".repeat(MAX_FRAME_BYTES)
    );
    visitor.send_text(huge_frame).await?;
    assert_eq!(
        visitor.closed().await?,
        Some(1009),
        "closed with 'message too big'"
    );
    Ok(())
}

#[tokio::test]
async fn a_refused_send_names_its_request_and_is_not_stored() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut visitor, _, _) = visitor_in_chat(&server).await?;
    let burst = 60;
    for n in 1..=burst {
        let send = VisitorRequest::Send {
            req: n,
            client_msg_id: format!("m{n}"),
            text: format!("message {n}"),
        };
        visitor.send(&send).await?;
    }
    let mut answers = std::collections::BTreeMap::new();
    while answers.len() < burst as usize {
        let (req, answer) = match visitor.next().await? {
            VisitorEvent::Ack { req, .. } => (req, Ok(())),
            VisitorEvent::Error {
                req: Some(req),
                error,
            } => (req, Err(error.code)),
            VisitorEvent::Error { req: None, error } => {
                anyhow::bail!("an error names no request: {error:?}")
            }
            _ => continue,
        };
        let earlier = answers.insert(req, answer);
        assert!(earlier.is_none(), "request {req} was answered twice");
    }
    let refused = answers
        .values()
        .filter(|answer| **answer == Err(ErrorCode::RateLimited))
        .count();
    assert!(
        refused > 0,
        "a burst of {burst} is partly refused: {answers:?}"
    );
    let stored: usize = server
        .sql("SELECT COUNT(*) FROM events WHERE client_msg_id IS NOT NULL")
        .await?
        .trim()
        .parse()?;
    assert_eq!(
        stored,
        burst as usize - refused,
        "exactly the acknowledged ones are stored"
    );
    Ok(())
}

#[tokio::test]
async fn a_flood_is_rate_limited_with_an_error_frame() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut visitor, _, _) = visitor_in_chat(&server).await?;
    for _ in 0..80 {
        visitor
            .send(&VisitorRequest::PageView {
                page: demo_page(&server, "demo/pricing.html"),
            })
            .await?;
    }
    assert_eq!(
        visitor
            .wait_for(|e| error_code(e).filter(|c| *c == ErrorCode::RateLimited))
            .await?,
        ErrorCode::RateLimited
    );
    Ok(())
}

#[tokio::test]
async fn a_forged_visitor_token_gets_a_new_identity_not_the_other_chat() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (_victim, token, _) = visitor_in_chat(&server).await?;
    let (victim_id, signature) = token.rsplit_once('.').expect("token is id.signature");
    for forged in [
        format!("{victim_id}.{}", "0".repeat(signature.len())),
        victim_id.to_string(),
    ] {
        let (_, welcome) = RawVisitor::connect(&server, Some(forged), None).await?;
        let VisitorEvent::Welcome {
            visitor_id,
            conversation,
            ..
        } = welcome
        else {
            anyhow::bail!("expected a welcome, got {welcome:?}");
        };
        assert_ne!(visitor_id, victim_id);
        assert_eq!(conversation, None, "the victim's chat is not visible");
    }
    Ok(())
}

#[tokio::test]
async fn operators_cannot_touch_chats_they_do_not_take_part_in() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server
        .add_operator("ann@example.com", "Ann", PASSWORD)
        .await?;
    server
        .add_operator("eve@example.com", "Eve", PASSWORD)
        .await?;
    let (mut ann, _) =
        RawAgent::connect_with_status(&server, "ann@example.com", PASSWORD, Status::Online).await?;
    let (_visitor, _, id) = visitor_in_chat(&server).await?;
    ann.request(AgentRequest::Accept {
        req: 2,
        conversation_id: id.clone(),
    })
    .await?;

    let (mut eve, _) = RawAgent::connect(&server, "eve@example.com", PASSWORD).await?;
    let send = AgentRequest::Send {
        req: 3,
        conversation_id: id.clone(),
        client_msg_id: "x".into(),
        text: "hi".into(),
    };
    assert!(eve
        .request(send)
        .await
        .unwrap_err()
        .to_string()
        .contains("Forbidden"));
    let history = AgentRequest::History {
        req: 4,
        conversation_id: id.clone(),
        before_seq: None,
        limit: 10,
    };
    assert!(eve
        .request(history)
        .await
        .unwrap_err()
        .to_string()
        .contains("NotFound"));
    let close = AgentRequest::Close {
        req: 5,
        conversation_id: "no-such-chat".into(),
    };
    assert!(eve
        .request(close)
        .await
        .unwrap_err()
        .to_string()
        .contains("NotFound"));
    Ok(())
}

#[tokio::test]
async fn bad_tokens_and_passwords_are_refused() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut agent = RawAgent::open(&server.ws_url("ws/v1/agent")).await?;
    agent
        .send(&AgentRequest::Hello {
            protocol: PROTOCOL_VERSION,
            token: "forged".into(),
            resume: Vec::new(),
        })
        .await?;
    let refused = agent.next().await?;
    assert!(
        matches!(refused, AgentEvent::Error { error, .. } if error.code == ErrorCode::Unauthorized)
    );
    agent.closed().await?;

    let client = reqwest::Client::new();
    let url = server.base_url().join("api/v1/login")?;
    let wrong = serde_json::json!({"email": server.admin_email(), "password": "wrong"});
    let response = client.post(url.clone()).json(&wrong).send().await?;
    assert_eq!(response.status(), 401);
    // The limit counts attempts per email: the sixth within a minute is refused.
    let mut last = response.status();
    for _ in 0..5 {
        last = client.post(url.clone()).json(&wrong).send().await?.status();
    }
    assert_eq!(last, 429);
    let garbage = client.post(url).body("{{{").send().await?;
    assert_eq!(garbage.status(), 400);
    Ok(())
}

#[tokio::test]
async fn a_logged_out_token_no_longer_opens_a_socket() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let session =
        switchboard_tests::wire::login(&server, server.admin_email(), server.admin_password())
            .await?;
    let response = reqwest::Client::new()
        .post(server.base_url().join("api/v1/logout")?)
        .bearer_auth(&session.token)
        .send()
        .await?;
    assert_eq!(response.status(), 204);
    let mut agent = RawAgent::open(&server.ws_url("ws/v1/agent")).await?;
    agent
        .send(&AgentRequest::Hello {
            protocol: PROTOCOL_VERSION,
            token: session.token,
            resume: Vec::new(),
        })
        .await?;
    assert!(
        matches!(agent.next().await?, AgentEvent::Error { error, .. } if error.code == ErrorCode::Unauthorized)
    );
    Ok(())
}

#[tokio::test]
async fn the_origin_allowlist_refuses_other_sites() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server
        .set_setting("allowed_origins", "https://shop.example.com")
        .await?;
    let mut visitor = RawVisitor::open(&server.ws_url("ws/v1/visitor")).await?;
    let mut page = demo_page(&server, "demo/");
    page.url = "https://evil.example.net/".into();
    visitor
        .send(&VisitorRequest::Hello {
            protocol: PROTOCOL_VERSION,
            visitor_token: None,
            page,
            time_zone: None,
            last_seq: None,
        })
        .await?;
    assert_eq!(visitor.wait_for(error_code).await?, ErrorCode::OriginDenied);

    let (_, welcome) = RawVisitor::connect(&server, None, None).await?;
    assert!(
        matches!(welcome, VisitorEvent::Welcome { .. }),
        "the server's own demo pages are allowed"
    );
    Ok(())
}

#[tokio::test]
async fn successful_logins_are_never_throttled() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    for _ in 0..10 {
        switchboard_tests::wire::login(&server, server.admin_email(), server.admin_password())
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn read_receipts_are_not_rate_limited() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut visitor, _, _) = visitor_in_chat(&server).await?;
    for _ in 0..100 {
        visitor
            .send(&VisitorRequest::Receipt {
                delivered: 1,
                seen: 1,
            })
            .await?;
    }
    let send = VisitorRequest::Send {
        req: 9,
        client_msg_id: "after".into(),
        text: "hi".into(),
    };
    visitor.send(&send).await?;
    loop {
        match visitor.next().await? {
            VisitorEvent::Ack { req: 9, .. } => return Ok(()),
            VisitorEvent::Error { error, .. } => anyhow::bail!("unexpected error: {error}"),
            _ => continue,
        }
    }
}

#[tokio::test]
async fn one_address_may_hold_only_so_many_visitor_sockets() -> anyhow::Result<()> {
    let server = TestServer::start_with(&["--max-visitor-sockets-per-ip", "3"]).await?;
    let from = |ip: &'static str| {
        let page = demo_page(&server, "demo/");
        RawVisitor::connect_from(&server, ip, "Firefox", None, page)
    };
    let mut open = Vec::new();
    for _ in 0..3 {
        let (visitor, welcome) = from("203.0.113.9").await?;
        assert!(
            matches!(welcome, VisitorEvent::Welcome { .. }),
            "{welcome:?}"
        );
        open.push(visitor);
    }
    let headers = [("x-forwarded-for", "203.0.113.9")];
    let mut fourth =
        RawVisitor::open_with_headers(&server.ws_url("ws/v1/visitor"), &headers).await?;
    let refusal = fourth.next().await?;
    assert_eq!(
        error_code(&refusal),
        Some(ErrorCode::RateLimited),
        "{refusal:?}"
    );
    assert_eq!(
        fourth.closed().await?,
        Some(1008),
        "the fourth socket is closed"
    );

    let (_, welcome) = from("198.51.100.1").await?;
    assert!(
        matches!(welcome, VisitorEvent::Welcome { .. }),
        "other addresses are not affected: {welcome:?}"
    );
    Ok(())
}
