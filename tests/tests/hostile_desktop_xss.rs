//! Cross-site scripting in every visitor-controlled field, rendered in the real desktop app: the
//! visitor's name, survey answers, messages, page URL and title, file name and user agent all
//! carry payloads. The app shows them as text, and no element, handler or link they could inject
//! exists in its DOM, on the chat view or the Visitors page, and the marker never gets set.

use switchboard_protocol::{PageInfo, SurveyAnswer, VisitorEvent, VisitorRequest};
use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::files::{Credentials, FileApi};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::RawVisitor;
use switchboard_tests::xss::{dom_report, message_payload, payload};

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "correct horse battery";
const SURVEY: &str = r#"[{"key":"name","label":"Your name","kind":"text","required":false},
  {"key":"company","label":"Company","kind":"text","required":false}]"#;

/// Asserts that nothing injected exists in the app's current view.
async fn assert_clean(app: &DesktopApp, view: &str) -> anyhow::Result<()> {
    let report = dom_report(app.client()).await?;
    if !report.is_clean() {
        app.screenshot(&format!("xss-{view}")).await?;
    }
    assert!(report.is_clean(), "{view}: {report:#?}");
    Ok(())
}

#[tokio::test]
async fn payloads_in_every_visitor_field_render_as_text_in_the_app() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.set_setting("survey", SURVEY).await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start_logged_in(&server.base_url(), EMAIL, PASSWORD, "online").await?;

    let page = PageInfo {
        url: format!(
            "{}?q={}",
            server.base_url().join("demo/pricing.html")?,
            payload("url")
        ),
        title: payload("title"),
        referrer: Some("javascript:__xss='referrer'".into()),
    };
    let (mut visitor, welcome) =
        RawVisitor::connect_from(&server, "8.8.8.8", &payload("agent"), None, page).await?;
    let VisitorEvent::Welcome { visitor_token, .. } = welcome else {
        anyhow::bail!("expected a welcome, got {welcome:?}");
    };
    let answer = |key: &str, value: String| SurveyAnswer {
        key: key.into(),
        value,
    };
    visitor
        .send(&VisitorRequest::StartChat {
            req: 1,
            survey: vec![
                answer("name", payload("name")),
                answer("company", payload("survey")),
            ],
        })
        .await?;
    let conversation_id = visitor
        .wait_for(|event| match event {
            VisitorEvent::Ack {
                req: 1,
                conversation: Some(c),
                ..
            } => Some(c.id.clone()),
            _ => None,
        })
        .await?;
    visitor
        .request(VisitorRequest::Send {
            req: 2,
            client_msg_id: "xss-message".into(),
            text: message_payload(),
        })
        .await?;

    app.wait_for("[data-testid=chat-tab][data-state=ringing]")
        .await?;
    assert_clean(&app, "ringing").await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for("[data-testid=end-chat]").await?;
    FileApi::new(&server, Credentials::Visitor(visitor_token))
        .upload(&conversation_id, &payload("file"), b"not an image")
        .await?;

    // Shown, as text.
    app.wait_for_text(
        "[data-testid=message-text]",
        "<script>__xss='script'</script>",
    )
    .await?;
    app.wait_for_text("[data-testid=file-name]", "<svg onload=__xss='file'>")
        .await?;
    app.wait_for_text(".chat-header", "<img src=x onerror=__xss='name'>")
        .await?;
    assert_clean(&app, "chat").await?;

    app.click("[data-testid=nav-visitors]").await?;
    app.wait_for_text("[data-testid=visitor-page]", "__xss='title'")
        .await?;
    app.click("[data-testid=visitor-row] [data-testid=visitor-name]")
        .await?;
    app.wait_for("[data-testid=invite-send]").await?;
    assert_clean(&app, "visitors").await?;

    app.click("[data-testid=nav-chats]").await?;
    app.wait_for_text("[data-testid=survey-answer]", "__xss='survey'")
        .await?;
    app.wait_for("[data-testid=visitor-browser]").await?;
    assert_clean(&app, "sidebar").await?;
    app.click("[data-testid=sidebar-tab-pages]").await?;
    app.wait_for_text("[data-testid=history-title]", "__xss='title'")
        .await?;
    assert_clean(&app, "pages").await?;
    app.screenshot("desktop-xss").await?;
    app.quit().await
}
