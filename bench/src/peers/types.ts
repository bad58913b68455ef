import type { Entity } from '../data.js'

/**
 * One library holding a collection of entities outside React: the shape `notify`, `write-cost`
 * and `memory` drive, so all three measure the same store each library would build.
 */
export interface CollectionStore {
  /** Calls `listener` when entity `id` changes, the way this library subscribes to one slice. */
  watch(id: string, listener: () => void): void
  /** One update of one entity (`count + 1`): one transaction, `set`, dispatch or mutation. */
  bump(id: string): void
}

export interface StoreContender {
  name: string
  baseline?: boolean
  create(entities: readonly Entity[]): CollectionStore
}
