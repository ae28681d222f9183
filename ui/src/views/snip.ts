// The screenshot waiting in the composer: a preview on which the operator draws arrows, boxes,
// highlights and redactions (burnt in by the core when sent), then sends or discards it.

import type { Mark } from "../bindings/Mark";
import type { MarkKind } from "../bindings/MarkKind";
import type { SnipPreview } from "../bindings/SnipPreview";
import { el } from "../format";

/** What the screenshot panel asks of the app. */
export interface SnipActions {
  sendSnip(marks: Mark[]): void;
  discardSnip(): void;
}

const TOOLS: [MarkKind, string][] = [
  ["arrow", "Arrow"],
  ["box", "Box"],
  ["highlight", "Highlight"],
  ["redact", "Redact"],
];

/** Paints one mark on a 2D context in image pixels (the core draws the same when sending). */
export function paintMark(context: CanvasRenderingContext2D, mark: Mark): void {
  const left = Math.min(mark.x0, mark.x1);
  const top = Math.min(mark.y0, mark.y1);
  const width = Math.abs(mark.x1 - mark.x0) + 1;
  const height = Math.abs(mark.y1 - mark.y0) + 1;
  context.save();
  switch (mark.kind) {
    case "redact":
      context.fillStyle = "#000";
      context.fillRect(left, top, width, height);
      break;
    case "highlight":
      context.fillStyle = "rgb(255 230 0 / 0.4)";
      context.fillRect(left, top, width, height);
      break;
    case "box":
      context.strokeStyle = "#dc2626";
      context.lineWidth = 3;
      context.strokeRect(left + 1.5, top + 1.5, width - 3, height - 3);
      break;
    case "arrow": {
      context.strokeStyle = "#dc2626";
      context.lineWidth = 3;
      const angle = Math.atan2(mark.y1 - mark.y0, mark.x1 - mark.x0);
      context.beginPath();
      context.moveTo(mark.x0, mark.y0);
      context.lineTo(mark.x1, mark.y1);
      for (const side of [-0.5, 0.5]) {
        context.moveTo(mark.x1, mark.y1);
        context.lineTo(mark.x1 + 14 * Math.cos(angle + Math.PI + side), mark.y1 + 14 * Math.sin(angle + Math.PI + side));
      }
      context.stroke();
      break;
    }
  }
  context.restore();
}

/** The screenshot panel above the composer. */
export class SnipPanel {
  readonly root = el("div", "snip-panel", undefined, "snip-panel");
  private canvas = el("canvas", "snip-canvas", undefined, "snip-preview");
  private image = new Image();
  private marks: Mark[] = [];
  private tool: MarkKind = "box";
  private drag: { x: number; y: number } | null = null;
  private shown: SnipPreview | null = null;
  private toolButtons = new Map<MarkKind, HTMLButtonElement>();

  constructor(private actions: SnipActions) {
    this.root.hidden = true;
    const tools = el("div", "snip-tools");
    for (const [kind, label] of TOOLS) {
      const button = el("button", undefined, label, `snip-tool-${kind}`);
      button.addEventListener("click", () => this.pick(kind));
      this.toolButtons.set(kind, button);
      tools.append(button);
    }
    const undo = el("button", undefined, "Undo", "snip-undo");
    undo.addEventListener("click", () => {
      this.marks.pop();
      this.paint(null);
    });
    const discard = el("button", undefined, "Discard", "snip-discard");
    discard.addEventListener("click", () => this.actions.discardSnip());
    const send = el("button", "primary", "Send screenshot", "snip-send");
    send.addEventListener("click", () => this.actions.sendSnip([...this.marks]));
    tools.append(undo, discard, send);
    this.canvas.addEventListener("mousedown", (event) => (this.drag = this.point(event)));
    this.canvas.addEventListener("mousemove", (event) => this.drag && this.paint(this.markTo(event)));
    this.canvas.addEventListener("mouseup", (event) => {
      if (!this.drag) return;
      this.marks.push(this.markTo(event));
      this.drag = null;
      this.paint(null);
    });
    this.image.addEventListener("load", () => this.paint(null));
    this.root.append(this.canvas, tools);
    this.pick("box");
  }

  update(preview: SnipPreview | null): void {
    if (preview === this.shown) return;
    this.shown = preview;
    this.root.hidden = preview === null;
    this.marks = [];
    if (preview) {
      this.canvas.width = preview.width;
      this.canvas.height = preview.height;
      this.image.src = preview.data_url;
    }
  }

  private pick(kind: MarkKind): void {
    this.tool = kind;
    for (const [other, button] of this.toolButtons) button.classList.toggle("active", other === kind);
  }

  /** A mouse position in image pixels. */
  private point(event: MouseEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    const scale = this.canvas.width / Math.max(box.width, 1);
    return { x: Math.round((event.clientX - box.left) * scale), y: Math.round((event.clientY - box.top) * scale) };
  }

  private markTo(event: MouseEvent): Mark {
    const start = this.drag ?? this.point(event);
    const end = this.point(event);
    return { kind: this.tool, x0: start.x, y0: start.y, x1: end.x, y1: end.y };
  }

  private paint(extra: Mark | null): void {
    const context = this.canvas.getContext("2d");
    if (!context) return;
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.image.complete) context.drawImage(this.image, 0, 0);
    for (const mark of extra ? [...this.marks, extra] : this.marks) paintMark(context, mark);
  }
}
