// Puts a list of nodes into an element with the least DOM work: nothing when the children are
// already those nodes, an append when only new ones follow, a full replace otherwise. Views that
// redraw on every event (a chat's messages, the chat tabs) reuse their nodes and call this, so a
// new message adds one node instead of rebuilding the list.

/** Makes `nodes` the children of `root`, in order. */
export function placeChildren(root: Element, nodes: readonly Element[]): void {
  const current = root.children;
  const kept = Math.min(current.length, nodes.length);
  let same = 0;
  while (same < kept && current[same] === nodes[same]) same += 1;
  if (same === current.length) {
    if (same < nodes.length) root.append(...nodes.slice(same));
    return;
  }
  root.replaceChildren(...nodes);
}
