import type { Patch } from '../patch.js'
import type { Id } from '../query/types.js'
import { immer } from './immer.js'

/** What one recipe did to a store: the next state and, when asked for, its patches. */
export interface Change<S = unknown> {
  state: S
  patches: readonly Patch[]
  inversePatches: readonly Patch[]
  changedIds: readonly Id[] | undefined
}

/**
 * How a store's state is drafted. The transactor knows no layout: a plain store drafts with immer
 * (here); a collection brings its own (`collectionDrafting`), so a runtime without collections
 * never loads the collection code.
 */
export interface Drafting<S = unknown> {
  /** Runs `recipe` on a draft of `state`; computes patches only when `withPatches` is set. */
  produce(state: S, recipe: (draft: never) => unknown, withPatches: boolean): Change<S>
  /** The recipe that applies logical patches (for collections: `[id, ...field]`). */
  patchRecipe(store: string, patches: readonly Patch[]): (draft: never) => unknown
}

const NONE: readonly Patch[] = Object.freeze([])

export const immerDrafting: Drafting = {
  produce(state, recipe, withPatches) {
    const run = recipe as (draft: unknown) => unknown
    if (!withPatches)
      return { state: immer.produce(state, run), patches: NONE, inversePatches: NONE, changedIds: undefined }
    const [next, patches, inversePatches] = immer.produceWithPatches(state, run)
    return { state: next, patches, inversePatches, changedIds: undefined }
  },
  // Returned, not dropped: a root replace (`path: []`) yields the new state instead of changing the draft.
  patchRecipe: (_store, patches) => (draft: object) => immer.applyPatches(draft, patches as Patch[]),
}
