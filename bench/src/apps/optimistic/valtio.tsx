import type { ReactNode } from 'react'
import { proxy, useSnapshot } from 'valtio'
import { byId } from '../../data.js'
import { ItemView, initialItems, mount, shownIds } from './view.js'

// valtio docs: one mutable proxy, changed by assignment; each item reads a snapshot of its own
// nested proxy (`useSnapshot(state.items[id])`), so it re-renders only when that item changes.
const state = proxy({ items: byId(initialItems) })

function Item({ id }: { id: string }): ReactNode {
  const item = useSnapshot(state.items[id]!)
  return (
    <ItemView
      item={item}
      onBump={() => {
        state.items[id]!.count++
      }}
    />
  )
}

mount(shownIds.map((id) => <Item key={id} id={id} />))
