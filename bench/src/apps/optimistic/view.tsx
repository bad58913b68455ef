import type { ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { type Entity, makeEntities } from '../../data.js'

// The page's query string sets the collection's size and how many of its items are shown, so
// the same build serves every case: `?size=10000&show=100`.
const params = new URLSearchParams(location.search)
/** The collection every app starts from: the same entities for everyone. */
export const initialItems: Entity[] = makeEntities(Number(params.get('size') ?? 10_000))
/** The ids of the items shown; they never change, so the list itself never re-renders. */
export const shownIds: string[] = initialItems.slice(0, Number(params.get('show') ?? 10_000)).map((e) => e.id)

export function ItemView({ item, onBump }: { item: Entity; onBump: () => void }): ReactNode {
  return (
    <li>
      <span id={`c-${item.id}`}>{item.count}</span> {item.label}{' '}
      <button type="button" id={`b-${item.id}`} onClick={onBump}>
        +1
      </button>
    </li>
  )
}

export function mount(app: ReactNode): void {
  createRoot(document.getElementById('main')!).render(<ul>{app}</ul>)
}
