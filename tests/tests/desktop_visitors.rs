//! Visitor context in the desktop app: a headless-Chromium visitor (arriving through a proxy
//! that gives it a public address) walks three demo pages; the operator's Visitors page and the
//! chat sidebar show the pages in order with the right location and browser; an invitation sent
//! from the app pops up in the widget and the visitor's reply lands in an already accepted chat.

use switchboard_tests::browser::WidgetVisitor;
use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::forwarded::ForwardingProxy;
use switchboard_tests::server::TestServer;
use url::Url;

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "correct horse battery";
/// The database places this address in Mountain View, California, US.
const VISITOR_IP: &str = "8.8.8.8";
const PAGES: [(&str, &str); 3] = [
    ("demo/", "Acme Cloud: servers that scale with you"),
    ("demo/pricing.html", "Pricing · Acme Cloud"),
    ("demo/contact.html", "Contact · Acme Cloud"),
];

fn page(site: &Url, path: &str) -> anyhow::Result<Url> {
    Ok(site.join(path)?)
}

/// The operator app, logged in and Online.
async fn online_app(server: &TestServer) -> anyhow::Result<DesktopApp> {
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start_logged_in(&server.base_url(), EMAIL, PASSWORD, "online").await?;
    Ok(app)
}

/// The `data-url` of every page in the sidebar's Pages tab, in order.
async fn history_urls(app: &DesktopApp) -> anyhow::Result<Vec<String>> {
    let value = app
        .client()
        .execute(
            "return [...document.querySelectorAll('[data-testid=history-page]')].map(e => e.dataset.url)",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

#[tokio::test]
async fn operator_sees_the_visitors_pages_location_and_browser_and_invites_them_to_chat(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let proxy = ForwardingProxy::open(&server.base_url(), VISITOR_IP).await?;
    let site = proxy.url();
    let app = online_app(&server).await?;
    app.click("[data-testid=nav-visitors]").await?;
    app.wait_for("[data-testid=visitors-page]").await?;
    app.wait_for_text("[data-testid=geoip-attribution]", "IP geolocation by DB-IP")
        .await?;

    // The visitor walks three pages; the list follows live.
    let visitor = WidgetVisitor::open(&page(&site, PAGES[0].0)?).await?;
    let row = "[data-testid=visitor-row][data-connected=true]";
    app.wait_for(row).await?;
    app.wait_for_text(
        "[data-testid=visitor-location]",
        "Mountain View, California, US",
    )
    .await?;
    for (path, title) in &PAGES[1..] {
        visitor.goto(&page(&site, path)?).await?;
        app.wait_for_text("[data-testid=visitor-page]", title)
            .await?;
    }
    let rows = app.client().find_all(fantoccini::Locator::Css(row)).await?;
    assert_eq!(rows.len(), 1, "one visitor, one visit");
    app.screenshot("desktop-visitors-page").await?;

    // Invite: the button reads Invite; the widget pops the invitation up.
    app.click(&format!("{row} [data-testid=visitor-name]"))
        .await?;
    let invite = app.wait_for("[data-testid=invite-send]").await?;
    assert_eq!(invite.text().await?, "Invite");
    app.fill(
        "[data-testid=invite-text]",
        "Hi! Any questions about our plans?",
    )
    .await?;
    app.click("[data-testid=invite-send]").await?;
    app.wait_for_text("[data-testid=invite-status]", "Invitation sent")
        .await?;
    visitor
        .wait_for_invitation("Hi! Any questions about our plans?")
        .await?;
    app.wait_for_text("[data-testid=visitor-chat]", "Invited by Ann Operator")
        .await?;

    // The reply opens a chat that is already the operator's.
    visitor.send("Yes: is there a yearly discount?").await?;
    app.wait_for("[data-testid=chat-tab][data-state=active]")
        .await?;
    app.wait_for_text("[data-testid=message-text]", "is there a yearly discount?")
        .await?;
    app.wait_for_text(
        "[data-testid=message-text]",
        "Any questions about our plans?",
    )
    .await?;
    app.wait_for("[data-testid=end-chat]").await?;
    visitor
        .wait_for_message("Hi! Any questions about our plans?")
        .await?;

    // The sidebar: where the visitor is, with what, and the pages in order.
    app.wait_for_text(
        "[data-testid=visitor-sidebar] [data-testid=visitor-location]",
        "Mountain View, California, US",
    )
    .await?;
    app.wait_for_text("[data-testid=visitor-ip]", VISITOR_IP)
        .await?;
    app.wait_for_text("[data-testid=visitor-browser]", "Chrome")
        .await?;
    app.wait_for_text("[data-testid=visitor-browser]", "Linux")
        .await?;
    app.wait_for_text("[data-testid=current-page]", PAGES[2].1)
        .await?;
    app.wait_for("[data-testid=visitor-local-time]").await?;
    app.click("[data-testid=sidebar-tab-pages]").await?;
    app.wait_for("[data-testid=history-page]").await?;
    let expected: Vec<String> = PAGES
        .iter()
        .map(|(path, _)| page(&site, path).map(String::from))
        .collect::<Result<_, _>>()?;
    assert_eq!(history_urls(&app).await?, expected);
    app.screenshot("desktop-visitor-sidebar").await?;
    visitor.close().await?;
    app.quit().await
}

#[tokio::test]
async fn earlier_chats_open_read_only_blocking_from_the_sidebar_is_undone_and_away_cannot_invite(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let proxy = ForwardingProxy::open(&server.base_url(), VISITOR_IP).await?;
    let app = online_app(&server).await?;
    let visitor = WidgetVisitor::open(&page(&proxy.url(), PAGES[0].0)?).await?;

    // A first chat, ended by the operator.
    visitor.start_chat(&[]).await?;
    visitor.send("Where is my <b>invoice</b>?").await?;
    app.wait_for("[data-testid=chat-tab][data-state=ringing]")
        .await?;
    app.click("[data-testid=accept-call]").await?;
    app.click("[data-testid=end-chat]").await?;
    app.click("[data-testid=confirm-end-chat]").await?;
    visitor.wait_for_chat_ended().await?;

    // A second chat lists the first; it opens read-only, text as text.
    visitor.start_new_chat().await?;
    visitor.send("Me again").await?;
    app.wait_for("[data-testid=chat-tab][data-state=ringing]")
        .await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for_text("[data-testid=visitor-chats]", "2")
        .await?;
    app.click("[data-testid=open-previous-chat]").await?;
    let old = app
        .wait_for_text("[data-testid=archive-message-text]", "invoice")
        .await?;
    assert_eq!(old.text().await?, "Where is my <b>invoice</b>?");
    assert_eq!(
        app.client()
            .find_all(fantoccini::Locator::Css(
                "[data-testid=archive-dialog] textarea, [data-testid=archive-dialog] input"
            ))
            .await?
            .len(),
        0,
        "nothing to write into"
    );
    app.click("[data-testid=close-archive]").await?;
    app.wait_until_gone("[data-testid=archive-dialog]").await?;

    // Blocking the address from the sidebar turns the visitor away; the Blocked list undoes it.
    app.click("[data-testid=block-ip]").await?;
    visitor
        .wait_for_css(r#"#sb-connection[data-state="stopped"]"#)
        .await?;
    visitor.wait_for_button_online(false).await?;
    app.click("[data-testid=nav-visitors]").await?;
    app.wait_for_text("[data-testid=blocked-target]", &format!("IP {VISITOR_IP}"))
        .await?;
    app.click("[data-testid=unblock]").await?;
    app.wait_until_gone("[data-testid=blocked-rule]").await?;
    visitor.reload().await?;
    let row = "[data-testid=visitor-row][data-connected=true]";
    app.wait_for(row).await?;

    // Away: the invitation is refused with a clear message.
    app.set_status("away").await?;
    app.click(&format!("{row} [data-testid=visitor-name]"))
        .await?;
    app.fill("[data-testid=invite-text]", "Hello there").await?;
    app.click("[data-testid=invite-send]").await?;
    app.wait_for_text("[data-testid=invite-status]", "only be sent while Online")
        .await?;
    visitor.close().await?;
    app.quit().await
}
