//! The desktop app's native file dialog, driven like a person would: real X key events with
//! xdotool (type the path, which GTK's dialog takes into its location field, and press Enter).

use std::path::Path;
use std::time::Duration;

use anyhow::bail;

use super::x11::{wait_for_window, window_shown, xdotool};

/// Times the path is typed before giving up.
const ATTEMPTS: u32 = 3;
/// How long the dialog may take to close after Enter.
const ATTEMPT_WAIT: Duration = Duration::from_secs(3);

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
