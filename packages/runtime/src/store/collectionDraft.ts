import { type Draft, freeze } from 'immer'
import { AtomaError } from '../errors.js'
import type { Patch } from '../patch.js'
import type { Id } from '../query/types.js'
import type { Drafting } from '../txn/drafting.js'
import { immer } from '../txn/immer.js'
import type { EntityMap } from './entityMap.js'

/** What a collection recipe receives: a Map-like draft where only touched entities cost anything. */
export interface CollectionDraftApi<T> {
  readonly size: number
  /** Whether the entity exists in the draft. */
  has(id: Id): boolean
  /** A mutable draft of the entity (changes become patches `[id, ...field]`). */
  get(id: Id): Draft<T> | undefined
  /** Creates or replaces the entity. */
  set(id: Id, value: T): this
  /** Removes the entity; `false` when it was absent. */
  delete(id: Id): boolean
  /** Removes every entity. */
  clear(): void
  /** The ids, in order. */
  keys(): IterableIterator<Id>
  /** Drafts of every entity, in order: touching all of them costs O(n), as asked. */
  values(): IterableIterator<Draft<T>>
  /** `[id, draft]` pairs of every entity, in order (touches all of them, as `values`). */
  entries(): IterableIterator<[Id, Draft<T>]>
  /** Calls `callback` with the draft of every entity, in order. */
  forEach(callback: (value: Draft<T>, id: Id) => void): void
  /** As `entries`. */
  [Symbol.iterator](): IterableIterator<[Id, Draft<T>]>
}

export interface CollectionChange<T> {
  state: EntityMap<T>
  patches: Patch[]
  inversePatches: Patch[]
  changedIds: Id[]
}

// Per touched id: the current value (a draft, a plain replacement, or deleted), and `base`, the
// base entity when the draft was made from it: then immer's own patches describe it field by
// field, and finishing needs no second lookup in a large map.
interface Touch<T> {
  current: T | Draft<T> | undefined
  deleted: boolean
  isDraft: boolean
  base?: T
}

/**
 * A transaction over one collection. Entities are drafted lazily, one by one, so a write to one
 * entity costs the same in a collection of 100 or 100,000: no copy of the whole map is ever made.
 */
export class CollectionDraft<T> implements CollectionDraftApi<T> {
  private readonly touched = new Map<Id, Touch<T>>()
  private sizeDelta = 0

  constructor(private readonly base: EntityMap<T>) {}

  get size(): number {
    return this.base.size + this.sizeDelta
  }

  has(id: Id): boolean {
    const touch = this.touched.get(id)
    return touch ? !touch.deleted : this.base.has(id)
  }

  get(id: Id): Draft<T> | undefined {
    const touch = this.touched.get(id)
    if (touch) {
      if (touch.deleted) return undefined
      if (!touch.isDraft) {
        touch.current = immer.createDraft(touch.current as T & object) as Draft<T>
        touch.isDraft = true
      }
      return touch.current as Draft<T>
    }
    const value = this.base.get(id)
    if (value === undefined) return undefined
    const draft = immer.createDraft(value as T & object) as Draft<T>
    this.touched.set(id, { current: draft, deleted: false, isDraft: true, base: value })
    return draft
  }

  set(id: Id, value: T): this {
    if (!this.has(id)) this.sizeDelta++
    this.touched.set(id, { current: value, deleted: false, isDraft: false })
    return this
  }

  delete(id: Id): boolean {
    if (!this.has(id)) return false
    this.sizeDelta--
    this.touched.set(id, { current: undefined, deleted: true, isDraft: false })
    return true
  }

  clear(): void {
    for (const id of [...this.keys()]) this.delete(id)
  }

  *keys(): IterableIterator<Id> {
    for (const id of this.base.keys()) if (this.has(id)) yield id
    for (const [id, touch] of this.touched) if (!touch.deleted && !this.base.has(id)) yield id
  }

  *values(): IterableIterator<Draft<T>> {
    for (const id of this.keys()) yield this.get(id) as Draft<T>
  }

  *entries(): IterableIterator<[Id, Draft<T>]> {
    for (const id of this.keys()) yield [id, this.get(id) as Draft<T>]
  }

  forEach(callback: (value: Draft<T>, id: Id) => void): void {
    for (const [id, value] of this.entries()) callback(value, id)
  }

  [Symbol.iterator](): IterableIterator<[Id, Draft<T>]> {
    return this.entries()
  }

  /** Ends the transaction: the next state, its logical patches (when `withPatches`), and the ids that really changed. */
  finish(withPatches: boolean): CollectionChange<T> {
    const patches: Patch[] = []
    const inversePatches: Patch[] = []
    const changedIds: Id[] = []
    const finals: [Id, T | undefined][] = []

    for (const [id, touch] of this.touched) {
      const before = touch.base ?? this.base.get(id)
      const existed = before !== undefined || this.base.has(id)
      if (touch.deleted) {
        if (!existed) continue
        finals.push([id, undefined])
        changedIds.push(id)
        if (withPatches) {
          patches.push({ op: 'remove', path: [id] })
          inversePatches.push({ op: 'add', path: [id], value: before })
        }
        continue
      }
      let value: T
      if (touch.isDraft && touch.base !== undefined) {
        value = (
          withPatches
            ? immer.finishDraft(touch.current as Draft<T>, (forward, inverse) => {
                for (const p of forward) patches.push({ ...p, path: [id, ...p.path] })
                for (const p of inverse) inversePatches.push({ ...p, path: [id, ...p.path] })
              })
            : immer.finishDraft(touch.current as Draft<T>)
        ) as T
      } else {
        value = touch.isDraft
          ? (immer.finishDraft(touch.current as Draft<T>) as T)
          : freeze(touch.current as T, true)
        if (value === before) continue
        if (withPatches) {
          patches.push({ op: existed ? 'replace' : 'add', path: [id], value })
          inversePatches.push(
            existed ? { op: 'replace', path: [id], value: before } : { op: 'remove', path: [id] },
          )
        }
      }
      if (value === before) continue
      finals.push([id, value])
      changedIds.push(id)
    }

    const state =
      finals.length === 0
        ? this.base
        : this.base.withMutations((m) => {
            for (const [id, value] of finals) {
              if (value === undefined) m.delete(id)
              else m.set(id, value)
            }
          })
    return { state, patches, inversePatches, changedIds }
  }
}

/** How a collection's state is drafted: entity by entity, with logical patches `[id, ...field]`. */
export const collectionDrafting: Drafting<EntityMap<object>> = {
  produce(state, recipe, withPatches) {
    const draft = new CollectionDraft(state)
    ;(recipe as (draft: CollectionDraftApi<object>) => unknown)(draft)
    return draft.finish(withPatches)
  },
  patchRecipe: (store, patches) => (draft: CollectionDraftApi<object>) => {
    for (const patch of patches) {
      const [id, ...rest] = patch.path
      if (id === undefined) {
        // A whole-collection replace: the value is an iterable of [id, item] (an EntityMap, a Map).
        draft.clear()
        if (patch.op !== 'remove')
          for (const [key, item] of patch.value as Iterable<[Id, object]>) draft.set(key, item)
        continue
      }
      if (rest.length === 0) {
        if (patch.op === 'remove') draft.delete(id)
        else draft.set(id, patch.value as object)
        continue
      }
      const entity = draft.get(id)
      if (entity === undefined)
        throw new AtomaError(
          'NOT_FOUND',
          `store '${store}': patch [${patch.path.join(', ')}] targets missing entity '${id}'`,
          { store, id },
        )
      immer.applyPatches(entity, [{ ...patch, path: rest }])
    }
  },
}
