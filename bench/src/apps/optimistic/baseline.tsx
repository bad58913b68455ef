import { type ReactNode, useSyncExternalStore } from 'react'
import { byId, type Entity } from '../../data.js'
import { ItemView, initialItems, mount, shownIds } from './view.js'

// The floor: a mutable variable, a Set of listeners and `useSyncExternalStore` (react.dev,
// "Subscribing to an external store"); an update replaces one entity and notifies everyone,
// and each item's snapshot is its own entity.
const items: Record<string, Entity> = byId(initialItems)
const listeners = new Set<() => void>()
const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
const bump = (id: string) => {
  items[id] = { ...items[id]!, count: items[id]!.count + 1 }
  for (const listener of listeners) listener()
}

function Item({ id }: { id: string }): ReactNode {
  const item = useSyncExternalStore(subscribe, () => items[id]!)
  return <ItemView item={item} onBump={() => bump(id)} />
}

mount(shownIds.map((id) => <Item key={id} id={id} />))
