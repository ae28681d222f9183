//! Watches the session bus for desktop notifications (`org.freedesktop.Notifications.Notify`
//! calls), so a test can assert that the app raised one, and for `CloseNotification` calls, so it
//! can assert that the app took one away: the plugin's return values say nothing.

use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// A running `dbus-monitor` that records notification calls (shown and closed).
pub struct NotificationWatch {
    monitor: Child,
    lines: Lines<BufReader<ChildStdout>>,
}

impl NotificationWatch {
    /// Starts watching; notifications sent before this are not seen.
    pub async fn start() -> anyhow::Result<NotificationWatch> {
        let mut monitor = Command::new("dbus-monitor")
            .args([
                "--session",
                "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
                "type='method_call',interface='org.freedesktop.Notifications',member='CloseNotification'",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting dbus-monitor (package dbus-bin)")?;
        let stdout = monitor.stdout.take().context("dbus-monitor stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        // dbus-monitor announces itself on the bus first; once that shows, it is listening.
        tokio::time::timeout(Duration::from_secs(10), lines.next_line())
            .await
            .context("dbus-monitor did not start")??;
        Ok(NotificationWatch { monitor, lines })
    }

    /// Waits for a notification whose text contains `text`.
    pub async fn wait_for(&mut self, text: &str, within: Duration) -> anyhow::Result<()> {
        self.wait_for_line(text, within)
            .await
            .with_context(|| format!("no notification containing {text:?}"))
    }

    /// Waits for the app to close a notification it showed (a notification that merely times
    /// out on screen closes without this call).
    pub async fn wait_for_close(&mut self, within: Duration) -> anyhow::Result<()> {
        self.wait_for_line("member=CloseNotification", within)
            .await
            .context("no notification was closed")
    }

    async fn wait_for_line(&mut self, text: &str, within: Duration) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.lines.next_line()).await {
                Ok(Ok(Some(line))) if line.contains(text) => return Ok(()),
                Ok(Ok(Some(_))) => {}
                Ok(Ok(None)) => bail!("dbus-monitor stopped"),
                Ok(Err(error)) => return Err(error.into()),
                Err(_) => bail!("nothing within {within:?}"),
            }
        }
    }
}

/// Clicks the newest notification on screen (dunst's default action), as the operator would.
/// Waits first until dunst shows a notification: the bus call is seen before dunst draws it.
pub async fn click_newest() -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while dunstctl(&["count", "displayed"]).await?.trim() == "0" {
        if tokio::time::Instant::now() > deadline {
            bail!("dunst shows no notification to click");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    dunstctl(&["action", "0"]).await?;
    Ok(())
}

async fn dunstctl(args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("dunstctl")
        .args(args)
        .output()
        .await
        .context("running dunstctl (package dunst)")?;
    if !output.status.success() {
        bail!("dunstctl {args:?} failed: {}", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

impl Drop for NotificationWatch {
    fn drop(&mut self) {
        let _ = self.monitor.start_kill();
    }
}
