//! The window's native File menu, used like a person would: real X key events (Alt+F opens
//! File, Right opens My Status, Down moves to the status, Enter picks it).

use std::time::Duration;

use anyhow::{bail, Context};
use fantoccini::Locator;

use super::x11::{wait_for_window, xdotool};
use super::DesktopApp;

/// The statuses in the order the My Status submenu lists them.
const STATUSES: [&str; 3] = ["online", "away", "offline"];
/// Times the keys are pressed before giving up (keys pressed while GTK is busy can be lost).
const ATTEMPTS: u32 = 3;
/// How long the app may take to show the new status after Enter.
const ATTEMPT_WAIT: Duration = Duration::from_secs(5);

/// Picks File ▸ My Status ▸ `status` in the window titled `title`, and waits until the app
/// shows that status (the server agreed).
pub async fn choose_status_in_file_menu(
    app: &DesktopApp,
    title: &str,
    status: &str,
) -> anyhow::Result<()> {
    let position = STATUSES
        .iter()
        .position(|s| *s == status)
        .with_context(|| format!("{status} is not in the My Status menu"))?;
    let window = wait_for_window(&format!("^{title}$")).await?;
    let shown = format!("[data-testid=main-screen][data-status={status}]");
    for attempt in 0..ATTEMPTS {
        xdotool(&["windowfocus", "--sync", &window]).await?;
        if attempt > 0 {
            xdotool(&["key", "Escape", "Escape", "Escape"]).await?;
        }
        let mut keys = vec!["key", "--clearmodifiers", "alt+f", "Right"];
        keys.extend(std::iter::repeat_n("Down", position));
        keys.push("Return");
        xdotool(&keys).await?;
        let deadline = tokio::time::Instant::now() + ATTEMPT_WAIT;
        while tokio::time::Instant::now() < deadline {
            if app.client().find(Locator::Css(&shown)).await.is_ok() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    bail!("File ▸ My Status ▸ {status} did not take")
}
