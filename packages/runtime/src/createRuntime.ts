import { composeMiddleware } from './bus/composeMiddleware.js'
import type { Middleware } from './bus/effectOp.js'
import { devtoolsHub } from './debug/connect.js'
import type { DebugEventInput } from './debug/events.js'
import type { DevtoolsConnection } from './debug/hub.js'
import { isProduction } from './env.js'
import { AtomaError } from './errors.js'
import type { PluginContext } from './execution/plugin.js'
import type { WritebackInput, WritebackResult } from './execution/ports.js'
import type { PluginRegistry } from './execution/registry.js'
import type { Patch } from './patch.js'
import type { ActionListener, AtomaPlugin, PluginExtensions, PluginRuntime } from './plugin.js'
import type { Id } from './query/types.js'
import type { CollectionHandle } from './store/collectionHandle.js'
import type { CollectionRuntime } from './store/collectionModule.js'
import { COLLECTION_MODULE, type CollectionDef } from './store/defineCollection.js'
import type { Payloads, StoreDef } from './store/defineStore.js'
import type { EntityMap } from './store/entityMap.js'
import { createStoreHandle, type StoreHandle } from './store/handles.js'
import { StoreCell } from './store/storeCell.js'
import type { Trait, TraitAttachment } from './trait.js'
import { type Drafting, immerDrafting } from './txn/drafting.js'
import { History } from './txn/history.js'
import { Notifier } from './txn/notifier.js'
import { type CollectionRecipe, type StoreRecipe, Transactor } from './txn/transactor.js'
import type { Instrumentation, TxnOrigin, TxnRecord } from './txn/types.js'

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
export interface RuntimeOptions<P extends readonly AtomaPlugin[] = readonly AtomaPlugin[]> {
  stores: readonly AnyDef[]
  /** Backends and extensions; each registers its capabilities explicitly (nothing is implicit). */
  plugins?: P
  /**
   * Logic (`defineLogic` from @atoma/logic): watchers and lifecycle. Each is set up like a plugin,
   * after the plugins, and starts its run phase once the runtime is ready.
   */
  logic?: readonly AtomaPlugin[]
  /** The execution policy of collections that do not pick one (default `direct-local`). */
  policy?: string
  /** The EffectOp middleware stack, outermost first. Given once, here. */
  middleware?: readonly Middleware[]
  /**
   * The one switch for debugging: joins the page's DevtoolsHub and adds `debugObserver`. The hub
   * is part of the development build; a production build has it only when the app imports
   * `@atoma/runtime/devtools` (or `@atoma/devtools/panel`) before creating the runtime.
   */
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
  /**
   * Shows a query cache (the bindings' `@tanstack/query-core` QueryClient, held as an opaque value)
   * to the devtools; returns the detach. The runtime itself never reads it.
   */
  attachQueryClient(client: unknown): () => void
  /**
   * Shows a plugin's own devtools source under `name` (the sync orchestrator's API as `sync`, say):
   * the panel reads it through the instance handle's `exposed()`. Returns the withdrawal.
   */
  expose(name: string, source: unknown): () => void
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
  /**
   * Resolves once every plugin has started (an outbox restored, a store hydrated from an
   * asynchronous storage); rejects with the first plugin start that failed.
   */
  ready(): Promise<void>
  /** Subscribed listeners across all stores (leak checks, diagnostics). */
  listenerCount(): number
  /** Leaves the DevtoolsHub and disposes the plugins (last first). */
  dispose(): void
}

/** What plugins get in `setup` when no collection is there to route anything: nothing to register into. */
const INERT: PluginContext = {
  debug: false,
  execution: { registerNode() {} },
  policy: { registerPolicy() {} },
  transport: { registerTransport() {}, getTransport: () => undefined },
  events: { on: () => () => {} },
}

let warnedNoHub = false

/**
 * The composition root: wires stores, transactions, bus, hub and plugins, and holds no business
 * logic. It imports nothing of collections: a collection definition brings its own machinery
 * (`defineCollection` carries it), so an app of plain stores pays for plain stores only.
 */
export function createRuntime<P extends readonly AtomaPlugin[] = readonly AtomaPlugin[]>(
  options: RuntimeOptions<P>,
): Runtime & PluginExtensions<P> {
  const production = isProduction()
  const devtools = options.devtools ? (options.devtools === true ? {} : options.devtools) : undefined
  const instrumentation = options.instrumentation ?? (production ? 'light' : 'full')
  const historySize = options.historySize ?? 500
  const defaultPolicy = options.policy ?? 'direct-local'

  const cells = new Map<string, StoreCell>()
  const defs = new Map<string, AnyDef>()
  for (const def of options.stores) {
    if (defs.has(def.name))
      throw new AtomaError(
        'DUPLICATE_STORE',
        `createRuntime: two stores are named '${def.name}'; store names must be unique`,
        { store: def.name },
      )
    defs.set(def.name, def)
    const mode = def.instrumentation ?? instrumentation
    const history = mode === 'full' ? new History(historySize) : null
    cells.set(
      def.name,
      def.kind === 'collection'
        ? (def as CollectionDef)[COLLECTION_MODULE].cell(def.name, mode, history)
        : new StoreCell(def.name, 'store', (def as StoreDef).initial, mode, history, immerDrafting),
    )
  }

  // Traits: every store's fields maintained by a trait, attached once; their derives run inside
  // the store's own transactions (its drafting), their starts once the runtime is composed.
  const traitList = options.stores.flatMap((def) =>
    Object.entries((def as StoreDef).traits ?? {}).flatMap(([field, trait]) =>
      trait ? [{ store: def.name, field, trait: trait as Trait }] : [],
    ),
  )
  const attachments: TraitAttachment[] = []
  for (const { store, field, trait } of traitList) {
    const attachment = trait.attach({ store, field, traits: traitList })
    if (!attachment) continue
    attachments.push(attachment)
    if (attachment.derive) {
      const cell = cells.get(store) as StoreCell
      const derive = attachment.derive
      const inner = cell.drafting
      cell.drafting = derived(inner, derive)
      cell.state = immerDrafting.produce(cell.state, (draft: never) => derive(draft, undefined), false).state
    }
  }

  const cellOf = (ref: StoreRef): StoreCell => {
    const name = typeof ref === 'string' ? ref : ref?.name
    const cell = name === undefined ? undefined : cells.get(name)
    if (cell && (typeof ref === 'string' || defs.get(cell.name) === ref)) return cell
    const known = [...cells.keys()].join(', ') || 'none'
    throw new AtomaError(
      'UNKNOWN_STORE',
      cell
        ? `'${name}' is a different definition named '${name}' than the one this runtime was created with; ` +
            'define each store once (at module level) and use that same object everywhere'
        : `store '${String(name)}' is not part of this runtime (stores: ${known})`,
      { store: String(name) },
    )
  }

  const runtime = {} as Runtime
  let connection: DevtoolsConnection | null = null
  const queryClients: unknown[] = []
  const exposed = new Map<string, unknown>()
  const hub = devtools ? devtoolsHub() : undefined
  if (devtools) {
    if (hub)
      connection = hub.register(
        {
          label: devtools.label ?? 'atoma',
          stores: () => [...cells.keys()],
          getState: (store) => cellOf(store).state,
          history: (store) => runtime.history(store),
          applyTransactionSnapshot: (txnId, which) => {
            runtime.applyTransactionSnapshot(txnId, which)
          },
          replaceState: (store, state, name) => {
            transactor.replace(cellOf(store), state, { kind: 'devtools', name })
          },
          describe: (store) => {
            const cell = cellOf(store)
            const def = defs.get(store) as AnyDef
            const actions = def.kind === 'store' ? Object.keys((def as StoreDef).actions) : []
            return { kind: cell.kind, instrumentation: cell.instrumentation, actions }
          },
          dispatch: (store, action, payload) => {
            const def = defs.get(store)
            if (def?.kind !== 'store' || !Object.hasOwn((def as StoreDef).actions, action))
              throw new AtomaError('UNKNOWN_ACTION', `store '${store}' has no action '${action}'`, { store })
            return dispatch(cellOf(store), def as StoreDef)(action, payload).txnId
          },
          queryClients: () => queryClients,
          exposed: () => exposed,
        },
        devtools.bufferSize === undefined ? undefined : { bufferSize: devtools.bufferSize },
      )
    else if (!warnedNoHub) {
      warnedNoHub = true
      console.warn(
        "[atoma] createRuntime({ devtools }): the DevtoolsHub is not part of this build; import '@atoma/runtime/devtools' before creating the runtime",
      )
    }
  }
  const stack =
    connection && hub ? [hub.observer(connection), ...(options.middleware ?? [])] : (options.middleware ?? [])
  const runOp = stack.length > 0 ? composeMiddleware(stack) : null
  const notifier = new Notifier()
  const transactor = new Transactor(notifier, runOp, connection)
  const batch = <R>(fn: () => R): R => notifier.batch(fn)

  // The registry (and later the kernel) comes with the collection code: no collection, nothing to route.
  const firstCollection = options.stores.find((def): def is CollectionDef => def.kind === 'collection')
  const registry: PluginRegistry | undefined = firstCollection?.[COLLECTION_MODULE].registry(
    connection !== null,
  )
  const plugins = [...(options.plugins ?? []), ...(options.logic ?? [])]
  for (const plugin of plugins) plugin.setup(registry?.context ?? INERT)

  const collections = new Map<string, CollectionRuntime>()
  if (registry)
    for (const def of defs.values()) {
      if (def.kind !== 'collection') continue
      const cell = cells.get(def.name) as StoreCell
      const collection = def as CollectionDef<unknown>
      collections.set(
        def.name,
        collection[COLLECTION_MODULE].attach(collection, cell, {
          transactor,
          batch,
          runOp,
          registry,
          defaultPolicy,
        }),
      )
    }
  const collectionOf = (store: string, where: string): CollectionRuntime => {
    const collection = collections.get(cellOf(store).name)
    if (!collection)
      throw new AtomaError('UNKNOWN_STORE', `${where}: '${store}' is not a collection of this runtime`, {
        store,
      })
    return collection
  }

  const handles = new Map<string, unknown>()
  // Plugins listening to a store's actions (PluginRuntime.onAction), by store name.
  const actionListeners = new Map<string, Set<ActionListener>>()
  const dispatch = (cell: StoreCell, def: StoreDef) => (action: string, payload: unknown) => {
    const recipe = def.actions[action] as (draft: unknown, payload: unknown) => unknown
    const origin: TxnOrigin = { kind: 'action', name: action }
    const commit = () => transactor.transact(cell, (draft: never) => recipe(draft, payload), origin)
    // The op learns its transaction when it commits, so traces link action → txn.
    const meta: { store: string; txnId?: number } = { store: cell.name }
    const record = !runOp
      ? commit()
      : runOp({
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
    const listeners = actionListeners.get(cell.name)
    if (listeners)
      for (const listener of [...listeners]) {
        try {
          listener(action, payload, record)
        } catch (error) {
          console.error(
            `[atoma] a listener of the actions of store '${cell.name}' threw; the commit stands:`,
            error,
          )
        }
      }
    return record
  }

  let started: Promise<void> = Promise.resolve()
  Object.assign(runtime, {
    label: connection?.label ?? devtools?.label ?? 'atoma',
    debug: connection
      ? {
          emit: (event: DebugEventInput) => connection?.emit(event),
          lastTxnId: (store: string) => cellOf(store).lastTxnId,
          attachQueryClient: (client: unknown) => {
            queryClients.push(client)
            connection?.emit({ kind: 'lifecycle', name: 'query client attached' })
            return () => {
              const at = queryClients.indexOf(client)
              if (at >= 0) queryClients.splice(at, 1)
            }
          },
          expose: (name: string, source: unknown) => {
            exposed.set(name, source)
            connection?.emit({ kind: 'lifecycle', name: `${name} exposed` })
            return () => {
              if (exposed.get(name) === source) exposed.delete(name)
            }
          },
        }
      : null,
    store(def: AnyDef) {
      const cell = cellOf(def)
      let handle = handles.get(cell.name)
      if (!handle) {
        handle =
          def.kind === 'collection'
            ? collectionOf(cell.name, 'store').handle
            : createStoreHandle(cell, def as StoreDef, dispatch(cell, def as StoreDef))
        handles.set(cell.name, handle)
      }
      return handle
    },
    transact: (store: StoreRef, recipe: (draft: never) => unknown, origin: TxnOrigin) =>
      transactor.transact(cellOf(store), recipe, origin),
    applyPatches: (store, patches, origin) => transactor.applyPatches(cellOf(store), patches, origin),
    batch,
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
    applyWriteback: async (input) => collectionOf(input?.store, 'applyWriteback').applyWriteback(input),
    dehydrate() {
      const stores: DehydratedState['stores'] = {}
      for (const [name, cell] of cells)
        stores[name] = collections.get(name)?.dehydrate() ?? { state: cell.state }
      return { atoma: 1, stores }
    },
    hydrate(data) {
      if (data?.atoma !== 1 || typeof data.stores !== 'object' || data.stores === null)
        throw new AtomaError('INVALID_ARGUMENT', 'hydrate: the data is not the output of runtime.dehydrate()')
      // Everything is checked before anything lands: a bad store refuses the whole hydration.
      const landings = Object.entries(data.stores).map(([name, stored]) => {
        const cell = cellOf(name)
        const collection = collections.get(name)
        if (collection) return collection.prepareHydrate(stored)
        if (typeof stored !== 'object' || stored === null || !('state' in stored))
          throw new AtomaError(
            'INVALID_ARGUMENT',
            `hydrate: the data for '${name}' does not match its kind`,
            {
              store: name,
            },
          )
        return () => transactor.replace(cell, stored.state, { kind: 'hydrate' })
      })
      notifier.batch(() => {
        for (const land of landings) land()
      })
    },
    ready: () => started,
    listenerCount: () => {
      let count = 0
      for (const cell of cells.values()) count += cell.listenerCount
      return count
    },
    dispose: () => {
      for (const attachment of attachments) attachment.dispose?.()
      for (const plugin of [...plugins].reverse()) {
        try {
          plugin.dispose?.(pluginRuntime)
        } catch (error) {
          console.error('[atoma] a plugin threw while disposing:', error)
        }
      }
      connection?.unregister()
      connection = null
    },
  } satisfies Omit<Runtime, 'store' | 'transact'> & Record<'store' | 'transact', unknown>)

  for (const plugin of plugins) {
    for (const [key, value] of Object.entries(plugin.extend ?? {})) {
      if (key in runtime)
        throw new AtomaError(
          'INVALID_ARGUMENT',
          `createRuntime: a plugin adds '${key}', which the runtime already has`,
        )
      Object.defineProperty(runtime, key, { value, enumerable: true })
    }
  }

  const diagnostic = (code: string, message: string, data?: unknown) => {
    connection?.emit({
      kind: 'diagnostic',
      name: code,
      data: { message, ...(data === undefined ? {} : { data }) },
    })
    if (!production) console.warn(`[atoma] ${code}: ${message}`)
  }
  const pluginRuntime: PluginRuntime = {
    runtime,
    collections: () =>
      [...defs.values()]
        .filter((def) => def.kind === 'collection')
        .map((def) => ({ name: def.name, policy: (def as CollectionDef).policy ?? defaultPolicy })),
    getState: (store) => cellOf(store).state,
    observe(store, observer) {
      const { observers } = cellOf(store)
      const entry: typeof observer = (commit) => observer(commit)
      observers.add(entry)
      return () => {
        observers.delete(entry)
      }
    },
    onAction(store, listener) {
      const name = cellOf(store).name
      let listeners = actionListeners.get(name)
      if (!listeners) {
        listeners = new Set()
        actionListeners.set(name, listeners)
      }
      const entry: ActionListener = (action, payload, record) => listener(action, payload, record)
      listeners.add(entry)
      return () => {
        listeners.delete(entry)
      }
    },
    replaceState: (store, state, origin) => transactor.replace(cellOf(store), state, origin),
    transact: (store, recipe, origin) => transactor.transact(cellOf(store), recipe, origin),
    runOp: (op) => (runOp ? runOp(op) : op.run()),
    applyPatches: (store, patches, origin) => transactor.applyPatches(cellOf(store), patches, origin),
    resume: (store, entries) => collectionOf(store, 'resume').resume(entries),
    diagnostic,
  }
  for (const attachment of attachments) attachment.start?.(pluginRuntime)
  const starts: Promise<void>[] = []
  for (const plugin of plugins) {
    if (!plugin.start) continue
    const fail = (error: unknown) => {
      const failure =
        error instanceof AtomaError
          ? error
          : new AtomaError('INVALID_ARGUMENT', `plugin '${plugin.name}' failed to start: ${String(error)}`, {
              cause: error,
            })
      diagnostic('plugin::start_failed', failure.message)
      throw failure
    }
    try {
      const result = plugin.start(pluginRuntime)
      if (result) starts.push(Promise.resolve(result).catch(fail))
    } catch (error) {
      fail(error)
    }
  }
  started = Promise.all(starts).then(() => undefined)
  // Observed by whoever awaits ready(); the diagnostic already reported it to everyone else.
  started.catch(() => {})
  return runtime as Runtime & PluginExtensions<P>
}

/**
 * A store's drafting with a trait's derive after every recipe, in the same transaction: a second
 * pass over the recipe's result (so a recipe that returns a whole new state is derived too), one
 * commit, with the patches of both passes.
 */
function derived(inner: Drafting, derive: (draft: unknown, base: unknown) => void): Drafting {
  return {
    produce(state, recipe, withPatches) {
      const first = inner.produce(state, recipe, withPatches)
      const second = inner.produce(
        first.state,
        ((draft: unknown) => derive(draft, state)) as (draft: never) => unknown,
        withPatches,
      )
      if (!withPatches) return second
      return {
        state: second.state,
        patches: [...first.patches, ...second.patches],
        inversePatches: [...second.inversePatches, ...first.inversePatches],
        changedIds: undefined,
      }
    },
    patchRecipe: inner.patchRecipe,
  }
}
