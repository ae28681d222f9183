//! The snipping tool end to end: a known pattern on the screen, the global shortcut pressed as
//! a real X key event, a rectangle dragged with the real mouse on the frozen overlay, and the
//! cropped screenshot that reaches the visitor holds exactly the selected pixels.

use std::path::Path;

use anyhow::{bail, Context};
use switchboard_tests::desktop::visitor::{ask_for_names, Visitor};
use switchboard_tests::desktop::x11::wait_for_window;
use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::files::{Credentials, FileApi};
use switchboard_tests::server::{artifacts_dir, TestServer};
use tokio::process::Command;

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "correct horse battery";
const RED: [u8; 3] = [255, 0, 0];
const BLUE: [u8; 3] = [0, 0, 255];
/// The selection, in screen pixels: left, top, right, bottom (outside the app's window).
const SELECTION: (u32, u32, u32, u32) = (20, 120, 100, 180);

/// The colour the checkerboard background has at a screen pixel: 8×8 squares tiled from the
/// origin, blue where the bitmap's bits are set (xsetroot's `-fg`).
fn pattern_at(x: u32, y: u32) -> [u8; 3] {
    if (x / 8 + y / 8).is_multiple_of(2) {
        BLUE
    } else {
        RED
    }
}

async fn run(program: &str, args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new(program)
        .args(args)
        .status()
        .await
        .with_context(|| format!("running {program}"))?;
    if !status.success() {
        bail!("{program} {args:?} failed: {status}");
    }
    Ok(())
}

/// Tiles the screen's background with a blue and red checkerboard (xsetroot).
async fn draw_checkerboard(dir: &Path) -> anyhow::Result<()> {
    let rows = (0..16)
        .map(|y| if y < 8 { "0xff, 0x00" } else { "0x00, 0xff" })
        .collect::<Vec<_>>()
        .join(", ");
    let xbm = format!(
        "#define checker_width 16\n#define checker_height 16\nstatic unsigned char checker_bits[] = {{\n   {rows}}};\n"
    );
    let path = dir.join("checker.xbm");
    std::fs::write(&path, xbm)?;
    let path = path.display().to_string();
    run(
        "xsetroot",
        &["-bitmap", &path, "-fg", "#0000ff", "-bg", "#ff0000"],
    )
    .await
}

#[tokio::test]
async fn the_global_shortcut_snips_the_selected_pixels_to_the_visitor() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    draw_checkerboard(dir.path()).await?;
    let server = TestServer::start().await?;
    ask_for_names(&server).await?;
    server.add_operator(EMAIL, "Ann Operator", PASSWORD).await?;
    let app = DesktopApp::start_logged_in(&server.base_url(), EMAIL, PASSWORD, "online").await?;
    let mut visitor = Visitor::connect(&server).await?;
    visitor.call("Vera Visitor").await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for("[data-testid=end-chat]").await?;

    // Ctrl+Shift+S as a real key event; the overlay shows the frozen screen.
    run("xdotool", &["key", "ctrl+shift+s"]).await?;
    wait_for_window("Switchboard snip ready").await?;
    let (left, top, right, bottom) = SELECTION;
    let (left_s, top_s, right_s, bottom_s) = (
        left.to_string(),
        top.to_string(),
        right.to_string(),
        bottom.to_string(),
    );
    let (mid_x, mid_y) = (
        ((left + right) / 2).to_string(),
        ((top + bottom) / 2).to_string(),
    );
    run(
        "xdotool",
        &[
            "mousemove",
            &left_s,
            &top_s,
            "mousedown",
            "1",
            "mousemove",
            &mid_x,
            &mid_y,
            "mousemove",
            &right_s,
            &bottom_s,
            "mouseup",
            "1",
        ],
    )
    .await?;

    // The crop waits in the composer; the operator sends it.
    app.wait_for("[data-testid=snip-panel]:not([hidden]) [data-testid=snip-preview]")
        .await?;
    app.click("[data-testid=snip-send]").await?;
    let file = visitor.shared_file().await?;
    assert!(file.name.ends_with(".png") && file.preview, "{file:?}");

    let api = FileApi::new(&server, Credentials::Visitor(visitor.token.clone()));
    let png = api
        .download(&file.id)
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    std::fs::write(artifacts_dir().join("desktop-snip-received.png"), &png)?;
    let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png)?.to_rgb8();
    assert_eq!(
        (image.width(), image.height()),
        (right - left, bottom - top),
        "the screenshot is the selected rectangle"
    );
    for (x, y, pixel) in image.enumerate_pixels() {
        assert_eq!(
            pixel.0,
            pattern_at(left + x, top + y),
            "pixel ({x}, {y}) of the screenshot"
        );
    }
    app.screenshot("desktop-snip-sent").await?;

    // Again, and Esc cancels: the overlay goes away and nothing waits in the composer.
    run("xdotool", &["key", "ctrl+shift+s"]).await?;
    let overlay = wait_for_window("Switchboard snip ready").await?;
    run("xdotool", &["windowfocus", "--sync", &overlay]).await?;
    run("xdotool", &["key", "Escape"]).await?;
    wait_until_hidden("Switchboard snip").await?;
    app.wait_until_gone("[data-testid=snip-panel]:not([hidden])")
        .await?;
    app.quit().await
}

/// Waits until no window titled `title` is on screen.
async fn wait_until_hidden(title: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let shown = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", title])
            .output()
            .await?
            .status
            .success();
        if !shown {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            bail!("the window {title:?} is still shown");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
