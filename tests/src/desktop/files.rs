//! The desktop app's native file dialog, driven like a person would: real X key events with
//! xdotool (type the path into GTK's location field and press Enter).

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::process::Command;

/// How long the dialog may take to appear.
const DIALOG_WAIT: Duration = Duration::from_secs(20);

async fn xdotool(args: &[&str]) -> anyhow::Result<String> {
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
    let found = tokio::time::timeout(DIALOG_WAIT, search)
        .await
        .with_context(|| format!("no window titled {title:?} appeared"))??;
    found
        .lines()
        .next()
        .map(str::to_owned)
        .with_context(|| format!("no window titled {title:?}"))
}

/// Chooses `path` in the open file dialog titled `title`.
pub async fn choose_in_file_dialog(title: &str, path: &Path) -> anyhow::Result<()> {
    let window = wait_for_window(title).await?;
    xdotool(&["windowfocus", "--sync", &window]).await?;
    // Ctrl+L opens GTK's location field; the typed path replaces whatever it holds
    xdotool(&["key", "--window", &window, "--clearmodifiers", "ctrl+l"]).await?;
    xdotool(&["type", "--delay", "10", &path.display().to_string()]).await?;
    xdotool(&["key", "Return"]).await?;
    Ok(())
}
