import { composeMiddleware } from './bus/composeMiddleware.js'
import { debugObserver } from './bus/debugObserver.js'
import type { Middleware } from './bus/effectOp.js'
import type { DebugEventInput } from './debug/events.js'
import type { DevtoolsConnection } from './debug/hub.js'
import { registerDevtoolsInstance } from './debug/hub.js'
import { isProduction } from './env.js'
import { AtomaError } from './errors.js'
import { createKernel } from './execution/kernel.js'
import type { AtomaPlugin } from './execution/plugin.js'
import type { WritebackInput, WritebackResult } from './execution/ports.js'
import type { Patch } from './patch.js'
import type { Id } from './query/types.js'
import type { CollectionContext } from './store/collectionContext.js'
import { type CollectionHandle, createCollectionHandle } from './store/collectionHandle.js'
import type { CollectionDef } from './store/defineCollection.js'
import type { Payloads, StoreDef } from './store/defineStore.js'
import { EntityMap } from './store/entityMap.js'
import { createStoreHandle, type StoreHandle } from './store/handles.js'
import { validateItems } from './store/schema.js'
import { StoreCell } from './store/storeCell.js'
import { History } from './txn/history.js'
import { Notifier } from './txn/notifier.js'
import { type CollectionRecipe, type StoreRecipe, Transactor } from './txn/transactor.js'
import type { Instrumentation, TxnOrigin, TxnRecord } from './txn/types.js'
import { landServerData } from './write/land.js'
import { PendingWrites } from './write/pendingWrites.js'

/** Any store or collection definition, as createRuntime and the runtime's methods accept it. */
export interface AnyDef {
  readonly kind: 'store' | 'collection'
  readonly name: string
  readonly instrumentation?: Instrumentation
}
type StoreRef = AnyDef | string

/** The DevtoolsHub settings of a runtime created with `devtools` on. */
export interface DevtoolsOptions {
  /** Events kept in the page-wide hub's ring buffer (default 500). */
  bufferSize?: number
  /** How this runtime is named in the devtools (default `atoma`; duplicates get `#2`, `#3`...). */
  label?: string
}

/** The options of `createRuntime`; only `stores` is required. */
export interface RuntimeOptions {
  stores: readonly AnyDef[]
  /** Backends and extensions; each registers its capabilities explicitly (nothing is implicit). */
  plugins?: readonly AtomaPlugin[]
  /** The execution policy of collections that do not pick one (default `direct-local`). */
  policy?: string
  /** The EffectOp middleware stack, outermost first. Given once, here. */
  middleware?: readonly Middleware[]
  /** The one switch for debugging: joins the page's DevtoolsHub and adds `debugObserver`. */
  devtools?: boolean | DevtoolsOptions
  /** `full` keeps patches and snapshots; `light` keeps neither. Default: light in production, full otherwise. */
  instrumentation?: Instrumentation
  /** Transactions kept per store for devtools and time travel (default 500). */
  historySize?: number
}

/** A JSON-friendly snapshot of every store, for server rendering (`hydrate` it on the client). */
export interface DehydratedState {
  atoma: 1
  stores: Record<string, { state: unknown } | { entries: [Id, unknown][]; versions: [Id, number][] }>
}

/** Present only when devtools are on: how bindings (React) add their own debug events. */
export interface RuntimeDebug {
  /** Sends a debug event to the DevtoolsHub under this runtime's label. */
  emit(event: DebugEventInput): void
  /** The transaction that produced the store's current state. */
  lastTxnId(store: string): number | undefined
}

/** A runtime: the live stores of its definitions, their transactions, backends and devtools link. */
export interface Runtime {
  readonly label: string
  /** `null` unless `devtools` is on. */
  readonly debug: RuntimeDebug | null
  /** The handle of a plain store of this runtime (throws when `def` is not one of its stores). */
  store<S, P extends Payloads>(def: StoreDef<S, P>): StoreHandle<S, P>
  /** The handle of a collection of this runtime (throws when `def` is not one of its stores). */
  store<T>(def: CollectionDef<T>): CollectionHandle<T>
  /** Runs `recipe` as one transaction of `store` and commits it; returns the commit's record. */
  transact<S, P extends Payloads>(
    store: StoreDef<S, P>,
    recipe: StoreRecipe<S>,
    origin: TxnOrigin,
  ): TxnRecord<S>
  /**
   * Runs `recipe` on a draft of the collection as one transaction and commits it; returns the commit's record.
   */
  transact<T>(
    store: CollectionDef<T>,
    recipe: CollectionRecipe<T>,
    origin: TxnOrigin,
  ): TxnRecord<EntityMap<T>>
  /** One commit made of patches (for collections: `[id, ...field]`). Paths reaching a prototype are refused. */
  applyPatches(store: StoreRef, patches: readonly Patch[], origin: TxnOrigin): TxnRecord
  /** Commits inside `fn` notify once, when the outermost batch ends. */
  batch<R>(fn: () => R): R
  /** The store's last transactions, oldest first (empty under `light`). */
  history(store: StoreRef): readonly TxnRecord[]
  /** Sets a store to a transaction's before/after snapshot as a new `devtools` commit. Never runs IO. */
  applyTransactionSnapshot(txnId: number, which: 'before' | 'after'): TxnRecord | undefined
  /** RuntimeApplyPort: server data lands on a collection's confirmed base, pending writes on top. */
  applyWriteback(input: WritebackInput): Promise<WritebackResult>
  /** Every store's state (collections with their server versions), for server rendering. */
  dehydrate(): DehydratedState
  /** Sets stores from `dehydrate()`'s output, one `hydrate` transaction each; unknown stores are refused. */
  hydrate(data: DehydratedState): void
  /** Subscribed listeners across all stores (leak checks, diagnostics). */
  listenerCount(): number
  /** Unregisters the runtime from the DevtoolsHub (when devtools are on). */
  dispose(): void
}

/** The composition root: wires stores, transactions, bus and hub. It holds no business logic. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const production = isProduction()
  const devtools = options.devtools ? (options.devtools === true ? {} : options.devtools) : undefined
  const instrumentation = options.instrumentation ?? (production ? 'light' : 'full')
  const historySize = options.historySize ?? 500

  const cells = new Map<string, StoreCell>()
  const defs = new Map<string, AnyDef>()
  for (const def of options.stores) {
    if (defs.has(def.name))
      throw new AtomaError(
        'DUPLICATE_STORE',
        `createRuntime: two stores are named '${def.name}'; store names must be unique`,
        {
          store: def.name,
        },
      )
    defs.set(def.name, def)
    const mode = def.instrumentation ?? instrumentation
    const history = mode === 'full' ? new History(historySize) : null
    const initial = def.kind === 'collection' ? EntityMap.empty() : (def as StoreDef).initial
    cells.set(def.name, new StoreCell(def.name, def.kind, initial, mode, history))
  }

  const cellOf = (ref: StoreRef): StoreCell => {
    const name = typeof ref === 'string' ? ref : ref?.name
    const cell = name === undefined ? undefined : cells.get(name)
    if (!cell || (typeof ref !== 'string' && defs.get(name as string) !== ref))
      throw new AtomaError(
        'UNKNOWN_STORE',
        `store '${String(name)}' is not part of this runtime (stores: ${[...cells.keys()].join(', ') || 'none'})`,
        { store: String(name) },
      )
    return cell
  }

  let connection: DevtoolsConnection | null = null
  const runtime = {} as Runtime
  if (devtools) {
    connection = registerDevtoolsInstance(
      {
        label: devtools.label ?? 'atoma',
        stores: () => [...cells.keys()],
        getState: (store) => cellOf(store).state,
        history: (store) => runtime.history(store),
        applyTransactionSnapshot: (txnId, which) => {
          runtime.applyTransactionSnapshot(txnId, which)
        },
      },
      devtools.bufferSize === undefined ? undefined : { bufferSize: devtools.bufferSize },
    )
  }
  const stack = connection
    ? [debugObserver(connection), ...(options.middleware ?? [])]
    : (options.middleware ?? [])
  const runOp = stack.length > 0 ? composeMiddleware(stack) : null
  const notifier = new Notifier()
  const transactor = new Transactor(notifier, runOp, connection)

  const kernel = createKernel({ defaultPolicy: options.policy ?? 'direct-local' })
  for (const plugin of options.plugins ?? []) plugin.setup(kernel.context)
  const contexts = new Map<string, CollectionContext<unknown>>()
  for (const def of defs.values()) {
    if (def.kind !== 'collection') continue
    const collection = def as CollectionDef<unknown>
    const policy = collection.policy ?? options.policy ?? 'direct-local'
    kernel.assertRoutable(def.name, policy)
    contexts.set(def.name, {
      def: collection,
      cell: cells.get(def.name) as StoreCell<EntityMap<unknown>>,
      transactor,
      batch: (fn) => notifier.batch(fn),
      pending: new PendingWrites(),
      reads: { execute: (input) => kernel.query(policy, input) },
      writes: { execute: (input) => kernel.write(policy, input) },
      runOp,
    })
  }
  const contextOf = (store: string): CollectionContext<unknown> => {
    const ctx = contexts.get(store)
    if (!ctx)
      throw new AtomaError(
        'UNKNOWN_STORE',
        `applyWriteback: '${store}' is not a collection of this runtime`,
        { store },
      )
    return ctx
  }

  const handles = new Map<string, unknown>()
  const dispatch = (cell: StoreCell, def: StoreDef) => (action: string, payload: unknown) => {
    const recipe = def.actions[action] as (draft: unknown, payload: unknown) => unknown
    const origin: TxnOrigin = { kind: 'action', name: action }
    const commit = () => transactor.transact(cell, (draft: never) => recipe(draft, payload), origin)
    if (!runOp) return commit()
    // The op learns its transaction when it commits, so traces link action → txn.
    const meta: { store: string; txnId?: number } = { store: cell.name }
    return runOp({
      id: `action:${cell.name}/${action}`,
      kind: 'action',
      name: `${cell.name}/${action}`,
      payload,
      meta,
      run: () => {
        const record = commit()
        meta.txnId = record.txnId
        return record
      },
    })
  }

  Object.assign(runtime, {
    label: connection?.label ?? devtools?.label ?? 'atoma',
    debug: connection
      ? {
          emit: (event: DebugEventInput) => connection?.emit(event),
          lastTxnId: (store: string) => cellOf(store).lastTxnId,
        }
      : null,
    store(def: AnyDef) {
      const cell = cellOf(def)
      let handle = handles.get(cell.name)
      if (!handle) {
        handle =
          def.kind === 'collection'
            ? createCollectionHandle(contextOf(cell.name))
            : createStoreHandle(cell, def as StoreDef, dispatch(cell, def as StoreDef))
        handles.set(cell.name, handle)
      }
      return handle
    },
    transact: (store: StoreRef, recipe: (draft: never) => unknown, origin: TxnOrigin) =>
      transactor.transact(cellOf(store), recipe, origin),
    applyPatches: (store, patches, origin) => transactor.applyPatches(cellOf(store), patches, origin),
    batch: (fn) => notifier.batch(fn),
    history: (store) => cellOf(store).history?.toArray() ?? [],
    applyTransactionSnapshot(txnId, which) {
      if (production && !connection) return undefined
      for (const cell of cells.values()) {
        const record = cell.history?.get(txnId)
        if (!record) continue
        return transactor.replace(cell, which === 'before' ? record.before : record.after, {
          kind: 'devtools',
          name: `${which} #${txnId}`,
        })
      }
      throw new AtomaError(
        'NOT_FOUND',
        `transaction ${txnId} is not in any store's history (evicted, or the store runs with light instrumentation)`,
      )
    },
    async applyWriteback(input) {
      const ctx = contextOf(cellOf(input.store).name)
      const values = await validateItems(
        ctx.def.schema,
        ctx.def.name,
        input.items.filter((item) => !item.deleted).map((item) => item.value),
      )
      const landing = new Map<Id, unknown>()
      let next = 0
      for (const item of input.items) {
        const value = item.deleted ? undefined : values[next++]
        if (value !== undefined && ctx.def.keyOf(value) !== item.id)
          throw new AtomaError(
            'VALIDATION',
            `applyWriteback: item '${item.id}' of '${ctx.def.name}' carries id '${ctx.def.keyOf(value)}'`,
            {
              store: ctx.def.name,
              id: item.id,
            },
          )
        if (item.deleted) ctx.pending.versions.delete(item.id)
        else if (item.version !== undefined) ctx.pending.versions.set(item.id, item.version)
        landing.set(item.id, value)
      }
      const record = landServerData(ctx, landing, { kind: input.origin ?? 'writeback' })
      return {
        txnId: record.txnId,
        patches: record.patches,
        inversePatches: record.inversePatches,
        changedIds: record.changedIds ?? [],
      }
    },
    dehydrate() {
      const stores: DehydratedState['stores'] = {}
      for (const [name, cell] of cells) {
        const ctx = contexts.get(name)
        stores[name] = ctx
          ? { entries: [...(cell.state as EntityMap<unknown>)], versions: [...ctx.pending.versions] }
          : { state: cell.state }
      }
      return { atoma: 1, stores }
    },
    hydrate(data) {
      if (data?.atoma !== 1 || typeof data.stores !== 'object')
        throw new AtomaError('INVALID_ARGUMENT', 'hydrate: the data is not the output of runtime.dehydrate()')
      for (const name of Object.keys(data.stores)) cellOf(name)
      notifier.batch(() => {
        for (const [name, stored] of Object.entries(data.stores)) {
          const cell = cellOf(name)
          const ctx = contexts.get(name)
          if (ctx && 'entries' in stored) {
            for (const [id, version] of stored.versions) ctx.pending.versions.set(id, version)
            transactor.replace(cell, EntityMap.from(stored.entries), { kind: 'hydrate' })
          } else if (!ctx && 'state' in stored) transactor.replace(cell, stored.state, { kind: 'hydrate' })
          else
            throw new AtomaError(
              'INVALID_ARGUMENT',
              `hydrate: the data for '${name}' does not match its kind`,
              { store: name },
            )
        }
      })
    },
    listenerCount: () => {
      let count = 0
      for (const cell of cells.values()) count += cell.listenerCount
      return count
    },
    dispose: () => {
      connection?.unregister()
      connection = null
    },
  } satisfies Omit<Runtime, 'store' | 'transact'> & Record<'store' | 'transact', unknown>)
  return runtime
}
