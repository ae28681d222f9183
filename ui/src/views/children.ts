// Puts a list of nodes into an element with the least DOM work: nothing when the children are
// already those nodes; when they differ, the children that drop out between a common start and
// the rest are removed and only new nodes are appended, as long as the order is kept; a full
// replace otherwise. Views that redraw on every event (a chat's messages, the chat tabs) reuse
// their nodes and call this, so a new message adds one node (and, in a long chat, takes the
// oldest drawn one away) instead of rebuilding the list.

/** Makes `nodes` the children of `root`, in order. */
export function placeChildren(root: Element, nodes: readonly Element[]): void {
  const current = Array.from(root.children);
  let same = 0;
  while (same < current.length && same < nodes.length && current[same] === nodes[same]) same += 1;
  // where the rest of `nodes` starts among the current children
  const resumeAt = same < nodes.length ? current.indexOf(nodes[same], same) : current.length;
  if (resumeAt < 0) return root.replaceChildren(...nodes);
  const kept = current.length - resumeAt;
  for (let n = 0; n < kept; n += 1) {
    if (current[resumeAt + n] !== nodes[same + n]) return root.replaceChildren(...nodes);
  }
  for (const dropped of current.slice(same, resumeAt)) dropped.remove();
  root.append(...nodes.slice(same + kept));
}
