//! Real X input for the parts of the desktop app WebDriver cannot reach (native dialogs and
//! menus, global shortcuts), through xdotool on the test session's display.

use std::time::Duration;

use anyhow::{bail, Context};
use tokio::process::Command;

/// How long a window may take to appear.
const WINDOW_WAIT: Duration = Duration::from_secs(20);

/// Runs xdotool with `args`; returns what it printed.
pub async fn xdotool(args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("xdotool")
        .args(args)
        .output()
        .await
        .context("running xdotool (package xdotool)")?;
    if !output.status.success() {
        bail!(
            "xdotool {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Waits for the window titled `title` and returns its X window id.
pub async fn wait_for_window(title: &str) -> anyhow::Result<String> {
    let args = ["search", "--sync", "--onlyvisible", "--name", title];
    let search = xdotool(&args);
    let found = tokio::time::timeout(WINDOW_WAIT, search)
        .await
        .with_context(|| format!("no window titled {title:?} appeared"))??;
    found
        .lines()
        .next()
        .map(str::to_owned)
        .with_context(|| format!("no window titled {title:?}"))
}

/// Whether a window titled `title` is on screen right now.
pub async fn window_shown(title: &str) -> anyhow::Result<bool> {
    let status = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", title])
        .output()
        .await
        .context("running xdotool (package xdotool)")?
        .status;
    Ok(status.success())
}
