// A colleague's status dot (the operator's own dot in the top bar follows their own status).

import type { Status } from "../../../crates/protocol/bindings/Status";
import { el } from "../format";
import "./team.css";

/** A dot coloured by `status`. */
export function teamDot(status: Status): HTMLSpanElement {
  const dot = el("span", "team-dot");
  dot.dataset.status = status;
  return dot;
}
