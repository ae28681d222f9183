//! Encode time of the snipping tool's PNG (fast compression) for a 1920×1080 picture of a real
//! screen: the README's widget screenshot scaled to full HD, or any PNG given as argument.
//!
//! ```text
//! cargo run --release -p switchboard-desktop --example snip_encode [PNG]
//! ```

use std::time::{Duration, Instant};

use image::imageops::{self, FilterType};

/// Encodes this many times and reports the median and the slowest.
const RUNS: usize = 11;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "docs/screenshots/widget-chat.png".to_owned());
    let screenshot = image::open(&path)?.to_rgba8();
    let frame = imageops::resize(&screenshot, 1920, 1080, FilterType::Triangle);
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut size = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let png = switchboard_desktop::snip::encode_png(&frame)?;
        times.push(started.elapsed());
        size = png.len();
    }
    times.sort();
    println!(
        "PNG fast encode of {path} at 1920x1080: median {:.1} ms, max {:.1} ms, {} KiB",
        times[RUNS / 2].as_secs_f64() * 1000.0,
        times[RUNS - 1].as_secs_f64() * 1000.0,
        size / 1024
    );
    Ok(())
}
