import { atom, type PrimitiveAtom, useAtom } from 'jotai'
import type { ReactNode } from 'react'
import type { Entity } from '../../data.js'
import { ItemView, initialItems, mount, shownIds } from './view.js'

// jotai docs: a large collection as one atom per entity, kept by id (what `atomFamily` did before
// its deprecation, "Atoms in atom"), so setting one item notifies that item's component only.
const itemAtoms = new Map<string, PrimitiveAtom<Entity>>(initialItems.map((e) => [e.id, atom(e)]))

function Item({ id }: { id: string }): ReactNode {
  const [item, setItem] = useAtom(itemAtoms.get(id)!)
  return <ItemView item={item} onBump={() => setItem((e) => ({ ...e, count: e.count + 1 }))} />
}

mount(shownIds.map((id) => <Item key={id} id={id} />))
