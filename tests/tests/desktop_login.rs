//! Logging in to the desktop app: errors are clear, "remember me" keeps the login in the OS
//! keychain across restarts, logging out forgets it, and the run script's environment logs in
//! by itself.

use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::server::TestServer;

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn operator_logs_in_is_remembered_across_restarts_and_logs_out() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;

    let app = DesktopApp::start().await?;
    let profile = app.profile().to_owned();
    app.wait_for("[data-testid=login-screen]").await?;

    // A wrong password says so and stays on the login screen.
    app.fill("[data-testid=server-url]", server.base_url().as_str())
        .await?;
    app.fill("[data-testid=email]", EMAIL).await?;
    app.fill("[data-testid=password]", "wrong password").await?;
    app.click("[data-testid=login-submit]").await?;
    app.wait_for_text("[data-testid=login-error]", "Wrong email or password")
        .await?;
    app.screenshot("desktop-login").await?;

    app.log_in(&server.base_url(), EMAIL, PASSWORD, true)
        .await?;
    app.wait_for_text("[data-testid=operator-name]", "Ann Operator")
        .await?;
    app.quit().await?;

    // Started again, the app logs in by itself from the keychain.
    let app = DesktopApp::start_with_profile(&profile).await?;
    app.wait_for_text("[data-testid=operator-name]", "Ann Operator")
        .await?;
    app.wait_until_gone("[data-testid=connection-banner]")
        .await?;

    // Logging out returns to the login screen and forgets the session.
    app.click("[data-testid=logout]").await?;
    app.wait_for("[data-testid=login-screen]").await?;
    app.quit().await?;

    let app = DesktopApp::start_with_profile(&profile).await?;
    app.wait_for("[data-testid=login-screen]").await?;
    let email = app.wait_for("[data-testid=email]").await?;
    assert_eq!(email.prop("value").await?.as_deref(), Some(EMAIL));
    let password = app.wait_for("[data-testid=password]").await?;
    assert_eq!(password.prop("value").await?.as_deref(), Some(""));
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn credentials_in_the_environment_log_in_at_start_and_are_remembered() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let url = server.base_url().to_string();
    let env = [
        ("SWITCHBOARD_SERVER_URL", url.as_str()),
        ("SWITCHBOARD_EMAIL", EMAIL),
        ("SWITCHBOARD_PASSWORD", PASSWORD),
    ];
    let profile = format!("env-{}", uuid::Uuid::new_v4());
    let app = DesktopApp::start_with(&profile, &env).await?;
    app.wait_for_text("[data-testid=operator-name]", "Ann Operator")
        .await?;
    app.wait_until_gone("[data-testid=connection-banner]")
        .await?;
    app.quit().await?;

    // Like "remember me": the next start without the environment is logged in too.
    let app = DesktopApp::start_with_profile(&profile).await?;
    app.wait_for_text("[data-testid=operator-name]", "Ann Operator")
        .await?;
    app.quit().await?;
    Ok(())
}
