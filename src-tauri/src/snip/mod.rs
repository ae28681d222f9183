//! The snipping tool: capture every monitor (xcap), show a frozen full-screen overlay window per
//! monitor where the operator drags a rectangle (Esc cancels), crop it, and hand it to the
//! main window's composer for annotation and a preview before sending. A screenshot from the
//! clipboard takes the same road from the preview on. Capture and encoding run on blocking
//! threads.

pub mod annotate;

use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use base64::Engine;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ImageEncoder, RgbaImage};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};
use ts_rs::TS;

use crate::error::AppError;
use crate::locks::lock;

/// Labels of overlay windows start with this (see `capabilities/snip.json`).
pub const OVERLAY_PREFIX: &str = "snip-";
/// URI scheme serving the frozen frames to the overlays: `snip://localhost/<monitor>`.
pub const FRAME_SCHEME: &str = "snip";
/// Title of an overlay while it loads its frame.
pub const OVERLAY_TITLE: &str = "Switchboard snip";
/// An overlay shown again is told to load its new frame. Payload: the monitor index.
pub const SNIP_FRAME: &str = "snip://frame";
/// Title of an overlay once it shows its frame and takes the mouse.
pub const READY_TITLE: &str = "Switchboard snip ready";
/// The default global shortcut.
pub const DEFAULT_SHORTCUT: &str = "Ctrl+Shift+S";
/// The main window is told a screenshot waits in the composer. Payload: [`SnipPreview`].
pub const SNIP_CAPTURED: &str = "snip://captured";

/// A screenshot waiting in the composer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SnipPreview {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The image as a `data:image/png` URL.
    pub data_url: String,
}

struct Frame {
    x: i32,
    y: i32,
    image: RgbaImage,
}

/// The snipping tool's state: the frozen frames while overlays are open, and the screenshot
/// waiting to be sent.
#[derive(Default)]
pub struct Snipper {
    frames: Mutex<Vec<Arc<Frame>>>,
    pending: Mutex<Option<RgbaImage>>,
    started: Mutex<Option<Instant>>,
}

fn snip_error(error: impl std::fmt::Display) -> AppError {
    AppError::Snip(error.to_string())
}

/// Encodes with PNG's fast compression (never the slow default).
pub fn encode_png(image: &RgbaImage) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::with_capacity(image.as_raw().len() / 4);
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Sub)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .map_err(snip_error)?;
    Ok(out)
}

fn preview_of(image: &RgbaImage) -> Result<SnipPreview, AppError> {
    let started = Instant::now();
    let png = encode_png(image)?;
    tracing::info!(
        width = image.width(),
        height = image.height(),
        bytes = png.len(),
        ms = started.elapsed().as_millis() as u64,
        "snip: PNG encoded"
    );
    Ok(SnipPreview {
        width: image.width(),
        height: image.height(),
        data_url: format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ),
    })
}

fn capture_all() -> Result<Vec<Arc<Frame>>, AppError> {
    let started = Instant::now();
    let frames = xcap::Monitor::all()
        .map_err(snip_error)?
        .into_iter()
        .map(|monitor| {
            Ok(Arc::new(Frame {
                x: monitor.x().map_err(snip_error)?,
                y: monitor.y().map_err(snip_error)?,
                image: monitor.capture_image().map_err(snip_error)?,
            }))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    tracing::info!(
        monitors = frames.len(),
        ms = started.elapsed().as_millis() as u64,
        "snip: captured"
    );
    Ok(frames)
}

impl Snipper {
    /// Captures every monitor and opens the overlays (nothing happens while they are open).
    pub async fn start(&self, app: &AppHandle) -> Result<(), AppError> {
        if !lock(&self.frames).is_empty() {
            return Ok(());
        }
        *lock(&self.started) = Some(Instant::now());
        let frames = tauri::async_runtime::spawn_blocking(capture_all)
            .await
            .map_err(snip_error)??;
        *lock(&self.frames) = frames.clone();
        for (index, frame) in frames.iter().enumerate() {
            let label = format!("{OVERLAY_PREFIX}{index}");
            if let Some(window) = app.get_webview_window(&label) {
                // an overlay from an earlier snip: show it again with the new frame
                let position = tauri::PhysicalPosition::new(frame.x, frame.y);
                let size = tauri::PhysicalSize::new(frame.image.width(), frame.image.height());
                window.set_position(position).map_err(snip_error)?;
                window.set_size(size).map_err(snip_error)?;
                window
                    .emit_to(&label, SNIP_FRAME, index)
                    .map_err(snip_error)?;
                window.show().map_err(snip_error)?;
                window.set_focus().map_err(snip_error)?;
                continue;
            }
            let url = WebviewUrl::App(format!("snip.html?monitor={index}").into());
            WebviewWindowBuilder::new(app, label, url)
                .title(OVERLAY_TITLE)
                .decorations(false)
                .always_on_top(true)
                .skip_taskbar(true)
                .resizable(false)
                .position(frame.x as f64, frame.y as f64)
                .inner_size(frame.image.width() as f64, frame.image.height() as f64)
                .focused(true)
                .build()
                .and_then(|window| {
                    // the app's menu bar would push the frame down and off by its height
                    window.remove_menu().map(|_| ())
                })
                .map_err(snip_error)?;
        }
        Ok(())
    }

    /// An overlay shows its frame: logs the time from the shortcut to here.
    pub fn overlay_shown(&self, monitor: usize) {
        if let Some(started) = *lock(&self.started) {
            tracing::info!(
                monitor,
                ms = started.elapsed().as_millis() as u64,
                "snip: overlay visible"
            );
        }
    }

    /// The frozen frame of monitor `index`, as an uncompressed BMP (the overlay only shows it).
    pub fn frame_bmp(&self, index: usize) -> Option<Vec<u8>> {
        let frame = lock(&self.frames).get(index).cloned()?;
        let mut out = Cursor::new(Vec::with_capacity(frame.image.as_raw().len() + 256));
        image::DynamicImage::ImageRgba8(frame.image.clone())
            .to_rgb8()
            .write_to(&mut out, image::ImageFormat::Bmp)
            .ok()?;
        Some(out.into_inner())
    }

    /// Crops the selection (in the monitor's pixels), closes the overlays and shows the result
    /// in the main window's composer.
    pub async fn select(
        &self,
        app: &AppHandle,
        monitor: usize,
        (x, y, width, height): (u32, u32, u32, u32),
    ) -> Result<(), AppError> {
        let frame = lock(&self.frames)
            .get(monitor)
            .cloned()
            .ok_or_else(|| snip_error("no screenshot is being taken"))?;
        self.close_overlays(app);
        if width == 0 || height == 0 {
            return Ok(());
        }
        let cropped = tauri::async_runtime::spawn_blocking(move || {
            let x = x.min(frame.image.width() - 1);
            let y = y.min(frame.image.height() - 1);
            let width = width.min(frame.image.width() - x);
            let height = height.min(frame.image.height() - y);
            image::imageops::crop_imm(&frame.image, x, y, width, height).to_image()
        })
        .await
        .map_err(snip_error)?;
        self.offer(app, cropped).await
    }

    /// Closes the overlays without a screenshot.
    pub fn cancel(&self, app: &AppHandle) {
        self.close_overlays(app);
    }

    /// Hides the overlays (kept for the next snip: a new window costs far more than showing
    /// one again) and drops the frames.
    fn close_overlays(&self, app: &AppHandle) {
        lock(&self.frames).clear();
        for (label, window) in app.webview_windows() {
            if label.starts_with(OVERLAY_PREFIX) {
                let _ = window.hide();
                let _ = window.set_title(OVERLAY_TITLE);
            }
        }
    }

    /// Keeps `image` as the screenshot waiting to be sent and shows it in the main window.
    pub async fn offer(&self, app: &AppHandle, image: RgbaImage) -> Result<(), AppError> {
        let preview = {
            let image = image.clone();
            tauri::async_runtime::spawn_blocking(move || preview_of(&image))
                .await
                .map_err(snip_error)??
        };
        *lock(&self.pending) = Some(image);
        crate::window::show_main(app);
        app.emit_to(crate::window::MAIN, SNIP_CAPTURED, preview)
            .map_err(snip_error)
    }

    /// The screenshot waiting to be sent, with `marks` burnt in, as PNG bytes.
    pub async fn take(&self, marks: Vec<annotate::Mark>) -> Result<Vec<u8>, AppError> {
        let mut image = lock(&self.pending)
            .take()
            .ok_or_else(|| snip_error("there is no screenshot to send"))?;
        tauri::async_runtime::spawn_blocking(move || {
            let started = Instant::now();
            annotate::draw(&mut image, &marks);
            let png = encode_png(&image);
            tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                "snip: annotated and encoded"
            );
            png
        })
        .await
        .map_err(snip_error)?
    }

    /// Drops the screenshot waiting to be sent.
    pub fn discard(&self) {
        lock(&self.pending).take();
    }
}
