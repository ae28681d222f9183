/**
 * Puts the widget on a `chat.html` document: the widget (state and protocol) and its UI, wired
 * to each other. `main.ts` calls it with the browser's pieces; tests call it with fakes.
 */
import { ChatUi } from "./view/ui";
import { Widget, type WidgetEnvironment } from "./widget";

/** The environment minus `render`, which `mountChat` supplies. */
export type MountEnvironment = Omit<WidgetEnvironment, "render">;

/** Creates the widget and its UI on `doc`. */
export function mountChat(doc: Document, env: MountEnvironment): Widget {
  let ui: ChatUi | null = null;
  const widget = new Widget({ ...env, render: (model) => ui?.render(model) });
  ui = new ChatUi(doc, widget);
  widget.refresh();
  return widget;
}
