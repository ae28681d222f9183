// A snipping overlay: shows its monitor's frozen frame full screen; the operator drags a
// rectangle (reported in the monitor's pixels) or presses Esc to cancel. Once the frame shows,
// the core is told (and marks the window ready).

import "./snip.css";

import * as platform from "./platform";

const monitor = Number(new URLSearchParams(location.search).get("monitor") ?? "0");
const frame = document.getElementById("snip-frame") as HTMLImageElement;
const selection = document.getElementById("snip-selection") as HTMLDivElement;
let start: { x: number; y: number } | null = null;

const report = (error: unknown) => console.error("switchboard snip:", error);

/** The rectangle between two points, in CSS pixels. */
export function rectangle(a: { x: number; y: number }, b: { x: number; y: number }) {
  return { left: Math.min(a.x, b.x), top: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

function show(rect: ReturnType<typeof rectangle>): void {
  selection.hidden = false;
  Object.assign(selection.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
}

document.addEventListener("mousedown", (event) => {
  start = { x: event.clientX, y: event.clientY };
  show(rectangle(start, start));
});
document.addEventListener("mousemove", (event) => {
  if (start) show(rectangle(start, { x: event.clientX, y: event.clientY }));
});
document.addEventListener("mouseup", (event) => {
  if (!start) return;
  const rect = rectangle(start, { x: event.clientX, y: event.clientY });
  start = null;
  // CSS pixels → the frame's pixels
  const scaleX = frame.naturalWidth / Math.max(frame.clientWidth, 1);
  const scaleY = frame.naturalHeight / Math.max(frame.clientHeight, 1);
  platform
    .snipSelect(monitor, Math.round(rect.left * scaleX), Math.round(rect.top * scaleY), Math.round(rect.width * scaleX), Math.round(rect.height * scaleY))
    .catch(report);
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") platform.snipCancel().catch(report);
});
let shown = 0;
/** Loads the current frame (the URL changes so the webview does not reuse the last one). */
function loadFrame(): void {
  shown += 1;
  selection.hidden = true;
  start = null;
  frame.src = `${platform.snipFrameUrl(monitor)}?shot=${shown}`;
}

frame.addEventListener("load", () => {
  platform.snipShown(monitor).catch(report);
});
platform.onSnipFrame(loadFrame).catch(report);
loadFrame();
