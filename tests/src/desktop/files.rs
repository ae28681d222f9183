//! The desktop app's native file dialog, driven like a person would: real X key events with
//! xdotool (type the path, which GTK's dialog takes into its location field, and press Enter).

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::process::Command;

/// How long the dialog may take to appear.
const DIALOG_WAIT: Duration = Duration::from_secs(20);
/// Times the path is typed before giving up.
const ATTEMPTS: u32 = 3;
/// How long the dialog may take to close after Enter.
const ATTEMPT_WAIT: Duration = Duration::from_secs(3);

/// Runs xdotool with `args` and returns what it printed.
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
    let found = tokio::time::timeout(DIALOG_WAIT, search)
        .await
        .with_context(|| format!("no window titled {title:?} appeared"))??;
    found
        .lines()
        .next()
        .map(str::to_owned)
        .with_context(|| format!("no window titled {title:?}"))
}

/// Whether a window titled `title` is on screen right now.
async fn window_shown(title: &str) -> anyhow::Result<bool> {
    let status = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", title])
        .output()
        .await
        .context("running xdotool (package xdotool)")?
        .status;
    Ok(status.success())
}

/// Chooses `path` in the open file dialog titled `title`. Keys typed while GTK is still
/// setting the dialog up can be lost, so until the dialog closes the path is typed again into
/// the location field (Ctrl+L, select all), a few times at most.
pub async fn choose_in_file_dialog(title: &str, path: &Path) -> anyhow::Result<()> {
    let window = wait_for_window(title).await?;
    let path = path.display().to_string();
    for attempt in 0..ATTEMPTS {
        xdotool(&["windowfocus", "--sync", &window]).await?;
        if attempt > 0 {
            xdotool(&["key", "--clearmodifiers", "ctrl+l", "ctrl+a"]).await?;
        }
        // typing a path that starts with "/" opens GTK's location field with it
        xdotool(&["type", "--delay", "10", &path]).await?;
        xdotool(&["key", "Return"]).await?;
        let deadline = tokio::time::Instant::now() + ATTEMPT_WAIT;
        while tokio::time::Instant::now() < deadline {
            if !window_shown(title).await? {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    bail!("the file dialog did not take {path}")
}
