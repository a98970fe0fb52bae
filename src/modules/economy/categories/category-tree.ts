/**
 * Pure tree walks over one organization's categories (loaded whole: an organization has tens, not thousands).
 * "Category incl. children" filters and the move/cycle checks are resolved here, in TypeScript.
 */
export interface TreeNode {
  _id: string;
  parentId: string | null;
  name: string;
}

/** Deepest allowed nesting: a root is level 1. */
export const MAX_CATEGORY_DEPTH = 4;

function childrenIndex<T extends TreeNode>(nodes: readonly T[]): Map<string | null, T[]> {
  const index = new Map<string | null, T[]>();
  for (const node of nodes) {
    const list = index.get(node.parentId) ?? [];
    list.push(node);
    index.set(node.parentId, list);
  }
  return index;
}

/** `id` and every category below it (breadth first). Unknown ids give just `[id]`. */
export function withDescendants(nodes: readonly TreeNode[], id: string): string[] {
  const index = childrenIndex(nodes);
  const out = [id];
  const seen = new Set(out);
  for (let i = 0; i < out.length; i++) {
    for (const child of index.get(out[i]) ?? []) {
      if (seen.has(child._id)) continue; // defensive: stored data with a cycle must not loop forever
      seen.add(child._id);
      out.push(child._id);
    }
  }
  return out;
}

/** `id` and its ancestors, nearest first. Stops at a cycle or a missing parent; empty for an unknown id. */
function ancestry(nodes: readonly TreeNode[], id: string): TreeNode[] {
  const byId = new Map(nodes.map((n) => [n._id, n]));
  const chain: TreeNode[] = [];
  const seen = new Set<string>();
  for (
    let node = byId.get(id);
    node && !seen.has(node._id);
    node = node.parentId ? byId.get(node.parentId) : undefined
  ) {
    seen.add(node._id);
    chain.push(node);
  }
  return chain;
}

/** Level of a category: 1 for a root. Stops at a cycle or a missing parent. */
export function depthOf(nodes: readonly TreeNode[], id: string): number {
  return ancestry(nodes, id).length;
}

/** Levels in the subtree under and including `id`: 1 for a leaf. */
export function subtreeHeight(nodes: readonly TreeNode[], id: string): number {
  const index = childrenIndex(nodes);
  const walk = (nodeId: string, seen: Set<string>): number => {
    if (seen.has(nodeId)) return 0;
    seen.add(nodeId);
    let deepest = 0;
    for (const child of index.get(nodeId) ?? []) deepest = Math.max(deepest, walk(child._id, seen));
    return 1 + deepest;
  };
  return walk(id, new Set());
}

/** `Boende / El`: the names from the root down. */
export function pathOf(nodes: readonly TreeNode[], id: string): string {
  return ancestry(nodes, id)
    .reverse()
    .map((n) => n.name)
    .join(' / ');
}

/** The root category above `id` (itself when it is a root). */
export function rootOf(nodes: readonly TreeNode[], id: string): string {
  return ancestry(nodes, id).at(-1)?._id ?? id;
}
