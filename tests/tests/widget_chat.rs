//! The visitor widget end to end: the real server serving the demo site, a headless Chromium
//! visitor on it, and an operator on the agent client crate.
//!
//! Needs `widget/dist` (`npm --prefix widget run build`) and the server binary.

use std::time::Duration;

use anyhow::Context;
use switchboard_client::{AgentClient, ClientEvent, ConnectionState};
use switchboard_protocol::{AgentEvent, Author, ConversationSummary, EventBody, PageInfo, Status};
use switchboard_tests::browser::WidgetVisitor;
use switchboard_tests::server::{artifacts_dir, TestServer};
use tokio::sync::mpsc::Receiver;
use url::Url;

/// How long the operator waits for an event.
const WAIT: Duration = Duration::from_secs(15);
const PASSWORD: &str = "operator-password";
const SURVEY: &str = r#"[
  {"key": "name", "label": "Your name", "kind": "text", "required": true},
  {"key": "email", "label": "Email", "kind": "email", "required": true}
]"#;

/// An operator at the desk, on the agent client crate.
struct Operator {
    client: AgentClient,
    events: Receiver<ClientEvent>,
}

impl Operator {
    /// Adds the operator `name`, logs in, connects and goes Online.
    async fn online(server: &TestServer, name: &str) -> anyhow::Result<Operator> {
        let email = format!("{}@acme.test", name.to_lowercase());
        server.add_operator(&email, name, PASSWORD).await?;
        let session = switchboard_client::login(&server.base_url(), &email, PASSWORD).await?;
        let (client, events) = AgentClient::connect(server.base_url(), session.token);
        let mut operator = Operator { client, events };
        operator.wait_connected().await?;
        operator.set_status(Status::Online).await?;
        Ok(operator)
    }

    async fn set_status(&self, status: Status) -> anyhow::Result<()> {
        Ok(self.client.set_status(status).await?)
    }

    /// Skips events until `pick` returns `Some`.
    async fn wait_for<T>(
        &mut self,
        mut pick: impl FnMut(&ClientEvent) -> Option<T>,
    ) -> anyhow::Result<T> {
        tokio::time::timeout(WAIT, async {
            while let Some(event) = self.events.recv().await {
                if let Some(found) = pick(&event) {
                    return Ok(found);
                }
            }
            anyhow::bail!("the operator's connection ended")
        })
        .await
        .context("the operator waited in vain")?
    }

    async fn wait_connected(&mut self) -> anyhow::Result<()> {
        self.wait_for(|event| {
            matches!(event, ClientEvent::Connection(ConnectionState::Connected)).then_some(())
        })
        .await
    }

    /// Waits for a call, accepts it and returns the conversation id.
    async fn answer_call(&mut self) -> anyhow::Result<String> {
        Ok(self.answer_call_summary().await?.id)
    }

    /// Waits for a call, accepts it and returns the call as it rang.
    async fn answer_call_summary(&mut self) -> anyhow::Result<ConversationSummary> {
        let call = self
            .wait_for(|event| match event {
                ClientEvent::Server(AgentEvent::Ringing { conversation }) => {
                    Some(conversation.clone())
                }
                _ => None,
            })
            .await?;
        self.client.accept(&call.id).await?;
        Ok(call)
    }

    /// Waits until the visitor of `conversation_id` is on a page whose URL ends with `path`;
    /// returns that page.
    async fn wait_for_visitor_page(
        &mut self,
        conversation_id: &str,
        path: &str,
    ) -> anyhow::Result<PageInfo> {
        self.wait_for(|event| match event {
            ClientEvent::Server(AgentEvent::ConversationUpdated { conversation })
                if conversation.id == conversation_id =>
            {
                let page = conversation.visitor.current_page.as_ref()?;
                page.url.ends_with(path).then(|| page.clone())
            }
            _ => None,
        })
        .await
    }

    /// Waits for the visitor's message `text`; returns its seq.
    async fn wait_for_visitor_message(&mut self, text: &str) -> anyhow::Result<u32> {
        self.wait_for(|event| match event {
            ClientEvent::Server(AgentEvent::Event { event, .. }) => match &event.body {
                EventBody::Message {
                    author: Author::Visitor { .. },
                    text: said,
                    ..
                } if said == text => Some(event.seq),
                _ => None,
            },
            _ => None,
        })
        .await
    }

    fn say(&self, conversation_id: &str, text: &str) -> anyhow::Result<()> {
        self.client.send(conversation_id, text)?;
        Ok(())
    }
}

fn demo_page(server: &TestServer, page: &str) -> anyhow::Result<Url> {
    Ok(server.base_url().join(&format!("demo/{page}"))?)
}

#[tokio::test]
async fn visitor_fills_survey_chats_and_keeps_the_chat_across_reload_and_pages(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.set_setting("survey", SURVEY).await?;
    let mut alice = Operator::online(&server, "Alice").await?;
    let visitor = WidgetVisitor::open(&demo_page(&server, "")?).await?;
    visitor.wait_for_button_online(true).await?;

    visitor.open_chat().await?;
    visitor.submit_survey(&[("email", "ann@")]).await?;
    let errors = visitor.survey_errors().await?;
    let keys: Vec<&str> = errors.iter().map(|(key, _)| key.as_str()).collect();
    assert_eq!(keys, ["name", "email"], "{errors:?}");
    visitor
        .start_chat(&[("name", "Ann"), ("email", "ann@example.com")])
        .await?;
    visitor.send("Hello, do you have a free plan? :)").await?;
    let question = "Hello, do you have a free plan? 🙂";
    let call = alice.answer_call_summary().await?;
    let called_from = call
        .visitor
        .called_from
        .context("the call names its page")?;
    assert_eq!(called_from.url, demo_page(&server, "")?.as_str());
    assert_eq!(called_from.title, "Acme Cloud: servers that scale with you");
    assert_eq!(call.visitor.name, "Ann");
    assert_eq!(call.visitor.email.as_deref(), Some("ann@example.com"));
    let conversation = call.id;
    let question_seq = alice.wait_for_visitor_message(question).await?;
    alice.say(
        &conversation,
        "Hi Ann, I'm Alice. See https://example.com/pricing for plans",
    )?;
    alice.client.mark_seen(&conversation, question_seq);

    visitor.wait_for_notice("Alice joined the chat").await?;
    let answer = visitor
        .wait_for_message("Hi Ann, I'm Alice. See https://example.com/pricing for plans")
        .await?;
    assert_eq!(answer.author, "operator");
    assert_eq!(answer.name.as_deref(), Some("Alice"));
    assert_eq!(answer.links, ["https://example.com/pricing"]);
    let mine = visitor
        .wait_for_message_where("the question to show as seen", |m| {
            m.text == question && m.delivery.as_deref() == Some("seen")
        })
        .await?;
    assert_eq!(mine.seq, Some(question_seq));
    visitor
        .screenshot(&artifacts_dir().join("widget-chat.png"))
        .await?;
    let before = visitor.messages().await?;
    assert_eq!(before.len(), 2, "{before:#?}");

    visitor.reload().await?;
    visitor.open_chat().await?;
    visitor.wait_for_message(&answer.text).await?;
    assert_eq!(
        visitor.messages().await?,
        before,
        "a reload shows the same chat"
    );

    visitor.goto(&demo_page(&server, "pricing.html")?).await?;
    let pricing = alice
        .wait_for_visitor_page(&conversation, "/demo/pricing.html")
        .await?;
    assert_eq!(pricing.title, "Pricing · Acme Cloud");
    visitor.open_chat().await?;
    visitor.wait_for_message(&answer.text).await?;
    assert_eq!(
        visitor.messages().await?,
        before,
        "another page shows the same chat"
    );
    alice.say(&conversation, "Anything else?")?;
    visitor.wait_for_message("Anything else?").await?;
    visitor
        .send_lines(&["No, thanks!", "Have a nice day"])
        .await?;
    alice
        .wait_for_visitor_message("No, thanks!\nHave a nice day")
        .await?;
    let texts: Vec<String> = visitor
        .messages()
        .await?
        .into_iter()
        .map(|m| m.text)
        .collect();
    assert_eq!(
        texts,
        [
            question,
            &answer.text,
            "Anything else?",
            "No, thanks!\nHave a nice day"
        ]
    );
    visitor.close().await
}

#[tokio::test]
async fn chat_button_goes_offline_and_online_with_the_operator() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let alice = Operator::online(&server, "Alice").await?;
    let visitor = WidgetVisitor::open(&demo_page(&server, "contact.html")?).await?;
    visitor.wait_for_button_online(true).await?;
    assert!(visitor.chat_button_online().await?);

    alice.set_status(Status::Away).await?;
    visitor.wait_for_button_online(false).await?;
    alice.set_status(Status::Online).await?;
    visitor.wait_for_button_online(true).await?;
    visitor.close().await
}

#[tokio::test]
async fn visitor_leaves_an_offline_message_when_nobody_is_online() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let visitor = WidgetVisitor::open(&demo_page(&server, "")?).await?;
    assert!(!visitor.chat_button_online().await?);

    visitor
        .send_offline_message(
            "Ann",
            "ann@example.com",
            "Please call me about the Team plan.",
        )
        .await?;
    visitor
        .screenshot(&artifacts_dir().join("widget-offline.png"))
        .await?;
    visitor.close().await
}

#[tokio::test]
async fn markup_in_messages_shows_as_text() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut alice = Operator::online(&server, "Alice").await?;
    let visitor = WidgetVisitor::open(&demo_page(&server, "")?).await?;
    visitor.start_chat(&[]).await?;

    let attack = "<img src=x onerror=alert(1)>";
    visitor.send(attack).await?;
    let conversation = alice.answer_call().await?;
    alice.wait_for_visitor_message(attack).await?;
    alice.say(&conversation, "<b>bold</b><script>alert(2)</script>")?;

    visitor.wait_for_message(attack).await?;
    visitor
        .wait_for_message("<b>bold</b><script>alert(2)</script>")
        .await?;
    assert_eq!(
        visitor
            .count("#sb-messages img, #sb-messages b, #sb-messages script")
            .await?,
        0
    );
    visitor.close().await
}

#[tokio::test]
async fn a_file_dropped_onto_the_chat_reaches_the_operator() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut alice = Operator::online(&server, "Alice").await?;
    let visitor = WidgetVisitor::open(&demo_page(&server, "")?).await?;
    visitor.start_chat(&[]).await?;
    visitor.send("here is the log").await?;
    alice.answer_call().await?;

    visitor.drop_file("error.log", "line 1: it broke").await?;
    let (name, size) = alice
        .wait_for(|event| match event {
            ClientEvent::Server(AgentEvent::Event { event, .. }) => match &event.body {
                EventBody::File {
                    author: Author::Visitor { .. },
                    file,
                } => Some((file.name.clone(), file.size)),
                _ => None,
            },
            _ => None,
        })
        .await?;
    assert_eq!((name.as_str(), size), ("error.log", 16));
    visitor
        .wait_for_css("a[data-testid=file-link][download='error.log']")
        .await?;
    visitor.close().await
}

#[tokio::test]
async fn widget_reconnects_after_a_server_crash_without_losing_or_repeating_messages(
) -> anyhow::Result<()> {
    let mut server = TestServer::start().await?;
    let mut alice = Operator::online(&server, "Alice").await?;
    let visitor = WidgetVisitor::open(&demo_page(&server, "")?).await?;
    visitor.start_chat(&[]).await?;
    visitor.send("Before the crash").await?;
    let conversation = alice.answer_call().await?;
    alice.wait_for_visitor_message("Before the crash").await?;

    server.restart().await?;
    alice.wait_connected().await?;
    alice.say(&conversation, "After the crash")?;
    visitor.wait_for_message("After the crash").await?;
    visitor.send("Still here").await?;
    alice.wait_for_visitor_message("Still here").await?;

    let shown = visitor.messages().await?;
    let texts: Vec<&str> = shown.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["Before the crash", "After the crash", "Still here"]);
    let seqs: Vec<u32> = shown.iter().filter_map(|m| m.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "seqs in order: {seqs:?}"
    );
    visitor.close().await
}

#[tokio::test]
async fn operator_ends_the_chat_and_the_visitor_calls_again() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut alice = Operator::online(&server, "Alice").await?;
    let visitor = WidgetVisitor::open(&demo_page(&server, "")?).await?;
    visitor.start_chat(&[]).await?;
    visitor.send("First question").await?;
    let first = alice.answer_call().await?;
    alice.wait_for_visitor_message("First question").await?;
    alice.client.close(&first).await?;

    visitor.wait_for_notice("Alice ended the chat").await?;
    visitor.wait_for_chat_ended().await?;
    visitor.start_new_chat().await?;
    assert!(visitor.messages().await?.is_empty());
    visitor.send("Second question").await?;
    let second = alice.answer_call().await?;
    assert_ne!(first, second, "a new conversation");
    alice.wait_for_visitor_message("Second question").await?;

    visitor.end_chat().await?;
    visitor.wait_for_notice("You ended the chat").await?;
    alice
        .wait_for(|event| match event {
            ClientEvent::Server(AgentEvent::Event {
                conversation_id,
                event,
            }) if *conversation_id == second => {
                matches!(event.body, EventBody::Closed { .. }).then_some(())
            }
            _ => None,
        })
        .await?;
    visitor.close().await
}
