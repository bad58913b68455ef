import { childrenOf, type Inspectable, isExpandable, jsonValue } from '../model/inspect.js'

/** Children loaded per page when a node is expanded, and per "show more". */
export const TREE_PAGE = 100

export type TreeRow =
  | {
      kind: 'node'
      id: string
      depth: number
      label: string
      node: Inspectable
      expandable: boolean
      expanded: boolean
      /** Row index of the parent, -1 for the root. */
      parent: number
    }
  | {
      kind: 'more'
      id: string
      depth: number
      parent: number
      parentId: string
      shown: number
      total: number
    }
  | { kind: 'omitted'; id: string; depth: number; parent: number; omitted: number }

/**
 * The visible rows of a tree: the root, and the loaded children of every expanded node (`expanded`
 * maps a node id to how many children are loaded). Only expanded nodes are enumerated, a page at a
 * time; a live value that is its own ancestor is shown as a cycle instead of being expanded.
 */
export function flattenTree(
  root: Inspectable,
  rootLabel: string,
  expanded: ReadonlyMap<string, number>,
): TreeRow[] {
  const rows: TreeRow[] = []
  const ancestors: unknown[] = []
  const labels: string[] = []

  const visit = (node: Inspectable, label: string, id: string, depth: number, parent: number): void => {
    const at = node.source === 'live' && typeof node.value === 'object' ? ancestors.indexOf(node.value) : -1
    if (at >= 0) {
      const path = labels.slice(1, at + 1)
      rows.push({
        kind: 'node',
        id,
        depth,
        label,
        node: jsonValue({ $type: 'Cycle', path }),
        expandable: false,
        expanded: false,
        parent,
      })
      return
    }
    const expandable = isExpandable(node)
    const loaded = expandable ? expanded.get(id) : undefined
    const index = rows.length
    rows.push({ kind: 'node', id, depth, label, node, expandable, expanded: loaded !== undefined, parent })
    if (loaded === undefined) return
    const page = childrenOf(node, 0, loaded)
    ancestors.push(node.source === 'live' ? node.value : undefined)
    labels.push(label)
    for (const [position, child] of page.children.entries())
      visit(child.node, child.key, `${id}/${position}`, depth + 1, index)
    ancestors.pop()
    labels.pop()
    if (page.total > loaded)
      rows.push({
        kind: 'more',
        id: `${id}/+`,
        depth: depth + 1,
        parent: index,
        parentId: id,
        shown: loaded,
        total: page.total,
      })
    if (page.omitted > 0)
      rows.push({ kind: 'omitted', id: `${id}/-`, depth: depth + 1, parent: index, omitted: page.omitted })
  }

  visit(root, rootLabel, 'root', 0, -1)
  return rows
}
