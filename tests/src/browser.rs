//! A real website visitor: Debian's headless Chromium, driven through chromedriver, on a page
//! that includes the widget's loader. Every method works inside the widget's iframe, through
//! the stable ids and `data-*` attributes of `widget/site/widget/chat.html`:
//!
//! | element | what it is |
//! |---|---|
//! | `#switchboard-widget-frame` | the iframe the loader adds to the host page |
//! | `#sb-launcher` | the chat button; `data-online="true|false"` |
//! | `#sb-unread` | unread count on the chat button |
//! | `#sb-panel` | the chat window (`hidden` while closed) |
//! | `#sb-connection` | connection banner; `data-state="connecting|connected|reconnecting|stopped"` |
//! | `#sb-subtitle` | header line: who is chatting, or availability |
//! | `#sb-survey`, `#sb-survey-<key>`, `#sb-survey-<key>-error`, `#sb-survey-submit` | pre-chat survey |
//! | `#sb-chat`, `#sb-messages` | the conversation and its message list |
//! | `[data-testid=message]` | a message; `data-author="visitor|operator|system"`, `data-seq`, `data-delivery="sending|sent|delivered|seen|failed"` (own messages) |
//! | `.sb-msg-text`, `.sb-msg-author` | a message's text and shown author name |
//! | `[data-testid=notice]` | "Alice joined the chat", "… ended the chat" |
//! | `#sb-composer`, `#sb-send` | message input (Enter sends, Shift+Enter new line) and send button |
//! | `#sb-closed`, `#sb-new-chat`, `#sb-end-chat` | ended-chat notice, start again, end the chat |
//! | `#sb-offline`, `#sb-offline-name`, `#sb-offline-email`, `#sb-offline-message`, `#sb-offline-submit`, `#sb-offline-sent` | offline message form and its confirmation |

mod files;

use std::future::Future;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use serde::Deserialize;
use serde_json::json;
use url::Url;

/// The chromedriver binary (Debian package `chromium-driver`).
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The browser binary (Debian package `chromium`).
const CHROMIUM: &str = "/usr/bin/chromium";
/// Chromium flags for a quiet, headless, reproducible browser.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
];
/// How long the visitor waits for something to show up in the widget.
pub const WAIT: Duration = Duration::from_secs(15);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);
/// The id of the iframe the loader adds to the host page.
const FRAME_ID: &str = "switchboard-widget-frame";

/// A message as the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ShownMessage {
    /// `visitor`, `operator` or `system`.
    pub author: String,
    /// The author name shown above the message (at the start of an operator's run of messages).
    pub name: Option<String>,
    /// The message text as displayed.
    pub text: String,
    /// The server seq, once the message is confirmed.
    pub seq: Option<u32>,
    /// Delivery state of the visitor's own messages: `sending`, `sent`, `delivered`, `seen` or
    /// `failed`.
    pub delivery: Option<String>,
    /// The `href`s of the links in the message.
    pub links: Vec<String>,
}

/// Reads every shown message from the widget's DOM.
const READ_MESSAGES: &str = r#"
return [...document.querySelectorAll('[data-testid="message"]')].map((m) => ({
  author: m.dataset.author,
  name: m.querySelector('.sb-msg-author')?.textContent ?? null,
  text: m.querySelector('.sb-msg-text')?.textContent ?? '',
  seq: m.dataset.seq ? Number(m.dataset.seq) : null,
  delivery: m.dataset.delivery ?? null,
  links: [...m.querySelectorAll('.sb-msg-text a')].map((a) => a.getAttribute('href')),
}));
"#;

/// Reads the survey's shown validation errors as (field key, message) pairs.
const READ_SURVEY_ERRORS: &str = r#"
return [...document.querySelectorAll('#sb-survey-fields [name]')]
  .map((input) => [input.name, document.getElementById(input.id + '-error')])
  .filter(([, error]) => error && !error.hidden)
  .map(([key, error]) => [key, error.textContent]);
"#;

/// Chromedriver in its own process group, so that killing the group also ends its browser.
struct Driver {
    child: Child,
}

impl Driver {
    fn spawn(port: u16, log: &Path) -> anyhow::Result<Driver> {
        use std::os::unix::process::CommandExt;
        let log = std::fs::File::create(log).context("cannot create the chromedriver log")?;
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .process_group(0)
            .spawn()
            .with_context(|| {
                format!("cannot start {CHROMEDRIVER} (apt-get install chromium-driver)")
            })?;
        Ok(Driver { child })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group id is the driver's pid (process_group(0)); Chromium runs in that group.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium visitor on a page with the widget. Kills chromedriver and the browser
/// on drop; [`WidgetVisitor::close`] ends the session cleanly first.
pub struct WidgetVisitor {
    client: Client,
    // Dropped after `client`: the driver dies, then the browser profile is removed.
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// Looks again every [`POLL`] until `probe` finds something or [`WAIT`] passes.
async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(found) = probe().await? {
            return Ok(found);
        }
        if Instant::now() >= deadline {
            bail!("timed out after {WAIT:?} waiting for {what}");
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn wait_until_ready(driver_url: &Url) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let status = driver_url.join("status")?;
    eventually("chromedriver to accept sessions", || {
        let request = http.get(status.clone()).send();
        async move {
            let Ok(response) = request.await else {
                return Ok(None);
            };
            let body: serde_json::Value = response.json().await?;
            Ok(body["value"]["ready"]
                .as_bool()
                .unwrap_or(false)
                .then_some(()))
        }
    })
    .await
}

impl WidgetVisitor {
    /// Starts chromedriver and a fresh headless Chromium (new profile), and opens `url` (a page
    /// that includes the widget's loader). Returns once the widget is connected.
    pub async fn open(url: &Url) -> anyhow::Result<WidgetVisitor> {
        // fantoccini's rustls has two crypto providers compiled in; pick one for the process
        // (an error only means one was picked already).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let profile = tempfile::tempdir()?;
        let port = crate::urls::free_port()?;
        let driver = Driver::spawn(port, &profile.path().join("chromedriver.log"))?;
        let driver_url = Url::parse(&format!("http://127.0.0.1:{port}/"))?;
        wait_until_ready(&driver_url).await?;

        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|flag| flag.to_string()).collect();
        args.push(format!(
            "--user-data-dir={}",
            profile.path().join("chromium").display()
        ));
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": CHROMIUM, "args": args }),
        );
        let client = ClientBuilder::rustls()?
            .capabilities(capabilities)
            .connect(driver_url.as_str())
            .await
            .context("chromedriver did not start a Chromium session")?;
        let visitor = WidgetVisitor {
            client,
            _driver: driver,
            _profile: profile,
        };
        visitor.goto(url).await?;
        Ok(visitor)
    }

    /// Navigates to another page with the widget and waits until the widget is connected.
    pub async fn goto(&self, url: &Url) -> anyhow::Result<()> {
        self.client.goto(url.as_str()).await?;
        self.enter_widget().await
    }

    /// Reloads the page and waits until the widget is connected again.
    pub async fn reload(&self) -> anyhow::Result<()> {
        self.client.refresh().await?;
        self.enter_widget().await
    }

    /// Switches into the widget's iframe and waits for its first `Welcome`.
    async fn enter_widget(&self) -> anyhow::Result<()> {
        let frame = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id(FRAME_ID))
            .await
            .context("the loader added no widget iframe")?;
        frame.enter_frame().await?;
        self.wait_for_css(r#"#sb-connection[data-state="connected"]"#)
            .await
            .context("the widget did not connect")?;
        Ok(())
    }

    /// Waits until an element matching `css` exists in the widget.
    pub async fn wait_for_css(&self, css: &str) -> anyhow::Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("nothing matched {css} in time"))
    }

    /// How many elements match `css` in the widget right now.
    pub async fn count(&self, css: &str) -> anyhow::Result<usize> {
        Ok(self.client.find_all(Locator::Css(css)).await?.len())
    }

    async fn is_shown(&self, id: &str) -> anyhow::Result<bool> {
        Ok(self.count(&format!("#{id}:not([hidden])")).await? > 0)
    }

    /// Opens the chat window (if closed) and waits until the loader has made room for it.
    pub async fn open_chat(&self) -> anyhow::Result<()> {
        if !self.is_shown("sb-panel").await? {
            self.client
                .find(Locator::Id("sb-launcher"))
                .await?
                .click()
                .await?;
        }
        self.wait_for_css("#sb-panel:not([hidden])").await?;
        eventually("the loader to grow the widget iframe", || async {
            let height = self
                .client
                .execute("return window.innerHeight", vec![])
                .await?;
            Ok((height.as_u64().unwrap_or(0) > 300).then_some(()))
        })
        .await
    }

    /// Opens the chat and, when the pre-chat survey shows, fills in `answers` (field key,
    /// value) and submits it. Without a survey the chat starts with the first message.
    /// Returns once the conversation view shows.
    pub async fn start_chat(&self, answers: &[(&str, &str)]) -> anyhow::Result<()> {
        self.open_chat().await?;
        if self.is_shown("sb-survey").await? {
            self.submit_survey(answers).await?;
        }
        self.wait_for_css("#sb-chat:not([hidden])").await?;
        Ok(())
    }

    /// Fills the shown pre-chat survey with `answers` (field key, value) and submits it.
    pub async fn submit_survey(&self, answers: &[(&str, &str)]) -> anyhow::Result<()> {
        for (key, value) in answers {
            let input = self
                .client
                .find(Locator::Id(&format!("sb-survey-{key}")))
                .await?;
            input.clear().await?;
            input.send_keys(value).await?;
        }
        self.client
            .find(Locator::Id("sb-survey-submit"))
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// The survey's shown validation errors: (field key, message).
    pub async fn survey_errors(&self) -> anyhow::Result<Vec<(String, String)>> {
        let value = self.client.execute(READ_SURVEY_ERRORS, vec![]).await?;
        Ok(serde_json::from_value(value)?)
    }

    /// Types `text` into the message box and presses Enter.
    pub async fn send(&self, text: &str) -> anyhow::Result<()> {
        self.send_lines(&[text]).await
    }

    /// Types `lines` into the message box with Shift+Enter between them, then presses Enter.
    pub async fn send_lines(&self, lines: &[&str]) -> anyhow::Result<()> {
        let composer = self.wait_for_css("#sb-composer").await?;
        let new_line = format!("{}{}{}", Key::Shift, Key::Enter, Key::Null);
        composer.send_keys(&lines.join(&new_line)).await?;
        composer.send_keys(&Key::Enter.to_string()).await?;
        Ok(())
    }

    /// Ends the chat with the header's "End chat" button.
    pub async fn end_chat(&self) -> anyhow::Result<()> {
        self.wait_for_css("#sb-end-chat:not([hidden])")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Waits until the chat shows as ended.
    pub async fn wait_for_chat_ended(&self) -> anyhow::Result<()> {
        self.wait_for_css("#sb-closed:not([hidden])")
            .await
            .map(drop)
    }

    /// After an ended chat, goes back to the start ("Start a new chat").
    pub async fn start_new_chat(&self) -> anyhow::Result<()> {
        self.wait_for_css("#sb-new-chat").await?.click().await?;
        self.wait_for_css("#sb-closed[hidden]").await.map(drop)
    }

    /// Every message the widget shows, in order.
    pub async fn messages(&self) -> anyhow::Result<Vec<ShownMessage>> {
        let value = self.client.execute(READ_MESSAGES, vec![]).await?;
        Ok(serde_json::from_value(value)?)
    }

    /// The notices ("Alice joined the chat", ...) the widget shows, in order.
    pub async fn notices(&self) -> anyhow::Result<Vec<String>> {
        let mut texts = Vec::new();
        for notice in self
            .client
            .find_all(Locator::Css(r#"[data-testid="notice"]"#))
            .await?
        {
            texts.push(notice.prop("textContent").await?.unwrap_or_default());
        }
        Ok(texts)
    }

    /// Waits until a message with exactly `text` shows, and returns it.
    pub async fn wait_for_message(&self, text: &str) -> anyhow::Result<ShownMessage> {
        self.wait_for_message_where(&format!("the message {text:?}"), |m| m.text == text)
            .await
    }

    /// Waits until a message for which `matches` is true shows, and returns it.
    pub async fn wait_for_message_where(
        &self,
        what: &str,
        matches: impl Fn(&ShownMessage) -> bool,
    ) -> anyhow::Result<ShownMessage> {
        eventually(what, || async {
            Ok(self.messages().await?.into_iter().find(|m| matches(m)))
        })
        .await
    }

    /// Waits until a notice with exactly `text` shows.
    pub async fn wait_for_notice(&self, text: &str) -> anyhow::Result<()> {
        eventually(&format!("the notice {text:?}"), || async {
            Ok(self
                .notices()
                .await?
                .iter()
                .any(|n| n == text)
                .then_some(()))
        })
        .await
    }

    /// Waits until the operator's invitation shows `text` on screen: the box is unhidden and the
    /// loader has grown the widget enough for it to be seen (until then its text reads empty).
    pub async fn wait_for_invitation(&self, text: &str) -> anyhow::Result<()> {
        eventually(&format!("the invitation {text:?}"), || async {
            let shown = self
                .client
                .find_all(Locator::Css(
                    "#sb-invitation:not([hidden]) .sb-invitation-text",
                ))
                .await?;
            for element in shown {
                if element.text().await? == text {
                    return Ok(Some(()));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Whether the chat button shows that an operator is online.
    pub async fn chat_button_online(&self) -> anyhow::Result<bool> {
        let launcher = self.client.find(Locator::Id("sb-launcher")).await?;
        Ok(launcher.attr("data-online").await?.as_deref() == Some("true"))
    }

    /// Waits until the chat button shows `online`.
    pub async fn wait_for_button_online(&self, online: bool) -> anyhow::Result<()> {
        self.wait_for_css(&format!(r#"#sb-launcher[data-online="{online}"]"#))
            .await
            .map(drop)
    }

    /// Opens the chat, fills in the offline-message form and sends it; returns once the widget
    /// confirms that the server took it.
    pub async fn send_offline_message(
        &self,
        name: &str,
        email: &str,
        text: &str,
    ) -> anyhow::Result<()> {
        self.open_chat().await?;
        self.wait_for_css("#sb-offline:not([hidden])").await?;
        for (id, value) in [
            ("sb-offline-name", name),
            ("sb-offline-email", email),
            ("sb-offline-message", text),
        ] {
            let input = self.client.find(Locator::Id(id)).await?;
            input.clear().await?;
            input.send_keys(value).await?;
        }
        self.client
            .find(Locator::Id("sb-offline-submit"))
            .await?
            .click()
            .await?;
        self.wait_for_css("#sb-offline-sent:not([hidden])").await?;
        Ok(())
    }

    /// The WebDriver session, inside the widget's frame once a page is open.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Saves a PNG screenshot of the browser window (host page and widget) to `path`.
    pub async fn screenshot(&self, path: &Path) -> anyhow::Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::write(path, png).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Ends the browser session cleanly (the driver and profile go on drop).
    pub async fn close(self) -> anyhow::Result<()> {
        self.client.clone().close().await?;
        Ok(())
    }
}
