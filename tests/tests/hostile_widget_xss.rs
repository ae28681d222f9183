//! Cross-site scripting through the widget in headless Chromium: the visitor's survey answer and
//! messages, the page address, and everything the widget shows from the other side (operator
//! name, messages, a shared file's name) carry payloads. The widget shows them as text, and no
//! element, handler or link they could inject exists, in the widget's frame or on the host page,
//! and the marker never gets set.

use std::time::Duration;

use anyhow::Context;
use switchboard_client::{login, AgentClient, ClientEvent, ConnectionState, Delivery};
use switchboard_protocol::{AgentEvent, Status};
use switchboard_tests::browser::WidgetVisitor;
use switchboard_tests::files::{Credentials, FileApi};
use switchboard_tests::server::TestServer;
use switchboard_tests::xss::{dom_report, message_payload, payload};
use tokio::sync::mpsc::Receiver;

const PASSWORD: &str = "operator-password";
const EMAIL: &str = "eve@acme.test";
const WAIT: Duration = Duration::from_secs(20);
const SURVEY: &str = r#"[{"key":"name","label":"Your name","kind":"text","required":false}]"#;

/// Skips client events until `pick` returns `Some`.
async fn wait_for<T>(
    events: &mut Receiver<ClientEvent>,
    mut pick: impl FnMut(&ClientEvent) -> Option<T>,
) -> anyhow::Result<T> {
    tokio::time::timeout(WAIT, async {
        while let Some(event) = events.recv().await {
            if let Some(found) = pick(&event) {
                return Ok(found);
            }
        }
        anyhow::bail!("the operator's connection ended")
    })
    .await
    .context("the operator waited in vain")?
}

#[tokio::test]
async fn payloads_from_both_sides_render_as_text_in_the_widget() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.set_setting("survey", SURVEY).await?;
    server
        .add_operator(EMAIL, &payload("operator"), PASSWORD)
        .await?;
    let session = login(&server.base_url(), EMAIL, PASSWORD).await?;
    let token = session.token.clone();
    let (operator, mut events) = AgentClient::connect(server.base_url(), session.token);
    wait_for(&mut events, |event| {
        matches!(event, ClientEvent::Connection(ConnectionState::Connected)).then_some(())
    })
    .await?;
    operator.set_status(Status::Online).await?;

    let page = server
        .base_url()
        .join(&format!("demo/?q={}", payload("url")))?;
    let visitor = WidgetVisitor::open(&page).await?;
    visitor.wait_for_button_online(true).await?;
    visitor
        .start_chat(&[("name", payload("name").as_str())])
        .await?;
    visitor.send(&message_payload()).await?;
    let conversation_id = wait_for(&mut events, |event| match event {
        ClientEvent::Server(AgentEvent::Ringing { conversation }) => Some(conversation.id.clone()),
        _ => None,
    })
    .await?;
    operator.accept(&conversation_id).await?;

    let reply = payload("reply");
    let id = operator.send(&conversation_id, &reply)?;
    wait_for(&mut events, |event| match event {
        ClientEvent::Outbox(update) if update.client_msg_id == id => {
            matches!(update.delivery, Delivery::Sent { .. }).then_some(())
        }
        _ => None,
    })
    .await?;
    FileApi::new(&server, Credentials::Operator(token))
        .upload(&conversation_id, &payload("file"), b"not an image")
        .await?;

    // Shown, as text.
    visitor.wait_for_message(&reply).await?;
    visitor
        .wait_for_message_where("the visitor's own payload", |message| {
            message.text.contains("<script>__xss='script'")
        })
        .await?;
    let file = visitor.wait_for_css(".sb-file-name").await?;
    assert_eq!(file.text().await?, payload("file"));
    let report = dom_report(visitor.client()).await?;
    assert!(report.is_clean(), "widget frame: {report:#?}");
    visitor.client().clone().enter_parent_frame().await?;
    let report = dom_report(visitor.client()).await?;
    assert!(report.is_clean(), "host page: {report:#?}");
    visitor.close().await
}
