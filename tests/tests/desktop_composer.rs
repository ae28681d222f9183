//! The composer in the desktop app: canned responses made in the app and sent as is, inserted
//! and edited, a `#shortcut` expanded with Tab; emoticons converted by the server and seen in
//! the Chromium widget; typing signals with the sneak peek only when the account enables it;
//! a draft that survives switching tabs and restarting the app.

use switchboard_protocol::{AgentRequest, CannedDraft, CannedScope};
use switchboard_tests::browser::WidgetVisitor;
use switchboard_tests::desktop::visitor::{ask_for_names, Visitor};
use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::RawAgent;

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "correct horse battery";
/// WebDriver's Enter and Tab keys.
const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";

async fn online_operator(server: &TestServer, remember: bool) -> anyhow::Result<DesktopApp> {
    ask_for_names(server).await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start().await?;
    app.log_in(&server.base_url(), EMAIL, PASSWORD, remember)
        .await?;
    app.wait_until_gone("[data-testid=connection-banner]")
        .await?;
    app.set_status("online").await?;
    Ok(app)
}

/// A visitor calls and the operator accepts in the app.
async fn accepted_call(
    server: &TestServer,
    app: &DesktopApp,
    name: &str,
) -> anyhow::Result<Visitor> {
    let mut visitor = Visitor::connect(server).await?;
    visitor.call(name).await?;
    app.wait_for_text("[data-testid=chat-tab][data-state=ringing]", name)
        .await?;
    app.click("[data-testid=chat-tab][data-state=ringing]")
        .await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for_text("[data-testid=chat-tab][data-state=active]", name)
        .await?;
    Ok(visitor)
}

/// Types into the composer without clearing it first.
async fn type_keys(app: &DesktopApp, keys: &str) -> anyhow::Result<()> {
    app.wait_for("[data-testid=composer]")
        .await?
        .send_keys(keys)
        .await?;
    Ok(())
}

async fn composer_value(app: &DesktopApp) -> anyhow::Result<String> {
    Ok(app
        .wait_for("[data-testid=composer]")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default())
}

/// The admin adds a company-wide canned response over the wire.
async fn company_response(
    server: &TestServer,
    shortcut: &str,
    title: &str,
    text: &str,
) -> anyhow::Result<()> {
    let (mut admin, _) =
        RawAgent::connect(server, server.admin_email(), server.admin_password()).await?;
    admin
        .request(AgentRequest::SaveCanned {
            req: 1,
            id: None,
            draft: CannedDraft {
                scope: CannedScope::Company,
                group: "Orders".into(),
                shortcut: Some(shortcut.into()),
                title: title.into(),
                text: text.into(),
            },
        })
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_canned_response_made_in_the_app_is_picked_and_sent_as_is() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let app = online_operator(&server, false).await?;
    let mut visitor = accepted_call(&server, &app, "Vera Visitor").await?;

    // Ann makes her own canned response in the app.
    app.click("[data-testid=canned-button]").await?;
    app.click("[data-testid=manage-canned]").await?;
    app.fill("[data-testid=canned-group]", "Closing").await?;
    app.fill("[data-testid=canned-shortcut]", "thanks").await?;
    app.fill("[data-testid=canned-title-input]", "Thanks for waiting")
        .await?;
    app.fill(
        "[data-testid=canned-text]",
        "Thanks for waiting, {visitor.name}! {operator.name} here.",
    )
    .await?;
    app.click("[data-testid=canned-save]").await?;
    app.wait_for_text("[data-testid=canned-list-personal]", "Thanks for waiting")
        .await?;
    app.click("[data-testid=close-canned-manager]").await?;

    // A half-written message stays; the response is found by search and sent as is.
    type_keys(&app, "Just a sec").await?;
    app.click("[data-testid=canned-button]").await?;
    app.fill("[data-testid=canned-search]", "waiting").await?;
    app.wait_for_text("[data-testid=canned-item]", "Thanks for waiting")
        .await?;
    app.screenshot("desktop-canned-picker").await?;
    app.click("[data-testid=canned-item] [data-testid=canned-send]")
        .await?;
    let (_, text) = visitor.operator_message().await?;
    assert_eq!(text, "Thanks for waiting, Vera Visitor! Ann Operator here.");
    app.wait_for_text(
        "[data-testid=message-text]",
        "Thanks for waiting, Vera Visitor!",
    )
    .await?;
    assert_eq!(composer_value(&app).await?, "Just a sec");
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn a_canned_response_is_inserted_edited_and_expanded_from_its_shortcut() -> anyhow::Result<()>
{
    let server = TestServer::start().await?;
    company_response(
        &server,
        "order",
        "Order status",
        "Your order ships today, {visitor.first_name}.",
    )
    .await?;
    let app = online_operator(&server, false).await?;
    let mut visitor = accepted_call(&server, &app, "Olga Orders").await?;

    // Inserted from the picker, then edited before sending.
    app.click("[data-testid=canned-button]").await?;
    app.wait_for_text("[data-testid=canned-item]", "Order status")
        .await?;
    app.click("[data-testid=canned-item] [data-testid=canned-insert]")
        .await?;
    assert_eq!(composer_value(&app).await?, "Your order ships today, Olga.");
    type_keys(&app, " Tracking follows by email.").await?;
    type_keys(&app, ENTER).await?;
    let (_, text) = visitor.operator_message().await?;
    assert_eq!(
        text,
        "Your order ships today, Olga. Tracking follows by email."
    );

    // `#order` and Tab expands in place.
    type_keys(&app, "Good news: #order").await?;
    type_keys(&app, TAB).await?;
    assert_eq!(
        composer_value(&app).await?,
        "Good news: Your order ships today, Olga."
    );
    type_keys(&app, ENTER).await?;
    let (_, text) = visitor.operator_message().await?;
    assert_eq!(text, "Good news: Your order ships today, Olga.");

    // The quick texts panel, switched on in the view settings, inserts with a click.
    app.wait_until_gone("[data-testid=quick-texts]").await?;
    app.click("[data-testid=view-settings]").await?;
    app.click("[data-testid=pref-quick-texts]").await?;
    app.click("[data-testid=quick-text-insert]").await?;
    assert_eq!(composer_value(&app).await?, "Your order ships today, Olga.");
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn emoticons_from_the_app_show_converted_in_the_chromium_widget() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start().await?;
    app.log_in(&server.base_url(), EMAIL, PASSWORD, false)
        .await?;
    app.set_status("online").await?;
    let widget = WidgetVisitor::open(&server.base_url().join("demo/")?).await?;
    widget.start_chat(&[]).await?;
    widget.send("Hi there").await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for_text("[data-testid=message-text]", "Hi there")
        .await?;

    // The picker lists the server's shortcuts; a picked emoji goes in as typed.
    app.click("[data-testid=emoticon-button]").await?;
    app.wait_for_text("[data-testid=emoticon-shortcuts]", ":) 🙂")
        .await?;
    app.click("[data-testid=emoticon][data-shortcut=\"<3\"]")
        .await?;
    assert_eq!(composer_value(&app).await?, "❤️");

    // Shortcuts are converted once, on the server; /nosmile keeps the rest as typed.
    type_keys(&app, " Glad to help :) /nosmile but not :P").await?;
    type_keys(&app, ENTER).await?;
    let expected = "❤️ Glad to help 🙂 but not :P";
    let shown = widget.wait_for_message(expected).await?;
    assert_eq!(shown.author, "operator");
    app.wait_for_text("[data-testid=message-text]", expected)
        .await?;
    widget.close().await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn the_sneak_peek_shows_only_when_the_account_enables_it() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start().await?;
    app.log_in(&server.base_url(), EMAIL, PASSWORD, false)
        .await?;
    app.set_status("online").await?;
    let widget = WidgetVisitor::open(&server.base_url().join("demo/")?).await?;
    widget.start_chat(&[]).await?;
    widget.send("Hello").await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for_text("[data-testid=message-text]", "Hello")
        .await?;

    // Off (the default): the operator sees that the visitor types, not what.
    assert_eq!(widget.count("#sb-peek-notice:not([hidden])").await?, 0);
    let composer = widget.wait_for_css("#sb-composer").await?;
    composer.send_keys("my card number is").await?;
    app.wait_for_text("[data-testid=typing-indicator]", "is typing")
        .await?;
    let peek = app
        .client()
        .find(fantoccini::Locator::Css("[data-testid=sneak-peek]"))
        .await?;
    assert!(
        !peek.is_displayed().await?,
        "no sneak peek while the account disables it"
    );

    // The visitor sees the operator typing.
    type_keys(&app, "Let me look").await?;
    widget.wait_for_css("#sb-typing:not([hidden])").await?;

    // On: the widget says so, and the operator sees the unsent text.
    server.set_setting("sneak_peek", "on").await?;
    widget.reload().await?;
    widget.open_chat().await?;
    widget.wait_for_css("#sb-peek-notice:not([hidden])").await?;
    let composer = widget.wait_for_css("#sb-composer").await?;
    composer.clear().await?;
    composer.send_keys("where is my parcel").await?;
    app.wait_for_text("[data-testid=sneak-peek]", "where is my parcel")
        .await?;
    widget.close().await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn a_draft_survives_switching_tabs_and_restarting_the_app() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let app = online_operator(&server, true).await?;
    let profile = app.profile().to_owned();
    accepted_call(&server, &app, "Dana Draft").await?;
    accepted_call(&server, &app, "Otto Other").await?;

    // A draft in Dana's chat stays there while Otto's chat is shown.
    app.click("[data-testid=chat-tab][data-conversation-id]:not(.active)")
        .await?;
    app.wait_for_text("[data-testid=chat-tab].active", "Dana Draft")
        .await?;
    type_keys(&app, "Your refund is on its").await?;
    app.click("[data-testid=chat-tab]:not(.active)").await?;
    app.wait_for_text("[data-testid=chat-tab].active", "Otto Other")
        .await?;
    assert_eq!(composer_value(&app).await?, "");
    app.click("[data-testid=chat-tab]:not(.active)").await?;
    app.wait_for_text("[data-testid=chat-tab].active", "Dana Draft")
        .await?;
    assert_eq!(composer_value(&app).await?, "Your refund is on its");
    app.wait_for("[data-testid=composer][data-draft=saved]")
        .await?;

    // Spell checking is on unless switched off in the view settings; the choice is kept too.
    let spellcheck = |app: &DesktopApp| {
        let app = app.client().clone();
        async move {
            let composer = app
                .find(fantoccini::Locator::Css("[data-testid=composer]"))
                .await?;
            anyhow::Ok(composer.prop("spellcheck").await?.as_deref() == Some("true"))
        }
    };
    assert!(spellcheck(&app).await?);
    app.click("[data-testid=view-settings]").await?;
    app.click("[data-testid=pref-spell-check]").await?;
    assert!(!spellcheck(&app).await?);
    app.wait_for("[data-testid=view-settings-menu][data-prefs=saved]")
        .await?;
    app.quit().await?;

    // After a restart the draft is back in Dana's chat.
    let app = DesktopApp::start_with_profile(&profile).await?;
    let dana = app
        .wait_for_text("[data-testid=chat-tab]", "Dana Draft")
        .await?;
    dana.click().await?;
    app.wait_for_text("[data-testid=chat-tab].active", "Dana Draft")
        .await?;
    assert_eq!(composer_value(&app).await?, "Your refund is on its");
    assert!(!spellcheck(&app).await?);
    app.quit().await?;
    Ok(())
}
