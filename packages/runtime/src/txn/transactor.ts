import type { Draft } from 'immer'
import type { EffectOp } from '../bus/effectOp.js'
import type { DebugSink } from '../debug/events.js'
import { AtomaError } from '../errors.js'
import { type Patch, unsafeSegment } from '../patch.js'
import type { Id } from '../query/types.js'
import type { CollectionDraftApi } from '../store/collectionDraft.js'
import type { StoreCell } from '../store/storeCell.js'
import type { Change } from './drafting.js'
import type { Notifier } from './notifier.js'
import type { TxnOrigin, TxnRecord } from './types.js'

/** An immer recipe for a plain store: mutate the draft, or return a whole new state. */
export type StoreRecipe<S> = (draft: Draft<S>) => void | S
/** A recipe for a collection: changes the entities through the draft. */
export type CollectionRecipe<T> = (draft: CollectionDraftApi<T>) => void

export interface TransactOptions {
  /** The patches to record instead of the derived ones (`write.patches`: the user's intent wins). */
  recordPatches?: readonly Patch[]
  /** The ids this transaction changes, when the caller knows them from its plan. */
  changedIds?: readonly Id[]
}

const NONE: readonly Patch[] = Object.freeze([])
const now = () => performance.now()

/**
 * Runs transactions: one recipe → one commit → one notification round (or one per batch).
 * The commit is the only place a store's state is swapped, history is recorded and
 * `state:update` is emitted.
 */
export class Transactor {
  private lastTxnId = 0

  constructor(
    private readonly notifier: Notifier,
    private readonly runOp: (<R>(op: EffectOp<R>) => R) | null,
    private readonly sink: (DebugSink & { updateState(store: string, state: unknown): void }) | null,
  ) {}

  transact<S>(
    cell: StoreCell<S>,
    recipe: (draft: never) => unknown,
    origin: TxnOrigin,
    options?: TransactOptions,
  ): TxnRecord {
    return this.run(cell as StoreCell, origin, options, () => this.runRecipe(cell as StoreCell, recipe))
  }

  /** A commit built from patches (logical for collections: `[id, ...field]`). */
  applyPatches<S>(
    cell: StoreCell<S>,
    patches: readonly Patch[],
    origin: TxnOrigin,
    options?: TransactOptions,
  ): TxnRecord {
    for (const patch of patches) {
      const segment = unsafeSegment(patch.path)
      if (segment !== undefined || !Array.isArray(patch.path))
        throw new AtomaError(
          'UNSAFE_PATCH',
          `store '${cell.name}': patch path [${String(patch.path)}] is refused` +
            (segment ? ` (it contains '${segment}', which could reach an object prototype)` : ''),
          { store: cell.name },
        )
      if (patch.op !== 'add' && patch.op !== 'remove' && patch.op !== 'replace')
        throw new AtomaError(
          'INVALID_ARGUMENT',
          `store '${cell.name}': unknown patch op '${String(patch.op)}'`,
          {
            store: cell.name,
          },
        )
    }
    return this.transact(cell, cell.drafting.patchRecipe(cell.name, patches), origin, options)
  }

  /** Sets a whole new state (devtools jumps, hydration). */
  replace<S>(cell: StoreCell<S>, next: S, origin: TxnOrigin): TxnRecord {
    return this.run(cell as StoreCell, origin, undefined, () => ({
      state: next,
      patches: [{ op: 'replace', path: [], value: next }],
      inversePatches: [{ op: 'replace', path: [], value: cell.state }],
      changedIds: undefined,
    }))
  }

  private run(
    cell: StoreCell,
    origin: TxnOrigin,
    options: TransactOptions | undefined,
    produce: () => Change,
  ): TxnRecord {
    if (cell.inTxn)
      throw new AtomaError(
        'REENTRANT_TRANSACTION',
        `store '${cell.name}': a transaction was started inside another transaction of the same store; ` +
          'make the change in the outer recipe, or start it after the outer one returns',
        { store: cell.name },
      )
    const txnId = ++this.lastTxnId
    const commit = () => this.commit(cell, txnId, origin, options, produce)
    if (!this.runOp) return commit()
    return this.runOp({
      id: `txn:${txnId}`,
      kind: 'state',
      name: `${cell.name}/${origin.kind}${origin.name ? `:${origin.name}` : ''}`,
      meta: { store: cell.name, txnId },
      run: commit,
    })
  }

  private runRecipe(cell: StoreCell, recipe: (draft: never) => unknown): Change {
    // Patches cost allocations: only history/devtools (`full`) and observing plugins need them.
    const withPatches = cell.instrumentation === 'full' || cell.observers.size > 0
    return cell.drafting.produce(cell.state, recipe, withPatches)
  }

  private commit(
    cell: StoreCell,
    txnId: number,
    origin: TxnOrigin,
    options: TransactOptions | undefined,
    produce: () => Change,
  ): TxnRecord {
    const startedAt = Date.now()
    const t0 = now()
    let change: Change
    cell.inTxn = true
    try {
      change = produce()
    } catch (error) {
      if (error instanceof AtomaError) throw error
      throw new AtomaError(
        'RECIPE_FAILED',
        `store '${cell.name}': the ${origin.kind} recipe${origin.name ? ` '${origin.name}'` : ''} threw: ${
          error instanceof Error ? error.message : String(error)
        } (state unchanged)`,
        { store: cell.name, cause: error },
      )
    } finally {
      cell.inTxn = false
    }

    const previous = cell.state
    cell.state = change.state
    cell.lastTxnId = txnId
    const full = cell.instrumentation === 'full'
    const record: TxnRecord = {
      txnId,
      store: cell.name,
      origin,
      patches: full ? (options?.recordPatches ?? change.patches) : NONE,
      inversePatches: full ? change.inversePatches : NONE,
      before: full ? previous : undefined,
      after: full ? change.state : undefined,
      startedAt,
      durationMs: now() - t0,
    }
    const changedIds = options?.changedIds ?? change.changedIds
    if (changedIds) record.changedIds = changedIds
    cell.history?.push(record)
    if (cell.observers.size > 0) this.observe(cell, record, change)

    let listeners: number | undefined
    try {
      listeners = this.notifier.commit(cell, previous, changedIds)
    } finally {
      if (this.sink) {
        this.sink.updateState(cell.name, cell.state)
        this.sink.emit({
          kind: 'state:update',
          store: cell.name,
          txnId,
          patchCount: record.patches.length,
          originKind: origin.kind,
          ...(origin.name ? { name: origin.name } : {}),
          data: { record, listeners },
        })
      }
    }
    return record
  }

  /** Observers are plugins: one that throws is reported and never fails the commit it observes. */
  private observe(cell: StoreCell, record: TxnRecord, change: Change): void {
    const commit = {
      record,
      state: change.state,
      patches: change.patches,
      inversePatches: change.inversePatches,
    }
    for (const observer of [...cell.observers]) {
      try {
        observer(commit)
      } catch (error) {
        console.error(`[atoma] an observer of store '${cell.name}' threw; the commit stands:`, error)
      }
    }
  }
}
