//! Files between the desktop app and the widget: the operator sends a file with the native
//! dialog and the visitor downloads the same bytes in Chromium; the visitor sends an image from
//! the widget and the operator sees it, with a preview, and downloads it.

use switchboard_tests::browser::WidgetVisitor;
use switchboard_tests::desktop::files::choose_in_file_dialog;
use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::server::TestServer;

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "correct horse battery";

/// A PNG of 4×4 red pixels.
const RED_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09,
    0x29, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
    0x47, 0x0c, 0xc4, 0x71, 0x00, 0xae, 0x93, 0x0f, 0xf1, 0xd0, 0x5f, 0x23, 0x9e, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// An operator online in the app, and a visitor in Chromium whose chat the operator accepted.
async fn chatting(server: &TestServer) -> anyhow::Result<(DesktopApp, WidgetVisitor)> {
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start_logged_in(&server.base_url(), EMAIL, PASSWORD, "online").await?;
    let visitor = WidgetVisitor::open(&server.base_url().join("demo/")?).await?;
    visitor.wait_for_button_online(true).await?;
    visitor.start_chat(&[]).await?;
    visitor.send("Hello, I have a file for you").await?;
    app.wait_for("[data-testid=chat-tab][data-state=ringing]")
        .await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for("[data-testid=end-chat]").await?;
    Ok((app, visitor))
}

#[tokio::test]
async fn operator_sends_a_file_with_the_dialog_and_the_visitor_downloads_the_same_bytes(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (app, visitor) = chatting(&server).await?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("invoice-2041.pdf");
    let bytes: Vec<u8> = (0..700_000u32).map(|i| (i * 31 % 253) as u8).collect();
    std::fs::write(&path, &bytes)?;

    app.click("[data-testid=send-file]").await?;
    choose_in_file_dialog("Send a file", &path).await?;
    app.wait_for("[data-testid=transfer][data-direction=upload][data-state=done]")
        .await?;
    app.wait_for_text("[data-testid=file-name]", "invoice-2041.pdf")
        .await?;

    let downloaded = visitor.download_shared_file("invoice-2041.pdf").await?;
    assert_eq!(downloaded.len(), bytes.len());
    assert!(downloaded == bytes, "the visitor got other bytes");
    app.screenshot("desktop-file-sent").await?;
    visitor.close().await?;
    app.quit().await
}

#[tokio::test]
async fn a_visitors_image_appears_in_the_app_with_a_preview_and_downloads() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (app, visitor) = chatting(&server).await?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("error-screen.png");
    std::fs::write(&path, RED_PNG)?;

    visitor.send_file(&path).await?;
    app.wait_for_text("[data-testid=file-name]", "error-screen.png")
        .await?;
    app.wait_for("[data-testid=file-warning]").await?;
    let preview = app
        .wait_for("[data-testid=file-preview][src^='data:image/png']")
        .await?;
    preview.click().await?;
    app.wait_for(
        "[data-testid=image-viewer]:not([hidden]) [data-testid=image-full][src^='data:image/png']",
    )
    .await?;
    app.click("[data-testid=image-viewer]").await?;

    app.click("[data-testid=download-file]").await?;
    app.wait_for("[data-testid=transfer][data-direction=download][data-state=done]")
        .await?;
    let saved = app
        .wait_for("[data-testid=open-download]")
        .await?
        .attr("title")
        .await?
        .expect("the saved path is shown");
    assert_eq!(std::fs::read(&saved)?, RED_PNG);
    app.screenshot("desktop-file-received").await?;
    visitor.close().await?;
    app.quit().await
}
