import type { OpRunner } from '../bus/composeMiddleware.js'
import { dataProblem } from '../data.js'
import { AtomaError } from '../errors.js'
import { createKernel, type ExecutionKernel } from '../execution/kernel.js'
import type { WritebackInput, WritebackResult, WriteEntry } from '../execution/ports.js'
import { createRegistry, type PluginRegistry } from '../execution/registry.js'
import type { Id } from '../query/types.js'
import type { History } from '../txn/history.js'
import type { Transactor } from '../txn/transactor.js'
import type { Instrumentation } from '../txn/types.js'
import { createWriteChain } from '../write/collectionWriter.js'
import { landServerData } from '../write/land.js'
import { PendingWrites } from '../write/pendingWrites.js'
import type { WriteHandle } from '../write/types.js'
import type { CollectionContext } from './collectionContext.js'
import { collectionDrafting } from './collectionDraft.js'
import { type CollectionHandle, createCollectionHandle } from './collectionHandle.js'
import type { CollectionDef } from './defineCollection.js'
import { EntityMap } from './entityMap.js'
import { validateItems } from './schema.js'
import { StoreCell } from './storeCell.js'

/** What a runtime lends its collections. */
export interface CollectionHost {
  readonly transactor: Transactor
  readonly batch: <R>(fn: () => R) => R
  readonly runOp: OpRunner | null
  /** What the plugins registered; the kernel routing over it is made by the first collection. */
  readonly registry: PluginRegistry
  readonly defaultPolicy: string
}

/** A collection's state as `runtime.dehydrate()` writes it. */
export interface DehydratedCollection {
  entries: [Id, unknown][]
  versions: [Id, number][]
}

/** One collection inside one runtime: what the runtime's own methods delegate to. */
export interface CollectionRuntime {
  readonly handle: CollectionHandle<unknown>
  applyWriteback(input: WritebackInput): Promise<WritebackResult>
  dehydrate(): DehydratedCollection
  /** Checks `data` (throwing before anything changes) and returns what lands it as one `hydrate` commit. */
  prepareHydrate(data: unknown): () => void
  resume(entries: readonly WriteEntry[]): WriteHandle<unknown>
}

const kernels = new WeakMap<PluginRegistry, ExecutionKernel>()

/**
 * Everything a collection needs beyond a plain store — the entity map, its drafting, the execution
 * kernel, the read and write flows — reached only through `defineCollection`, which carries this
 * module. A runtime whose stores are all plain never loads any of it.
 */
export const collectionModule = {
  registry: (debug: boolean) => createRegistry(debug),

  cell(name: string, instrumentation: Instrumentation, history: History | null): StoreCell {
    return new StoreCell(
      name,
      'collection',
      EntityMap.empty<object>(),
      instrumentation,
      history,
      collectionDrafting,
    ) as StoreCell
  },

  /** Throws `NO_EXECUTION_NODE` when the collection's policy finds no query or no write node. */
  attach(def: CollectionDef<unknown>, cell: StoreCell, host: CollectionHost): CollectionRuntime {
    let kernel = kernels.get(host.registry)
    if (!kernel) {
      kernel = createKernel({ registry: host.registry, defaultPolicy: host.defaultPolicy })
      kernels.set(host.registry, kernel)
    }
    const routed = kernel
    const policy = def.policy ?? host.defaultPolicy
    routed.assertRoutable(def.name, policy)
    const store = def.name
    const ctx: CollectionContext<unknown> = {
      def,
      cell: cell as StoreCell<EntityMap<unknown>>,
      transactor: host.transactor,
      batch: host.batch,
      pending: new PendingWrites(),
      reads: { execute: (input) => routed.query(policy, input) },
      writes: { execute: (input) => routed.write(policy, input), queued: routed.queued(policy) },
      runOp: host.runOp,
    }
    const chain = createWriteChain(ctx)
    const handle = createCollectionHandle(ctx, chain.writer)
    const invalid = (message: string, id?: Id) =>
      new AtomaError('VALIDATION', `${message}`, { store, ...(id === undefined ? {} : { id }) })

    return {
      handle,
      resume: (entries) => chain.resume(entries),

      async applyWriteback(input) {
        if (!Array.isArray(input.items)) throw invalid(`applyWriteback: items of '${store}' must be an array`)
        if (input.through !== undefined && !(Number.isSafeInteger(input.through) && input.through >= 0))
          throw invalid(`applyWriteback: through of '${store}' is ${String(input.through)}, not a version`)
        const live = input.items.filter((item) => !item.deleted)
        for (const item of input.items) {
          if (!isId(item?.id)) throw invalid(`applyWriteback: an item of '${store}' has no usable id`)
          if (item.version !== undefined && !Number.isSafeInteger(item.version))
            throw invalid(
              `applyWriteback: item '${item.id}' of '${store}' has version ${String(item.version)}`,
              item.id,
            )
          if (item.deleted) continue
          if (typeof item.value !== 'object' || item.value === null)
            throw invalid(`applyWriteback: item '${item.id}' of '${store}' is not an object`, item.id)
          const problem = dataProblem(item.value)
          if (problem)
            throw invalid(`applyWriteback: item '${item.id}' of '${store}' is refused: ${problem}`, item.id)
        }
        const values = await validateItems(
          def.schema,
          store,
          live.map((item) => item.value),
        )
        const landing = new Map<Id, unknown>()
        let next = 0
        for (const item of input.items) {
          const value = item.deleted ? undefined : values[next++]
          if (value !== undefined && def.keyOf(value) !== item.id)
            throw invalid(
              `applyWriteback: item '${item.id}' of '${store}' carries id '${def.keyOf(value)}'`,
              item.id,
            )
          landing.set(item.id, value)
        }
        // Checked whole before anything lands: a bad item refuses the batch, never half of it. Older
        // data never overwrites newer: an item below the version already known is skipped (a pull
        // answered after our own write was confirmed).
        for (const item of input.items) {
          if (ctx.pending.stale(item.id, item.version)) {
            landing.delete(item.id)
            continue
          }
          ctx.pending.learn(item.id, item.version, item.deleted === true)
        }
        const record = landServerData(ctx, landing, { kind: input.origin ?? 'writeback' })
        // After the items: they are at or below it, and they land.
        if (input.through !== undefined) ctx.pending.hold(input.through)
        ctx.pending.notify()
        return {
          txnId: record.txnId,
          patches: record.patches,
          inversePatches: record.inversePatches,
          changedIds: record.changedIds ?? [],
        }
      },

      dehydrate: () => ({ entries: [...ctx.cell.state], versions: [...ctx.pending.versions] }),

      prepareHydrate(data) {
        const { entries, versions } = (data ?? {}) as Partial<DehydratedCollection>
        if (!Array.isArray(entries) || !Array.isArray(versions))
          throw new AtomaError(
            'INVALID_ARGUMENT',
            `hydrate: the data for '${store}' is not a dehydrated collection`,
            {
              store,
            },
          )
        for (const pair of entries) {
          const [id, value] = Array.isArray(pair) ? pair : []
          if (!isId(id) || typeof value !== 'object' || value === null)
            throw new AtomaError('INVALID_ARGUMENT', `hydrate: an entry of '${store}' is not [id, item]`, {
              store,
            })
          const problem = dataProblem(value)
          if (problem)
            throw new AtomaError('VALIDATION', `hydrate: item '${id}' of '${store}' is refused: ${problem}`, {
              store,
              id,
            })
        }
        for (const pair of versions) {
          const [id, version] = Array.isArray(pair) ? pair : []
          if (!isId(id) || !Number.isSafeInteger(version))
            throw new AtomaError(
              'INVALID_ARGUMENT',
              `hydrate: a version of '${store}' is not [id, integer]`,
              { store },
            )
        }
        return () => {
          for (const [id, version] of versions) ctx.pending.versions.set(id, version)
          host.transactor.replace(ctx.cell, EntityMap.from(entries), { kind: 'hydrate' })
        }
      },
    }
  },
}

export type CollectionModule = typeof collectionModule

function isId(id: unknown): id is Id {
  return (typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isFinite(id))
}
