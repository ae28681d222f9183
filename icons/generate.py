#!/usr/bin/env python3
"""Draws Switchboard's app and tray icons as PNGs (standard library only).

The app icon is a speech bubble on a rounded square; each tray icon is the same bubble tinted
by the operator's status. Run `python3 icons/generate.py` after changing a colour or a shape;
the PNGs are committed. The Windows and macOS icons (icon.ico, icon.icns) are made from
icon.png by the Tauri CLI: `ui/node_modules/.bin/tauri icon icons/icon.png -o <scratch dir>`,
then copy those two files here.
"""
import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUPERSAMPLE = 4

BLUE = (37, 99, 235)
WHITE = (255, 255, 255)
STATUS_COLOURS = {
    "online": (22, 163, 74),
    "away": (217, 119, 6),
    "offline": (113, 113, 122),
}


def rounded_rect(x, y, x0, y0, x1, y1, r):
    """True when (x, y) lies inside the rounded rectangle."""
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and x0 <= x <= x1 and y0 <= y <= y1


def bubble(x, y):
    """A speech bubble in unit coordinates (0..1): a rounded body and a tail at bottom left."""
    if rounded_rect(x, y, 0.16, 0.2, 0.84, 0.68, 0.14):
        return True
    # tail: triangle (0.3, 0.64) (0.46, 0.64) (0.26, 0.84)
    ax, ay, bx, by, cx, cy = 0.28, 0.62, 0.48, 0.62, 0.24, 0.84
    d = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy)
    l1 = ((by - cy) * (x - cx) + (cx - bx) * (y - cy)) / d
    l2 = ((cy - ay) * (x - cx) + (ax - cx) * (y - cy)) / d
    return l1 >= 0 and l2 >= 0 and 1 - l1 - l2 >= 0


def dots(x, y):
    """Three dots inside the bubble."""
    return any((x - cx) ** 2 + (y - 0.44) ** 2 <= 0.05 ** 2 for cx in (0.34, 0.5, 0.66))


def app_pixel(x, y):
    if dots(x, y):
        return BLUE + (255,)
    if bubble(x, y):
        return WHITE + (255,)
    if rounded_rect(x, y, 0.04, 0.04, 0.96, 0.96, 0.2):
        return BLUE + (255,)
    return None


def tray_pixel(colour):
    def pixel(x, y):
        # scale the bubble up to fill the small tray area
        sx, sy = (x - 0.5) * 0.8 + 0.5, (y - 0.5) * 0.8 + 0.46
        if bubble(sx, sy):
            return WHITE + (255,) if dots(sx, sy) else colour + (255,)
        return None

    return pixel


def render(size, pixel):
    rows = []
    n = SUPERSAMPLE
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(n):
                for sx in range(n):
                    c = pixel((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)
                    if c:
                        acc[0] += c[0] * c[3]
                        acc[1] += c[1] * c[3]
                        acc[2] += c[2] * c[3]
                        acc[3] += c[3]
            a = acc[3]
            if a:
                row += bytes([round(acc[0] / a), round(acc[1] / a), round(acc[2] / a), round(a / (n * n))])
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width, height, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
        (HERE / name).write_bytes(render(size, app_pixel))
    for status, colour in STATUS_COLOURS.items():
        (HERE / f"tray-{status}.png").write_bytes(render(64, tray_pixel(colour)))


if __name__ == "__main__":
    main()
