/**
 * Which of the chat's operators lost their connection and are reconnecting (the server keeps
 * their chat for a grace period), and the note the widget shows meanwhile.
 */

/** Names of operators reconnecting now, in the order they dropped. */
export class Reconnecting {
  private readonly names = new Map<string, string>();

  /** An operator dropped (`connected: false`) or is back. */
  update(operatorId: string, name: string, connected: boolean): void {
    if (connected) {
      this.names.delete(operatorId);
    } else {
      this.names.set(operatorId, name);
    }
  }

  /** An operator left the chat (or the chat ended, with no id): nobody to wait for. */
  forget(operatorId: string | null): void {
    if (operatorId === null) {
      this.names.clear();
    } else {
      this.names.delete(operatorId);
    }
  }

  /** "Ann is reconnecting…", or `null` when everyone is connected. */
  notice(): string | null {
    const names = [...this.names.values()];
    if (names.length === 0) {
      return null;
    }
    return `${names.join(", ")} ${names.length === 1 ? "is" : "are"} reconnecting…`;
  }
}
