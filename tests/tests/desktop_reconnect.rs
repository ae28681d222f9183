//! Connection trouble in the desktop app: the server goes away mid-chat, the app says so, a
//! message typed meanwhile waits as queued, and it is delivered once the server is back; an app
//! restarted mid-chat comes back to its open chats with their history.

use switchboard_tests::chaos_proxy::ChaosProxy;
use switchboard_tests::desktop::visitor::{ask_for_names, Visitor};
use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::server::TestServer;

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn message_typed_while_the_server_is_down_is_delivered_after_restart() -> anyhow::Result<()> {
    let mut server = TestServer::start().await?;
    ask_for_names(&server).await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let link = ChaosProxy::start(&server.base_url()).await?;

    let app = DesktopApp::start().await?;
    app.log_in(&link.url(), EMAIL, PASSWORD, false).await?;
    app.set_status("online").await?;
    let mut visitor = Visitor::connect(&server).await?;
    visitor.call("Rita Reconnect").await?;
    app.click("[data-testid=accept-call]").await?;
    visitor.say("Are you there?").await?;
    app.wait_for_text("[data-testid=message-text]", "Are you there?")
        .await?;

    // The server dies and the app loses its connection: the banner says so.
    link.cut();
    server.restart().await?;
    app.wait_for("[data-testid=connection-banner][data-state=reconnecting]")
        .await?;

    // A message typed meanwhile is queued...
    app.send_message("Yes, one moment").await?;
    app.wait_for("[data-testid=message][data-delivery=queued]")
        .await?;

    // ...and goes out when the connection is back; the banner disappears.
    link.mend();
    app.wait_until_gone("[data-testid=connection-banner]")
        .await?;
    app.wait_for("[data-testid=message][data-delivery=sent]")
        .await?;
    visitor.reconnect(&server).await?;
    let (_, text) = visitor.operator_message().await?;
    assert_eq!(text, "Yes, one moment");
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn restarted_app_comes_back_to_its_open_chats_with_their_history() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    ask_for_names(&server).await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;

    let app = DesktopApp::start().await?;
    let profile = app.profile().to_owned();
    app.log_in(&server.base_url(), EMAIL, PASSWORD, true)
        .await?;
    app.set_status("online").await?;
    let mut visitor = Visitor::connect(&server).await?;
    visitor.call("Hugo History").await?;
    app.click("[data-testid=accept-call]").await?;
    visitor.say("My parcel never arrived").await?;
    app.send_message("Sorry to hear that").await?;
    visitor.operator_message().await?;
    app.quit().await?;

    // Meanwhile the visitor writes again; the restarted app shows everything.
    visitor.say("Order 4711").await?;
    let app = DesktopApp::start_with_profile(&profile).await?;
    app.wait_for_text("[data-testid=chat-tab][data-state=active]", "Hugo History")
        .await?;
    app.click("[data-testid=chat-tab]").await?;
    app.wait_for_text("[data-testid=message-text]", "My parcel never arrived")
        .await?;
    app.wait_for_text("[data-testid=message-text]", "Sorry to hear that")
        .await?;
    app.wait_for_text("[data-testid=message-text]", "Order 4711")
        .await?;
    app.quit().await?;
    Ok(())
}
