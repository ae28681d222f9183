//! The operator's Settings page and the app's place on the desktop: a snipping shortcut chosen
//! in Settings snips (a real X key event), a conflicting one is refused with the reason, the
//! choices (with start at login and the visual-only alert) and the open page and tab survive a
//! restart, the window comes back with its size, launching the app a second time brings the
//! running window forward instead of starting another one, an operator can do a whole chat
//! with the keyboard alone, and WebKit draws without accelerated compositing on Linux.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use switchboard_tests::desktop::visitor::{ask_for_names, Visitor};
use switchboard_tests::desktop::x11::{wait_for_window, xdotool};
use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::server::TestServer;

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "correct horse battery";
/// How long a second launch may take to hand over to the first and end.
const SECOND_LAUNCH: Duration = Duration::from_secs(20);

/// A server with one operator, and the app logged in as that operator (Online).
async fn online_operator(remember: bool) -> anyhow::Result<(TestServer, DesktopApp)> {
    let server = TestServer::start().await?;
    ask_for_names(&server).await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start().await?;
    app.log_in(&server.base_url(), EMAIL, PASSWORD, remember)
        .await?;
    app.wait_until_gone("[data-testid=connection-banner]")
        .await?;
    app.set_status("online").await?;
    Ok((server, app))
}

/// A visitor calls and the operator accepts; returns the visitor.
async fn accepted_call(
    server: &TestServer,
    app: &DesktopApp,
    name: &str,
) -> anyhow::Result<Visitor> {
    let mut visitor = Visitor::connect(server).await?;
    visitor.call(name).await?;
    app.wait_for_text("[data-testid=chat-tab]", name)
        .await?
        .click()
        .await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for("[data-testid=end-chat]").await?;
    Ok(visitor)
}

/// Chooses `value` in the visible select `css`.
async fn choose(app: &DesktopApp, css: &str, value: &str) -> anyhow::Result<()> {
    app.wait_for(css).await?.select_by_value(value).await?;
    Ok(())
}

#[tokio::test]
async fn a_snipping_shortcut_chosen_in_settings_snips_and_a_conflict_is_refused(
) -> anyhow::Result<()> {
    let (server, app) = online_operator(false).await?;
    let _visitor = accepted_call(&server, &app, "Vera Visitor").await?;

    app.click("[data-testid=nav-settings]").await?;
    app.wait_for("[data-testid=settings-page]").await?;
    // A combination the window uses itself is refused, with the reason, as an alert.
    app.fill("[data-testid=pref-snip-shortcut]", "Ctrl+C")
        .await?;
    app.click("[data-testid=apply-snip-shortcut]").await?;
    app.wait_for_text(
        "[data-testid=shortcut-status][data-state=error][role=alert]",
        "already used by Switchboard for copying",
    )
    .await?;
    app.screenshot("desktop-settings-shortcut-conflict").await?;

    app.fill("[data-testid=pref-snip-shortcut]", "Ctrl+Alt+K")
        .await?;
    app.click("[data-testid=apply-snip-shortcut]").await?;
    app.wait_for_text(
        "[data-testid=shortcut-status][data-state=saved]",
        "Ctrl+Alt+K now starts the snipping tool",
    )
    .await?;
    app.click("[data-testid=nav-chats]").await?;

    // The new combination as a real key event opens the overlay; a dragged rectangle lands in
    // the composer.
    xdotool(&["key", "ctrl+alt+k"]).await?;
    wait_for_window("Switchboard snip ready").await?;
    xdotool(&[
        "mousemove",
        "20",
        "120",
        "mousedown",
        "1",
        "mousemove",
        "60",
        "150",
        "mousemove",
        "100",
        "180",
        "mouseup",
        "1",
    ])
    .await?;
    app.wait_for("[data-testid=snip-panel]:not([hidden]) [data-testid=snip-preview]")
        .await?;
    app.quit().await
}

#[tokio::test]
async fn a_shortcut_another_program_holds_is_refused_with_the_reason() -> anyhow::Result<()> {
    // Another program (here a second Switchboard profile) holds Ctrl+Shift+S first.
    let holder = DesktopApp::start().await?;
    holder.wait_for("[data-testid=login-screen]").await?;
    let (_server, app) = online_operator(false).await?;

    // The Settings page says the shortcut is not in effect, and why.
    app.click("[data-testid=nav-settings]").await?;
    app.wait_for_text(
        "[data-testid=shortcut-status][data-state=error][role=alert]",
        "The system refused Ctrl+Shift+S",
    )
    .await?;
    // A free combination works; asking for the held one again is refused and changes nothing.
    app.fill("[data-testid=pref-snip-shortcut]", "Ctrl+Alt+J")
        .await?;
    app.click("[data-testid=apply-snip-shortcut]").await?;
    app.wait_for_text(
        "[data-testid=shortcut-status][data-state=saved]",
        "Ctrl+Alt+J now starts",
    )
    .await?;
    app.fill("[data-testid=pref-snip-shortcut]", "Ctrl+Shift+S")
        .await?;
    app.click("[data-testid=apply-snip-shortcut]").await?;
    app.wait_for_text(
        "[data-testid=shortcut-status][data-state=error]",
        "another program probably uses it",
    )
    .await?;
    app.screenshot("desktop-settings-shortcut-refused").await?;
    xdotool(&["key", "ctrl+alt+j"]).await?;
    wait_for_window("Switchboard snip ready").await?;
    app.quit().await?;
    holder.quit().await
}

#[tokio::test]
async fn settings_and_the_open_page_and_tab_survive_a_restart() -> anyhow::Result<()> {
    let (server, app) = online_operator(true).await?;
    let profile = app.profile().to_owned();
    let _first = accepted_call(&server, &app, "Vera Visitor").await?;
    let _second = accepted_call(&server, &app, "Walt Visitor").await?;
    // The older chat is the one the operator looks at.
    app.wait_for_text("[data-testid=chat-tab]", "Vera Visitor")
        .await?
        .click()
        .await?;
    let vera_tab = "[data-testid=chat-tab].active[aria-selected=true]";
    app.wait_for_text(vera_tab, "Vera Visitor").await?;

    app.click("[data-testid=nav-settings]").await?;
    choose(&app, "[data-testid=pref-theme]", "dark").await?;
    app.wait_for("html[data-theme=dark] [data-testid=settings-page][data-saved=saved]")
        .await?;
    app.click("[data-testid=ring-mode-visual]").await?;
    app.wait_for("[data-testid=pref-ring-sound]:disabled")
        .await?;
    app.click("[data-testid=pref-close-to-tray]").await?;
    app.wait_for("[data-testid=settings-page][data-saved=saved]")
        .await?;
    // Start at login writes the desktop's autostart entry, which starts this profile.
    app.click("[data-testid=pref-start-at-login]").await?;
    let entry = autostart_entry(&profile);
    wait_for_file(&entry).await?;
    let exec = std::fs::read_to_string(&entry)?;
    assert!(exec.contains(&format!("--profile {profile}")), "{exec}");
    let normal_width = page_width(&app).await?;
    choose(&app, "[data-testid=pref-text-scale]", "130").await?;
    app.wait_for("[data-testid=settings-page][data-saved=saved]")
        .await?;
    // the window's content is zoomed: the page is narrower in CSS pixels
    wait_for_zoom(&app, normal_width, 1.3).await?;
    app.screenshot("desktop-settings-dark").await?;
    app.quit().await?;

    // The next start is logged in (remembered), on the Settings page, with every choice.
    let app = DesktopApp::start_with_profile(&profile).await?;
    app.wait_for("html[data-theme=dark] [data-testid=settings-page]")
        .await?;
    wait_for_zoom(&app, normal_width, 1.3).await?;
    let ring = app.wait_for("[data-testid=ring-mode-visual]").await?;
    assert_eq!(ring.prop("checked").await?.as_deref(), Some("true"));
    let tray = app.wait_for("[data-testid=pref-close-to-tray]").await?;
    assert_eq!(tray.prop("checked").await?.as_deref(), Some("false"));
    let login = app.wait_for("[data-testid=pref-start-at-login]").await?;
    assert_eq!(login.prop("checked").await?.as_deref(), Some("true"));
    let theme = app.wait_for("[data-testid=pref-theme]").await?;
    assert_eq!(theme.prop("value").await?.as_deref(), Some("dark"));
    // ...and back on the chats, the tab the operator had open is the selected one. (WebDriver
    // computes click points without the webview's zoom, so the button is clicked from inside.)
    app.client()
        .execute(
            "document.querySelector('[data-testid=nav-chats]').click()",
            vec![],
        )
        .await?;
    app.wait_for_text(vera_tab, "Vera Visitor").await?;

    // Visual only: a new call flashes the window instead of ringing.
    let mut third = Visitor::connect(&server).await?;
    third.call("Xena Visitor").await?;
    app.wait_for("body.alert-flash").await?;
    app.screenshot("desktop-settings-visual-alert").await?;
    app.quit().await
}

#[tokio::test]
async fn launching_again_brings_the_running_window_forward_and_ends() -> anyhow::Result<()> {
    let app = DesktopApp::start().await?;
    app.wait_for("[data-testid=login-screen]").await?;
    wait_for_window("^Switchboard$").await?;

    // Another window takes the keyboard focus.
    let mut thief = tokio::process::Command::new("xmessage")
        .args(["-title", "focus thief", "another program"])
        .kill_on_drop(true)
        .spawn()
        .context("starting xmessage (package x11-utils)")?;
    let thief_window = wait_for_window("^focus thief$").await?;
    xdotool(&["windowfocus", "--sync", &thief_window]).await?;
    assert_eq!(focused_window().await?, "focus thief");

    // The second launch of the same profile ends by itself and the first takes the focus.
    let binary = switchboard_tests::server::repo_root().join("target/debug/switchboard-desktop");
    let second = tokio::process::Command::new(binary)
        .env("SWITCHBOARD_PROFILE", app.profile())
        .env("NO_AT_BRIDGE", "1")
        .kill_on_drop(true)
        .status();
    let status = tokio::time::timeout(SECOND_LAUNCH, second)
        .await
        .context("the second launch kept running")??;
    assert!(status.success(), "the second launch ended with {status}");
    let deadline = Instant::now() + SECOND_LAUNCH;
    while focused_window().await? != "Switchboard" {
        if Instant::now() > deadline {
            bail!("the running window did not take the focus");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Still one app, still answering.
    app.wait_for("[data-testid=login-screen]").await?;
    let _ = thief.kill().await;
    app.quit().await
}

/// The title of the window that has the keyboard focus.
async fn focused_window() -> anyhow::Result<String> {
    Ok(xdotool(&["getwindowfocus", "getwindowname"])
        .await?
        .trim()
        .to_owned())
}

/// The width of the page in CSS pixels.
async fn page_width(app: &DesktopApp) -> anyhow::Result<f64> {
    let width = app
        .client()
        .execute("return document.documentElement.clientWidth", vec![])
        .await?;
    width.as_f64().context("clientWidth is a number")
}

/// Waits until the page is zoomed by `factor` against `normal_width` (within rounding).
async fn wait_for_zoom(app: &DesktopApp, normal_width: f64, factor: f64) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let width = page_width(app).await?;
        if (width * factor - normal_width).abs() <= factor * 2.0 {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the page is {width} px wide, not {normal_width} px / {factor}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Presses Tab (a real key event) until the focused element matches `css`, and checks that
/// the focus is visible there.
async fn tab_to(app: &DesktopApp, css: &str) -> anyhow::Result<()> {
    const MAX_TABS: usize = 60;
    for _ in 0..MAX_TABS {
        let focused = app
            .client()
            .execute(
                "const e = document.activeElement; \
                 return !!e && e.matches(arguments[0]) && getComputedStyle(e).outlineStyle !== 'none';",
                vec![serde_json::json!(css)],
            )
            .await?;
        if focused.as_bool() == Some(true) {
            return Ok(());
        }
        xdotool(&["key", "Tab"]).await?;
    }
    app.screenshot("desktop-keyboard-lost").await?;
    bail!("{css} was not reached with {MAX_TABS} presses of Tab (or shows no focus)")
}

/// Types `text` as real key events into the focused element.
async fn type_keys(text: &str) -> anyhow::Result<()> {
    xdotool(&["type", "--delay", "20", text]).await?;
    Ok(())
}

#[tokio::test]
async fn an_operator_logs_in_accepts_answers_and_ends_a_chat_with_the_keyboard_only(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    ask_for_names(&server).await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start().await?;
    app.wait_for("[data-testid=login-screen]").await?;
    let window = wait_for_window("^Switchboard$").await?;
    xdotool(&["windowfocus", "--sync", &window]).await?;

    // Log in: the first field has the focus; Tab between fields, Enter submits.
    tab_to(&app, "[data-testid=server-url]").await?;
    type_keys(server.base_url().as_str()).await?;
    tab_to(&app, "[data-testid=email]").await?;
    type_keys(EMAIL).await?;
    tab_to(&app, "[data-testid=password]").await?;
    type_keys(PASSWORD).await?;
    xdotool(&["key", "Return"]).await?;
    app.wait_for("[data-testid=main-screen]").await?;
    app.wait_until_gone("[data-testid=connection-banner]")
        .await?;

    // Online: the status control, with the arrow keys.
    tab_to(&app, "[data-testid=status-select]").await?;
    xdotool(&["key", "Home"]).await?;
    app.wait_for("[data-testid=main-screen][data-status=online]")
        .await?;

    // A call rings; the operator reaches Accept and answers.
    let mut visitor = Visitor::connect(&server).await?;
    visitor.call("Vera Visitor").await?;
    tab_to(&app, "[data-testid=accept-call]").await?;
    xdotool(&["key", "Return"]).await?;
    app.wait_for("[data-testid=end-chat]").await?;
    tab_to(&app, "[data-testid=composer]").await?;
    type_keys("Hello from the keyboard").await?;
    xdotool(&["key", "Return"]).await?;
    let (_, text) = visitor.operator_message().await?;
    assert_eq!(text, "Hello from the keyboard");

    // End the chat: the confirmation takes the focus on its End button.
    tab_to(&app, "[data-testid=end-chat]").await?;
    xdotool(&["key", "Return"]).await?;
    tab_to(&app, "[data-testid=confirm-end-chat]").await?;
    app.screenshot("desktop-keyboard-confirm").await?;
    xdotool(&["key", "Return"]).await?;
    visitor.chat_closed().await?;
    app.quit().await
}

/// The XDG autostart entry of a profile (in the test session's home).
fn autostart_entry(profile: &str) -> std::path::PathBuf {
    let home = std::env::var_os("HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    home.join(format!(".config/autostart/Switchboard-{profile}.desktop"))
}

/// Waits until `path` exists.
async fn wait_for_file(path: &std::path::Path) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !path.exists() {
        if Instant::now() > deadline {
            bail!("{} was not written", path.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

#[tokio::test]
async fn the_window_comes_back_with_its_size_after_quit() -> anyhow::Result<()> {
    let app = DesktopApp::start().await?;
    let profile = app.profile().to_owned();
    app.wait_for("[data-testid=login-screen]").await?;
    app.client().set_window_size(820, 560).await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.client().get_window_size().await? != (820, 560) {
        if Instant::now() > deadline {
            bail!("the window was not resized");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Quit from the menu (Ctrl+Q) as an operator would: the placement is written on the way out.
    let window = wait_for_window("^Switchboard$").await?;
    xdotool(&["windowfocus", "--sync", &window]).await?;
    xdotool(&["key", "ctrl+q"]).await?;
    let home = std::env::var_os("HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    wait_for_file(&home.join(format!(
        ".config/app.switchboard.desktop/window-state-{profile}.json"
    )))
    .await?;
    app.kill().await?;

    let app = DesktopApp::start_with_profile(&profile).await?;
    app.wait_for("[data-testid=login-screen]").await?;
    assert_eq!(app.client().get_window_size().await?, (820, 560));
    app.quit().await
}

#[tokio::test]
async fn webkit_draws_without_compositing_unless_the_user_set_it() -> anyhow::Result<()> {
    const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    let app = DesktopApp::start().await?;
    app.wait_for("[data-testid=login-screen]").await?;
    assert_eq!(app.web_process_variable(VARIABLE)?.as_deref(), Some("1"));
    app.quit().await?;

    // the user's own choice stays
    let profile = format!("test-{}", uuid::Uuid::new_v4());
    let app = DesktopApp::start_with(&profile, &[(VARIABLE, "0")]).await?;
    app.wait_for("[data-testid=login-screen]").await?;
    assert_eq!(app.web_process_variable(VARIABLE)?.as_deref(), Some("0"));
    app.quit().await?;
    Ok(())
}
