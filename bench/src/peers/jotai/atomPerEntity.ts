import { atom, createStore, type PrimitiveAtom } from 'jotai/vanilla'
import type { Entity } from '../../data.js'
import type { StoreContender } from '../types.js'

/**
 * jotai's other documented design for a large collection: an atom per entity, kept in a Map by id
 * (what `atomFamily` does, now deprecated in favour of userland families), so updating one
 * entity touches one atom and notifies only its subscribers ("Atoms in atom", "Large objects").
 */
export const jotaiAtomPerEntity: StoreContender = {
  name: 'jotai (atom per entity)',
  create(entities) {
    const store = createStore()
    const atoms = new Map<string, PrimitiveAtom<Entity>>(entities.map((e) => [e.id, atom(e)]))
    return {
      watch(id, listener) {
        store.sub(atoms.get(id)!, listener)
      },
      bump(id) {
        store.set(atoms.get(id)!, (e) => ({ ...e, count: e.count + 1 }))
      },
    }
  },
}
