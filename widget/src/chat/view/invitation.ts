/**
 * The operator's invitation above the composer: who invites and what they wrote (as text), with
 * "No thanks" to dismiss it. Typing a reply in the composer answers it.
 */
import type { Invitation } from "../../protocol";

/** The invitation box of `chat.html` (`#sb-invitation`). */
export class InvitationView {
  private readonly author: HTMLElement;
  private readonly text: HTMLElement;

  /** Binds to the box in `doc`; `onDismiss` runs when the visitor declines. */
  constructor(
    private readonly box: HTMLElement,
    onDismiss: () => void,
  ) {
    this.author = box.querySelector<HTMLElement>(".sb-invitation-author")!;
    this.text = box.querySelector<HTMLElement>(".sb-invitation-text")!;
    box.querySelector("button")!.addEventListener("click", onDismiss);
  }

  /** Shows `invitation`, or hides the box. */
  render(invitation: Invitation | null): void {
    this.box.hidden = invitation === null;
    this.author.textContent = invitation?.operator.name ?? "";
    this.text.textContent = invitation?.text ?? "";
  }
}
