//! Several server nodes on one PostgreSQL database and one NATS broker (both real, started by
//! the harness): a visitor on one node chats with an operator on another, and when the hub
//! dies a relay takes over and the chat goes on where it was, nothing lost or doubled.

use reqwest::StatusCode;
use switchboard_protocol::{
    AgentEvent, AgentRequest, Author, EventBody, Status, VisitorEvent, VisitorRequest,
};
use switchboard_tests::cluster::TestCluster;
use switchboard_tests::files::{Credentials, FileApi};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{login, RawAgent, RawVisitor};

const PASSWORD: &str = "operator-password";

/// An operator logged in (over HTTP) and connected through `node`, Online.
async fn operator_on(node: &TestServer, email: &str) -> anyhow::Result<RawAgent> {
    let (agent, _) = RawAgent::connect_with_status(node, email, PASSWORD, Status::Online).await?;
    Ok(agent)
}

/// The text of the next message event an operator receives.
async fn operator_reads(agent: &mut RawAgent) -> anyhow::Result<String> {
    agent
        .wait_for_event(|event| match &event.body {
            EventBody::Message { text, .. } => Some(text.clone()),
            _ => None,
        })
        .await
}

/// The text of the next operator message a visitor receives.
async fn visitor_reads(visitor: &mut RawVisitor) -> anyhow::Result<String> {
    visitor
        .wait_for_event(|event| match &event.body {
            EventBody::Message {
                text,
                author: Author::Operator { .. },
                ..
            } => Some(text.clone()),
            _ => None,
        })
        .await
}

async fn visitor_says(visitor: &mut RawVisitor, req: u32, text: &str) -> anyhow::Result<u32> {
    let seq = visitor
        .request(VisitorRequest::Send {
            req,
            client_msg_id: format!("v{req}"),
            text: text.into(),
        })
        .await?;
    seq.ok_or_else(|| anyhow::anyhow!("a send is acked with its seq"))
}

async fn operator_says(
    agent: &mut RawAgent,
    req: u32,
    conversation_id: &str,
    text: &str,
) -> anyhow::Result<()> {
    agent
        .request(AgentRequest::Send {
            req,
            conversation_id: conversation_id.into(),
            client_msg_id: format!("a{req}"),
            text: text.into(),
        })
        .await?;
    Ok(())
}

/// The visitor calls, the operator is rung and accepts; returns the conversation id.
async fn call_and_accept(visitor: &mut RawVisitor, agent: &mut RawAgent) -> anyhow::Result<String> {
    let conversation_id = visitor.start_chat().await?;
    let rung = agent
        .wait_for(|event| match event {
            AgentEvent::Ringing { conversation, .. } => Some(conversation.id.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(rung, conversation_id, "the operator is rung for the call");
    agent
        .request(AgentRequest::Accept {
            req: 2,
            conversation_id: conversation_id.clone(),
        })
        .await?;
    Ok(conversation_id)
}

/// The message texts stored for a conversation, in seq order, read from PostgreSQL itself.
async fn stored_messages(node: &TestServer, conversation_id: &str) -> anyhow::Result<Vec<String>> {
    let rows = node
        .sql(&format!(
            "SELECT body FROM events WHERE conversation_id = '{conversation_id}' ORDER BY seq"
        ))
        .await?;
    Ok(rows
        .lines()
        .filter_map(|row| serde_json::from_str::<EventBody>(row).ok())
        .filter_map(|body| match body {
            EventBody::Message { text, .. } => Some(text),
            _ => None,
        })
        .collect())
}

/// A hub and two relays: Ann on relay B in an accepted chat with a visitor on relay A.
struct ChatAcrossRelays {
    cluster: TestCluster,
    ann: RawAgent,
    visitor: RawVisitor,
    visitor_token: String,
    conversation_id: String,
}

async fn chat_across_relays() -> anyhow::Result<ChatAcrossRelays> {
    let cluster = TestCluster::start(3).await?;
    let [hub, relay_a, relay_b] = &cluster.nodes[..] else {
        unreachable!("three nodes were started")
    };
    hub.add_operator("ann@example.com", "Ann", PASSWORD).await?;
    let mut ann = operator_on(relay_b, "ann@example.com").await?;
    let (mut visitor, welcome) = RawVisitor::connect(relay_a, None, None).await?;
    let VisitorEvent::Welcome {
        visitor_token,
        online: true,
        ..
    } = welcome
    else {
        anyhow::bail!("the visitor on node A sees the operator on node B online: {welcome:?}")
    };
    let conversation_id = call_and_accept(&mut visitor, &mut ann).await?;
    Ok(ChatAcrossRelays {
        cluster,
        ann,
        visitor,
        visitor_token,
        conversation_id,
    })
}

#[tokio::test]
async fn a_visitor_on_one_relay_chats_with_an_operator_on_another() -> anyhow::Result<()> {
    let ChatAcrossRelays {
        cluster,
        mut ann,
        mut visitor,
        conversation_id,
        ..
    } = chat_across_relays().await?;
    let hub = &cluster.nodes[0];
    visitor_says(&mut visitor, 2, "Hello from node A").await?;
    assert_eq!(operator_reads(&mut ann).await?, "Hello from node A");
    operator_says(&mut ann, 3, &conversation_id, "Hi, this is node B").await?;
    assert_eq!(visitor_reads(&mut visitor).await?, "Hi, this is node B");

    assert_eq!(
        stored_messages(hub, &conversation_id).await?,
        ["Hello from node A", "Hi, this is node B"],
        "both messages are stored once, in order, in PostgreSQL"
    );
    Ok(())
}

#[tokio::test]
async fn when_the_hub_dies_a_relay_takes_over_and_the_chat_resumes() -> anyhow::Result<()> {
    let mut cluster = TestCluster::start(2).await?;
    cluster.nodes[0]
        .add_operator("ann@example.com", "Ann", PASSWORD)
        .await?;
    let relay = &cluster.nodes[1];
    let mut ann = operator_on(relay, "ann@example.com").await?;
    let (mut visitor, welcome) = RawVisitor::connect(relay, None, None).await?;
    let VisitorEvent::Welcome { visitor_token, .. } = welcome else {
        anyhow::bail!("expected a welcome, got {welcome:?}")
    };
    let conversation_id = call_and_accept(&mut visitor, &mut ann).await?;
    let before = visitor_says(&mut visitor, 2, "before the hub died").await?;
    assert_eq!(operator_reads(&mut ann).await?, "before the hub died");

    cluster.nodes[0].kill().await?;
    let relay = &mut cluster.nodes[1];
    let became = relay.wait_for_output("cluster hub, term").await?;
    assert!(
        became.ends_with("term 2"),
        "the relay took the next term: {became}"
    );
    assert_eq!(
        ann.closed().await?,
        Some(1012),
        "the operator is told to reconnect"
    );
    assert_eq!(
        visitor.closed().await?,
        Some(1012),
        "the visitor is told to reconnect"
    );

    let (mut ann, welcome) =
        RawAgent::connect_with_status(relay, "ann@example.com", PASSWORD, Status::Online).await?;
    let AgentEvent::Welcome { conversations, .. } = welcome else {
        anyhow::bail!("expected a welcome, got {welcome:?}")
    };
    let chat = conversations
        .iter()
        .find(|c| c.id == conversation_id)
        .expect("the new hub loaded the open chat");
    assert_eq!(
        chat.last_seq, before,
        "the new hub knows every event of the chat"
    );
    let (mut visitor, _) =
        RawVisitor::connect(relay, Some(visitor_token), Some(chat.last_seq)).await?;

    visitor_says(&mut visitor, 3, "after the hub died").await?;
    assert_eq!(operator_reads(&mut ann).await?, "after the hub died");
    operator_says(&mut ann, 3, &conversation_id, "still here").await?;
    assert_eq!(visitor_reads(&mut visitor).await?, "still here");
    assert_eq!(
        stored_messages(relay, &conversation_id).await?,
        ["before the hub died", "after the hub died", "still here"]
    );
    Ok(())
}

#[tokio::test]
async fn a_file_uploaded_through_one_relay_downloads_through_another() -> anyhow::Result<()> {
    let ChatAcrossRelays {
        cluster,
        ann: _ann,
        mut visitor,
        visitor_token,
        conversation_id,
    } = chat_across_relays().await?;
    let [_, relay_a, relay_b] = &cluster.nodes[..] else {
        unreachable!("three nodes were started")
    };
    let session = login(relay_b, "ann@example.com", PASSWORD).await?;
    let report: Vec<u8> = (0..3_000_000_usize).map(|i| (i * 7 % 251) as u8).collect();
    let operator_files = FileApi::new(relay_b, Credentials::Operator(session.token));
    let (id, seq) = operator_files
        .upload(&conversation_id, "report.pdf", &report)
        .await?;
    let shared = visitor
        .wait_for_event(|event| match &event.body {
            EventBody::File { file, .. } if event.seq == seq => Some(file.id.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(
        shared, id,
        "the visitor on node A sees the file shared on node B"
    );
    let download = FileApi::new(relay_a, Credentials::Visitor(visitor_token))
        .download(&id)
        .await?;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.bytes().await?.as_ref(), report.as_slice());
    Ok(())
}

#[tokio::test]
async fn operators_behind_a_relay_that_dies_go_offline() -> anyhow::Result<()> {
    let mut cluster = TestCluster::start(2).await?;
    cluster.nodes[0]
        .add_operator("ann@example.com", "Ann", PASSWORD)
        .await?;
    let _ann = operator_on(&cluster.nodes[1], "ann@example.com").await?;
    let (mut visitor, welcome) = RawVisitor::connect(&cluster.nodes[0], None, None).await?;
    assert!(
        matches!(welcome, VisitorEvent::Welcome { online: true, .. }),
        "Ann is online through the relay: {welcome:?}"
    );

    cluster.nodes[1].kill().await?;
    let online = visitor
        .wait_for(|event| match event {
            VisitorEvent::Availability { online } => Some(*online),
            _ => None,
        })
        .await?;
    assert!(!online, "the hub ended the sockets of the silent relay");
    Ok(())
}
