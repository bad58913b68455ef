import type { ReactNode } from 'react'
import { create } from 'zustand'
import { byId, type Entity } from '../../data.js'
import { ItemView, initialItems, mount, shownIds } from './view.js'

interface State {
  items: Record<string, Entity>
  bump(id: string): void
}

// zustand docs: a `create` hook store whose action sets the new state at once with an immutable
// copy ("Updating state"); each item selects only its entity (`useStore(selector)`).
const useItems = create<State>()((set) => ({
  items: byId(initialItems),
  bump: (id) =>
    set((s) => ({ items: { ...s.items, [id]: { ...s.items[id]!, count: s.items[id]!.count + 1 } } })),
}))

function Item({ id }: { id: string }): ReactNode {
  const item = useItems((s) => s.items[id]!)
  const bump = useItems((s) => s.bump)
  return <ItemView item={item} onBump={() => bump(id)} />
}

mount(shownIds.map((id) => <Item key={id} id={id} />))
