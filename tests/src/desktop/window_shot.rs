//! Screenshots of the app's main window as the X server shows it, menu bar included: the
//! screen (xcap) cut to the window's place (xdotool). WebDriver's own screenshot sometimes
//! never answers when WebKitGTK draws without accelerated compositing, as the app has it.

use anyhow::{bail, Context};

use super::processes::process_group;
use super::x11::xdotool;

/// Title of the app's main window.
const MAIN_WINDOW_TITLE: &str = "^Switchboard$";

/// Where a window is on the screen, in pixels.
#[derive(Debug, Clone, Copy)]
struct Placement {
    x: i32,
    y: i32,
    width: u32,
    height: u32,
}

/// Captures the main window of the app in process group `group` and returns it as PNG bytes.
pub async fn main_window_png(group: u32) -> anyhow::Result<Vec<u8>> {
    let placement = main_window_placement(group).await?;
    tokio::task::spawn_blocking(move || capture(placement)).await?
}

async fn main_window_placement(group: u32) -> anyhow::Result<Placement> {
    let found = xdotool(&["search", "--onlyvisible", "--name", MAIN_WINDOW_TITLE]).await?;
    for id in found.lines() {
        let pid = xdotool(&["getwindowpid", id]).await?.trim().parse().ok();
        if pid.and_then(process_group) == Some(group) {
            return parse_geometry(&xdotool(&["getwindowgeometry", "--shell", id]).await?);
        }
    }
    bail!("no visible main window belongs to process group {group}")
}

/// Reads `X=…`, `Y=…`, `WIDTH=…`, `HEIGHT=…` lines as `xdotool getwindowgeometry --shell` prints them.
fn parse_geometry(shell: &str) -> anyhow::Result<Placement> {
    let value = |key: &str| {
        shell
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
            .with_context(|| format!("xdotool printed no {key}: {shell}"))
    };
    Ok(Placement {
        x: value("X")?.parse()?,
        y: value("Y")?.parse()?,
        width: value("WIDTH")?.parse()?,
        height: value("HEIGHT")?.parse()?,
    })
}

fn capture(placement: Placement) -> anyhow::Result<Vec<u8>> {
    let monitor = xcap::Monitor::from_point(placement.x, placement.y)
        .context("finding the screen the window is on")?;
    let screen = monitor.capture_image().context("capturing the screen")?;
    let left = u32::try_from(placement.x - monitor.x()?).unwrap_or(0);
    let top = u32::try_from(placement.y - monitor.y()?).unwrap_or(0);
    let width = placement.width.min(screen.width().saturating_sub(left));
    let height = placement.height.min(screen.height().saturating_sub(top));
    let window = image::imageops::crop_imm(&screen, left, top, width, height).to_image();
    let mut png = std::io::Cursor::new(Vec::new());
    window.write_to(&mut png, image::ImageFormat::Png)?;
    Ok(png.into_inner())
}
