//! The real desktop app, driven through WebDriver: `tauri-driver` in front of Debian's
//! `WebKitWebDriver`, each app on its own free ports and its own keychain profile. Run the tests
//! inside `scripts/desktop-session.sh` (display, session bus, unlocked keyring).
//!
//! [`visitor`] is the other side of a chat: a raw visitor socket, as the widget would open;
//! [`notifications`] sees the notifications the app raises (a link to cut is
//! [`crate::chaos_proxy::ChaosProxy`]); [`tray`] is the panel that shows the tray icon;
//! [`x11`] and [`menu`] press real keys; [`window_shot`] takes screenshots.

pub mod files;
pub mod menu;
pub mod notifications;
pub mod processes;
pub mod tray;
pub mod visitor;
pub mod window_shot;
pub mod x11;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

use crate::server::{artifacts_dir, repo_root};

/// How long an element may take to appear.
pub const WAIT: Duration = Duration::from_secs(20);
/// How long tauri-driver may take to accept connections.
const DRIVER_START: Duration = Duration::from_secs(20);
/// How long the app may take to start and open its WebDriver session.
const SESSION_START: Duration = Duration::from_secs(60);
/// Poll interval while waiting.
const POLL: Duration = Duration::from_millis(100);
const NATIVE_DRIVER: &str = "/usr/bin/WebKitWebDriver";

/// One running desktop app and its WebDriver session. Call [`DesktopApp::quit`] to end it
/// cleanly; dropping it kills the driver (and with it the app).
pub struct DesktopApp {
    client: Option<Client>,
    driver: Child,
    profile: String,
}

fn app_binary() -> PathBuf {
    std::env::var_os("SWITCHBOARD_DESKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/debug/switchboard-desktop"))
}

fn tauri_driver() -> PathBuf {
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin/tauri-driver"));
    match in_cargo_home {
        Some(path) if path.exists() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

impl DesktopApp {
    /// Starts the app with a fresh keychain profile (nothing remembered).
    pub async fn start() -> anyhow::Result<DesktopApp> {
        Self::start_with_profile(&format!("test-{}", uuid::Uuid::new_v4())).await
    }

    /// Starts the app with the keychain profile `profile` (what an earlier run remembered).
    pub async fn start_with_profile(profile: &str) -> anyhow::Result<DesktopApp> {
        Self::start_with(profile, &[]).await
    }

    /// Starts the app with the keychain profile `profile` and extra environment variables.
    pub async fn start_with(profile: &str, env: &[(&str, &str)]) -> anyhow::Result<DesktopApp> {
        let binary = app_binary();
        if !binary.exists() {
            bail!(
                "{} is missing: build the desktop app first",
                binary.display()
            );
        }
        let port = crate::urls::free_port()?;
        let native_port = crate::urls::free_port()?;
        let driver = Command::new(tauri_driver())
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .args(["--native-driver", NATIVE_DRIVER])
            .env("SWITCHBOARD_PROFILE", profile)
            .env("NO_AT_BRIDGE", "1")
            // no automatic login unless the test asks for one
            .env_remove("SWITCHBOARD_SERVER_URL")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .context("starting tauri-driver (scripts/setup.sh installs it)")?;
        let mut app = DesktopApp {
            client: None,
            driver,
            profile: profile.to_owned(),
        };
        wait_for_port(port).await?;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": binary }),
        );
        // several crates enable rustls with different crypto providers: pick one
        let _ = rustls::crypto::ring::default_provider().install_default();
        let driver_url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + DRIVER_START;
        let connect = async {
            loop {
                // WebKitWebDriver behind tauri-driver may not be ready as soon as tauri-driver is
                let attempt = ClientBuilder::rustls()?
                    .capabilities(capabilities.clone())
                    .connect(&driver_url)
                    .await;
                match attempt {
                    Ok(client) => return anyhow::Ok(client),
                    Err(_) if Instant::now() < deadline => tokio::time::sleep(POLL).await,
                    Err(error) => {
                        return Err(error).context("opening a WebDriver session on the app")
                    }
                }
            }
        };
        // an app that exits at start leaves the session request waiting forever
        let client = tokio::time::timeout(SESSION_START, connect)
            .await
            .context("the app opened no WebDriver session: did it exit at start?")??;
        app.client = Some(client);
        Ok(app)
    }

    /// The keychain profile of this app.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The WebDriver session.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("session is open until quit")
    }

    /// Waits until an element matching `css` is displayed.
    pub async fn wait_for(&self, css: &str) -> anyhow::Result<Element> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(elements) = self.client().find_all(Locator::Css(css)).await {
                for element in elements {
                    if element.is_displayed().await.unwrap_or(false) {
                        return Ok(element);
                    }
                }
            }
            if Instant::now() > deadline {
                self.save_failure_screenshot(css).await;
                bail!("no visible element matches {css} after {WAIT:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until a visible element matching `css` has text containing `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> anyhow::Result<Element> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(elements) = self.client().find_all(Locator::Css(css)).await {
                for element in elements {
                    let shown = element.is_displayed().await.unwrap_or(false);
                    // innerText: what the page renders (WebDriver's own text skips ellipsized text)
                    let rendered = element.prop("innerText").await.ok().flatten();
                    if shown && rendered.unwrap_or_default().contains(text) {
                        return Ok(element);
                    }
                }
            }
            if Instant::now() > deadline {
                self.save_failure_screenshot(css).await;
                bail!("no visible {css} shows {text:?} after {WAIT:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until no visible element matches `css`.
    pub async fn wait_until_gone(&self, css: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let mut visible = false;
            if let Ok(elements) = self.client().find_all(Locator::Css(css)).await {
                for element in elements {
                    visible |= element.is_displayed().await.unwrap_or(false);
                }
            }
            if !visible {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.save_failure_screenshot(css).await;
                bail!("{css} is still visible after {WAIT:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Types `text` into the visible element `css` (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        self.on_element(css, |field| async move {
            field.clear().await?;
            field.send_keys(text).await
        })
        .await
    }

    /// Clicks the visible element `css`.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.on_element(css, |element| async move { element.click().await })
            .await
    }

    /// Runs `action` on the visible element `css`, finding it again if the UI replaced it
    /// in between (a stale element) or it could not take input yet.
    async fn on_element<F, Fut>(&self, css: &str, action: F) -> anyhow::Result<()>
    where
        F: Fn(Element) -> Fut,
        Fut: std::future::Future<Output = Result<(), CmdError>>,
    {
        let deadline = Instant::now() + WAIT;
        loop {
            let element = self.wait_for(css).await?;
            match action(element).await {
                Ok(()) => return Ok(()),
                Err(error)
                    if (error.is_stale_element_reference()
                        || error.is_element_not_interactable())
                        && Instant::now() < deadline =>
                {
                    tokio::time::sleep(POLL).await;
                }
                Err(error) => return Err(error).with_context(|| format!("acting on {css}")),
            }
        }
    }

    /// Logs in through the login screen and waits for the main window.
    pub async fn log_in(
        &self,
        server: &url::Url,
        email: &str,
        password: &str,
        remember: bool,
    ) -> anyhow::Result<()> {
        self.wait_for("[data-testid=login-screen]").await?;
        self.fill("[data-testid=server-url]", server.as_str())
            .await?;
        self.fill("[data-testid=email]", email).await?;
        self.fill("[data-testid=password]", password).await?;
        let checkbox = self.wait_for("[data-testid=remember]").await?;
        let checked = checkbox.prop("checked").await?.as_deref() == Some("true");
        if checked != remember {
            checkbox.click().await?;
        }
        self.click("[data-testid=login-submit]").await?;
        self.wait_for("[data-testid=main-screen]").await?;
        Ok(())
    }

    /// Starts the app (a fresh profile), logs in without "remember me", waits until it is
    /// connected and sets `status`.
    pub async fn start_logged_in(
        server: &url::Url,
        email: &str,
        password: &str,
        status: &str,
    ) -> anyhow::Result<DesktopApp> {
        let app = DesktopApp::start().await?;
        app.log_in(server, email, password, false).await?;
        app.wait_until_gone("[data-testid=connection-banner]")
            .await?;
        app.set_status(status).await?;
        Ok(app)
    }

    /// Sets the operator's status with the status control and waits until the server agrees.
    pub async fn set_status(&self, status: &str) -> anyhow::Result<()> {
        let control = self.wait_for("[data-testid=status-select]").await?;
        control.select_by_value(status).await?;
        self.wait_for(&format!("[data-testid=main-screen][data-status={status}]"))
            .await?;
        Ok(())
    }

    /// Types `text` into the composer and presses Enter.
    pub async fn send_message(&self, text: &str) -> anyhow::Result<()> {
        self.fill("[data-testid=composer]", &format!("{text}\u{E007}"))
            .await
    }

    /// The environment variable `name` as WebKit's web process of this app has it.
    pub fn web_process_variable(&self, name: &str) -> anyhow::Result<Option<String>> {
        processes::variable_of(self.process_group()?, "WebKitWebProces", name)
    }

    /// Saves a PNG screenshot of the main window as `<repo>/test-artifacts/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        let png = window_shot::main_window_png(self.process_group()?).await?;
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// The process group of the driver, the app and WebKit's processes (the driver's pid).
    fn process_group(&self) -> anyhow::Result<u32> {
        self.driver.id().context("the driver has ended")
    }

    async fn save_failure_screenshot(&self, what: &str) {
        let name: String = what
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let _ = self.screenshot(&format!("desktop-failure-{name}")).await;
    }

    /// Ends the WebDriver session (which ends the app) and the driver.
    pub async fn quit(mut self) -> anyhow::Result<()> {
        if let Some(client) = self.client.take() {
            client.close().await?;
        }
        self.kill_driver_group();
        let _ = self.driver.wait().await;
        // the next start of this profile must not find this one still running
        wait_until_instance_gone(&self.profile).await
    }

    /// Ends the driver and the app without a WebDriver goodbye (e.g. the app already quit).
    pub async fn kill(mut self) -> anyhow::Result<()> {
        self.client = None;
        self.kill_driver_group();
        let _ = self.driver.wait().await;
        wait_until_instance_gone(&self.profile).await
    }

    /// Kills tauri-driver, WebKitWebDriver and the app: they share one process group.
    fn kill_driver_group(&mut self) {
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
        }
    }
}

impl Drop for DesktopApp {
    fn drop(&mut self) {
        self.kill_driver_group();
    }
}

/// The D-Bus name a running app of `profile` owns (one instance per profile).
fn instance_bus_name(profile: &str) -> String {
    let element: String = profile
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("app.switchboard.desktop.profile_{element}.SingleInstance")
}

/// Waits until no app of `profile` owns its instance name on the session bus.
async fn wait_until_instance_gone(profile: &str) -> anyhow::Result<()> {
    let name = instance_bus_name(profile);
    let deadline = Instant::now() + WAIT;
    loop {
        let reply = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &format!("string:{name}"),
            ])
            .output()
            .await
            .context("running dbus-send")?;
        if !String::from_utf8_lossy(&reply.stdout).contains("boolean true") {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the app of profile {profile} is still running after {WAIT:?}");
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn wait_for_port(port: u16) -> anyhow::Result<()> {
    let deadline = Instant::now() + DRIVER_START;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            bail!("tauri-driver did not listen on port {port} within {DRIVER_START:?}");
        }
        tokio::time::sleep(POLL).await;
    }
    Ok(())
}
