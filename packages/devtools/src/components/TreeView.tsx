import { type KeyboardEvent, useId, useMemo, useState } from 'react'
import { type Inspectable, previewOf } from '../model/inspect.js'
import { flattenTree, TREE_PAGE, type TreeRow } from './flattenTree.js'
import { nextIndex } from './listKeys.js'
import { ValueText } from './ValueText.js'
import { VirtualList } from './VirtualList.js'

export interface TreeViewProps {
  root: Inspectable
  rootLabel: string
  /** The accessible name. */
  label: string
  /** Expand the root at first (the usual case for a store's state). */
  openRoot?: boolean
  fallbackHeight?: number
}

const ROW = 20

/**
 * A lazily expanded, windowed tree (ARIA tree): a node's children are enumerated only when it is
 * expanded, a hundred at a time ("show more"), and each visible row serializes one bounded
 * preview of its value. Keys: arrows move, Right expands / enters, Left collapses / goes to the
 * parent, Enter toggles or loads more.
 */
export function TreeView({ root, rootLabel, label, openRoot = true, fallbackHeight }: TreeViewProps) {
  const id = useId()
  const [expanded, setExpanded] = useState<ReadonlyMap<string, number>>(
    () => new Map(openRoot ? [['root', TREE_PAGE]] : []),
  )
  const [active, setActive] = useState(0)
  const rows = useMemo(() => flattenTree(root, rootLabel, expanded), [root, rootLabel, expanded])
  const current = Math.min(active, rows.length - 1)

  const update = (change: (next: Map<string, number>) => void) =>
    setExpanded((previous) => {
      const next = new Map(previous)
      change(next)
      return next
    })
  const toggle = (row: TreeRow) => {
    if (row.kind === 'more') update((next) => next.set(row.parentId, row.shown + TREE_PAGE))
    else if (row.kind === 'node' && row.expandable)
      update((next) => (row.expanded ? next.delete(row.id) : next.set(row.id, TREE_PAGE)))
  }

  const onKeyDown = (event: KeyboardEvent) => {
    const row = rows[current]
    if (!row) return
    const moved = nextIndex(event, current, rows.length)
    if (moved !== null) setActive(moved)
    else if (event.key === 'ArrowRight' && row.kind === 'node' && row.expandable) {
      if (row.expanded) setActive(current + 1)
      else toggle(row)
    } else if (event.key === 'ArrowLeft') {
      if (row.kind === 'node' && row.expanded) toggle(row)
      else if (row.parent >= 0) setActive(row.parent)
    } else if (event.key === 'Enter' || event.key === ' ') toggle(row)
    else return
    event.preventDefault()
  }

  return (
    <VirtualList
      className="atoma-listbox"
      role="tree"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={`${id}-${current}`}
      count={rows.length}
      rowHeight={ROW}
      activeIndex={current}
      fallbackHeight={fallbackHeight}
      onKeyDown={onKeyDown}
      renderRow={(index, style) => {
        const row = rows[index] as TreeRow
        return (
          // biome-ignore lint/a11y/useFocusableInteractive: the tree keeps focus and points at its item (aria-activedescendant)
          // biome-ignore lint/a11y/useKeyWithClickEvents: the tree handles the keys for its items
          <div
            key={row.id}
            id={`${id}-${index}`}
            role="treeitem"
            aria-level={row.depth + 1}
            aria-selected={index === current}
            aria-expanded={row.kind === 'node' && row.expandable ? row.expanded : undefined}
            className="atoma-row atoma-mono"
            style={{ ...style, paddingLeft: 8 + row.depth * 14 }}
            onClick={() => {
              setActive(index)
              toggle(row)
            }}
          >
            <TreeRowContent row={row} />
          </div>
        )
      }}
    />
  )
}

function TreeRowContent({ row }: { row: TreeRow }) {
  if (row.kind === 'more')
    return (
      <span className="atoma-link">
        Show {Math.min(TREE_PAGE, row.total - row.shown)} more ({row.shown} of {row.total})
      </span>
    )
  if (row.kind === 'omitted') return <span className="atoma-muted">… {row.omitted} more not recorded</span>
  return (
    <>
      <span className="atoma-tree-toggle" aria-hidden="true">
        {row.expandable ? (row.expanded ? '▾' : '▸') : ''}
      </span>
      <span className="atoma-key">{row.label}:</span>
      <span className="atoma-cell atoma-grow">
        <ValueText value={previewOf(row.node)} max={160} />
      </span>
    </>
  )
}
