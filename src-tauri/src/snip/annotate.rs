//! Marks drawn onto a screenshot before it is sent: arrows, boxes, highlights, and redactions
//! that black out pixels for good (they are burnt into the image, not layered on top).

use image::{Rgba, RgbaImage};
use serde::Deserialize;
use ts_rs::TS;

/// What a mark does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    /// A red arrow from the start point to the end point.
    Arrow,
    /// A red rectangle outline.
    Box,
    /// A translucent yellow fill.
    Highlight,
    /// A solid black fill: the pixels under it are gone.
    Redact,
}

/// One mark, in image pixels; the two points are opposite corners (or the arrow's ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
pub struct Mark {
    /// What it does.
    pub kind: MarkKind,
    /// Start x.
    pub x0: i32,
    /// Start y.
    pub y0: i32,
    /// End x.
    pub x1: i32,
    /// End y.
    pub y1: i32,
}

const RED: Rgba<u8> = Rgba([220, 38, 38, 255]);
const BLACK: Rgba<u8> = Rgba([0, 0, 0, 255]);
const STROKE: i32 = 3;

/// Draws every mark onto `image`, in order.
pub fn draw(image: &mut RgbaImage, marks: &[Mark]) {
    for mark in marks {
        let (left, right) = (mark.x0.min(mark.x1), mark.x0.max(mark.x1));
        let (top, bottom) = (mark.y0.min(mark.y1), mark.y0.max(mark.y1));
        match mark.kind {
            MarkKind::Redact => fill(image, left, top, right, bottom, |_| BLACK),
            MarkKind::Highlight => fill(image, left, top, right, bottom, |p| {
                Rgba([blend(p[0], 255), blend(p[1], 230), blend(p[2], 0), p[3]])
            }),
            MarkKind::Box => {
                fill(image, left, top, right, top + STROKE - 1, |_| RED);
                fill(image, left, bottom - STROKE + 1, right, bottom, |_| RED);
                fill(image, left, top, left + STROKE - 1, bottom, |_| RED);
                fill(image, right - STROKE + 1, top, right, bottom, |_| RED);
            }
            MarkKind::Arrow => arrow(image, mark),
        }
    }
}

fn blend(under: u8, over: u8) -> u8 {
    ((under as u16 * 6 + over as u16 * 4) / 10) as u8
}

/// Applies `paint` to every pixel of the rectangle (inclusive), clipped to the image.
fn fill(
    image: &mut RgbaImage,
    left: i32,
    top: i32,
    right: i32,
    bottom: i32,
    paint: impl Fn(&Rgba<u8>) -> Rgba<u8>,
) {
    let (width, height) = (image.width() as i32, image.height() as i32);
    for y in top.max(0)..=bottom.min(height - 1) {
        for x in left.max(0)..=right.min(width - 1) {
            let pixel = image.get_pixel_mut(x as u32, y as u32);
            *pixel = paint(pixel);
        }
    }
}

fn line(image: &mut RgbaImage, (x0, y0): (f64, f64), (x1, y1): (f64, f64)) {
    let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as i32;
    for step in 0..=steps {
        let t = step as f64 / steps as f64;
        let (x, y) = ((x0 + (x1 - x0) * t) as i32, (y0 + (y1 - y0) * t) as i32);
        fill(image, x - 1, y - 1, x + 1, y + 1, |_| RED);
    }
}

fn arrow(image: &mut RgbaImage, mark: &Mark) {
    let (start, end) = (
        (mark.x0 as f64, mark.y0 as f64),
        (mark.x1 as f64, mark.y1 as f64),
    );
    line(image, start, end);
    let angle = (end.1 - start.1).atan2(end.0 - start.0);
    for side in [-0.5f64, 0.5] {
        let back = angle + std::f64::consts::PI + side;
        line(
            image,
            end,
            (end.0 + 14.0 * back.cos(), end.1 + 14.0 * back.sin()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn white(width: u32, height: u32) -> RgbaImage {
        RgbaImage::from_pixel(width, height, Rgba([255, 255, 255, 255]))
    }

    fn mark(kind: MarkKind, x0: i32, y0: i32, x1: i32, y1: i32) -> Mark {
        Mark {
            kind,
            x0,
            y0,
            x1,
            y1,
        }
    }

    #[test]
    fn redaction_blacks_out_exactly_its_rectangle_even_drawn_backwards() {
        let mut image = white(10, 10);
        draw(&mut image, &[mark(MarkKind::Redact, 6, 5, 2, 3)]);
        for (x, y, pixel) in image.enumerate_pixels() {
            let inside = (2..=6).contains(&x) && (3..=5).contains(&y);
            assert_eq!(*pixel == BLACK, inside, "({x}, {y})");
        }
    }

    #[test]
    fn marks_outside_the_image_are_clipped() {
        let mut image = white(4, 4);
        draw(&mut image, &[mark(MarkKind::Redact, -10, -10, 100, 1)]);
        assert_eq!(*image.get_pixel(3, 1), BLACK);
        assert_eq!(*image.get_pixel(3, 2), Rgba([255, 255, 255, 255]));
    }

    #[test]
    fn a_box_is_an_outline_and_a_highlight_keeps_what_is_under_it() {
        let mut image = white(20, 20);
        draw(
            &mut image,
            &[
                mark(MarkKind::Box, 0, 0, 19, 19),
                mark(MarkKind::Highlight, 8, 8, 10, 10),
            ],
        );
        assert_eq!(*image.get_pixel(0, 10), RED);
        assert_eq!(*image.get_pixel(5, 5), Rgba([255, 255, 255, 255]));
        // 60 % of the white under it, 40 % of the highlighter yellow (255, 230, 0)
        assert_eq!(*image.get_pixel(9, 9), Rgba([255, 245, 153, 255]));
    }

    #[test]
    fn an_arrow_reaches_its_end_point() {
        let mut image = white(50, 50);
        draw(&mut image, &[mark(MarkKind::Arrow, 5, 5, 40, 40)]);
        assert_eq!(*image.get_pixel(40, 40), RED);
        assert_eq!(*image.get_pixel(5, 5), RED);
        assert_eq!(*image.get_pixel(45, 5), Rgba([255, 255, 255, 255]));
    }
}
