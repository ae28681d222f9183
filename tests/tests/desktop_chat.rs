//! Taking calls in the desktop app: a visitor calls, the operator is notified and sees a ringing
//! tab, accepts, and both exchange messages; closing a ringing tab declines the call; closing
//! an active chat ends it after a confirm; going Away (from the status
//! control or the native File menu) turns the site's chat button offline.

use std::time::Duration;

use switchboard_tests::desktop::menu::choose_status_in_file_menu;
use switchboard_tests::desktop::notifications::{click_newest, NotificationWatch};
use switchboard_tests::desktop::tray::TrayHost;
use switchboard_tests::desktop::visitor::{ask_for_names, Visitor};
use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::server::TestServer;

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "correct horse battery";

async fn online_operator(server: &TestServer) -> anyhow::Result<DesktopApp> {
    ask_for_names(server).await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start_logged_in(&server.base_url(), EMAIL, PASSWORD, "online").await?;
    Ok(app)
}

#[tokio::test]
async fn visitor_calls_and_operator_accepts_and_they_chat() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let app = online_operator(&server).await?;
    let mut notifications = NotificationWatch::start().await?;

    let mut visitor = Visitor::connect(&server).await?;
    visitor.call("Vera Visitor").await?;
    visitor
        .say("<b>x</b> is my order, see https://example.com/o/1")
        .await?;

    notifications
        .wait_for("Incoming chat: Vera Visitor", Duration::from_secs(20))
        .await?;
    app.wait_for("[data-testid=chat-tab][data-state=ringing]")
        .await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for("[data-testid=chat-tab][data-state=active]")
        .await?;
    app.wait_for("[data-testid=end-chat]").await?;
    // Accepted, the call's notification goes away.
    notifications
        .wait_for_close(Duration::from_secs(10))
        .await?;

    // The visitor's text shows literally: markup stays text, the URL is a link.
    let message = app
        .wait_for_text("[data-testid=message-text]", "is my order")
        .await?;
    assert!(message.text().await?.starts_with("<b>x</b> is my order"));
    assert!(message.html(true).await?.contains("&lt;b&gt;x&lt;/b&gt;"));
    let link = app.wait_for("[data-testid=message-text] a").await?;
    assert_eq!(
        link.attr("href").await?.as_deref(),
        Some("https://example.com/o/1")
    );

    // The operator answers with Enter; the visitor gets it, and it shows as sent, then seen.
    app.send_message("Hello Vera, let me check").await?;
    let (seq, text) = visitor.operator_message().await?;
    assert_eq!(text, "Hello Vera, let me check");
    app.wait_for("[data-testid=message][data-delivery=sent]")
        .await?;
    visitor.mark_seen(seq).await?;
    app.wait_for("[data-testid=message][data-delivery=seen]")
        .await?;

    // The visitor's answer shows, and the operator's side reports it seen.
    let thanks = visitor.say("Thanks!").await?;
    app.wait_for_text("[data-testid=message-text]", "Thanks!")
        .await?;
    visitor.seen_by_operator(thanks).await?;
    app.screenshot("desktop-main").await?;

    // A second call while chatting: clicking its notification opens its tab.
    let mut caller = Visitor::connect(&server).await?;
    caller.call("Carl Caller").await?;
    notifications
        .wait_for("Incoming chat: Carl Caller", Duration::from_secs(20))
        .await?;
    app.wait_for_text("[data-testid=chat-tab][data-state=ringing]", "Carl Caller")
        .await?;
    click_newest().await?;
    app.wait_for_text("[data-testid=chat-tab].active", "Carl Caller")
        .await?;
    app.wait_for("[data-testid=accept-call]").await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn closing_a_ringing_tab_declines_the_call() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let app = online_operator(&server).await?;

    let mut visitor = Visitor::connect(&server).await?;
    visitor.call("Dora Decline").await?;
    app.wait_for_text("[data-testid=chat-tab][data-state=ringing]", "Dora Decline")
        .await?;
    app.click("[data-testid=chat-tab][data-state=ringing] [data-testid=close-tab]")
        .await?;
    app.wait_until_gone("[data-testid=chat-tab]").await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn going_away_turns_the_chat_button_offline() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let app = online_operator(&server).await?;

    let mut visitor = Visitor::connect(&server).await?;
    visitor.availability(true).await?;
    app.set_status("away").await?;
    visitor.availability(false).await?;
    app.set_status("online").await?;
    visitor.availability(true).await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn the_file_menu_sets_the_status() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let app = online_operator(&server).await?;

    let mut visitor = Visitor::connect(&server).await?;
    visitor.availability(true).await?;
    choose_status_in_file_menu(&app, "Switchboard", "away").await?;
    visitor.availability(false).await?;
    choose_status_in_file_menu(&app, "Switchboard", "online").await?;
    visitor.availability(true).await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn the_tray_menu_sets_the_status_the_icon_follows_and_quit_goes_offline() -> anyhow::Result<()>
{
    let tray = TrayHost::start().await?;
    let server = TestServer::start().await?;
    let app = online_operator(&server).await?;
    let icon = tray.wait_for_icon().await?;
    let mut visitor = Visitor::connect(&server).await?;
    visitor.availability(true).await?;
    let online_icon = icon.icon_name().await?;

    icon.click("Away").await?;
    app.wait_for("[data-testid=main-screen][data-status=away]")
        .await?;
    visitor.availability(false).await?;
    icon.wait_for_icon_change(&online_icon).await?;
    let checked: Vec<String> = icon
        .menu_items()
        .await?
        .into_iter()
        .filter(|item| item.checked)
        .map(|item| item.label)
        .collect();
    assert_eq!(checked, ["Away"]);

    icon.click("Online").await?;
    app.wait_for("[data-testid=main-screen][data-status=online]")
        .await?;
    visitor.availability(true).await?;

    icon.click("Quit").await?;
    visitor.availability(false).await?;
    icon.wait_until_gone().await?;
    Ok(())
}

#[tokio::test]
async fn closing_an_active_chat_asks_first_then_ends_it() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let app = online_operator(&server).await?;

    let mut visitor = Visitor::connect(&server).await?;
    visitor.call("Eve Ending").await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for("[data-testid=chat-tab][data-state=active]")
        .await?;

    // Cancelling keeps the chat.
    app.click("[data-testid=close-tab]").await?;
    app.wait_for_text("[data-testid=confirm-close]", "Eve Ending is still here")
        .await?;
    app.click("[data-testid=cancel-end-chat]").await?;
    app.wait_until_gone("[data-testid=confirm-close]").await?;
    app.wait_for("[data-testid=chat-tab][data-state=active]")
        .await?;

    // Confirming ends it for the visitor too, and the tab goes.
    app.click("[data-testid=close-tab]").await?;
    app.click("[data-testid=confirm-end-chat]").await?;
    assert!(matches!(
        visitor.chat_closed().await?,
        switchboard_protocol::Author::Operator { .. }
    ));
    app.wait_until_gone("[data-testid=chat-tab]").await?;
    app.quit().await?;
    Ok(())
}
