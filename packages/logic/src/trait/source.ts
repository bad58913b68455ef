import {
  AtomaError,
  type CollectionDef,
  type EffectOpMeta,
  type ErrorInfo,
  type Id,
  type PluginRuntime,
  type Query,
  type Trait,
  toErrorInfo,
} from '@atoma/runtime'
import { handleOf } from '../handleOf.js'
import { attachStep, type State, type Step, type StepTrait } from './storePass.js'
import { SPEC } from './traitGraph.js'

/** What a source field holds. `error` is plain data (it lives in the store: devtools, SSR, persist). */
export interface SourceState<T> {
  status: 'idle' | 'loading' | 'success' | 'error'
  data: T | undefined
  error: ErrorInfo | undefined
}

/** A source field before anything is known: the value to give it in `initial`. */
export const sourceIdle: SourceState<never> = Object.freeze({
  status: 'idle',
  data: undefined,
  error: undefined,
})
const LOADING: SourceState<never> = Object.freeze({ status: 'loading', data: undefined, error: undefined })

/** Anything that fetches by key; it should stop when `signal` aborts (the key changed). */
export type QueryFn<K, T> = (key: K, context: { signal: AbortSignal }) => T | Promise<T>

/** No key (`null` / `undefined`): the field stays idle and nothing is fetched. */
type KeyOf<S, K> = (state: S) => K | null | undefined

/**
 * A field filled from a resource by a key read from its store's state: `{ status, data, error }`.
 * When the key changes, the field turns `loading` in that same transaction, the previous fetch is
 * aborted, and the new one lands when it answers (origin `query`, an EffectOp of kind
 * `trait-source`); an answer for a key that is no longer current is dropped. Fetches start once
 * the runtime is ready.
 *
 * - `source(collection, state => id)`: the entity with that id, read through the execution kernel
 *   (policies, retries, fallback; the item lands in the collection) and kept live: a later change to
 *   it in the collection (an optimistic write, sync) shows in the field.
 * - `source(queryFn, state => key)`: anything else; wrap a QueryClient's `fetchQuery` in `queryFn`
 *   for caching and deduplication across fields.
 */
export function source<T, S = never>(collection: CollectionDef<T>, keyOf: KeyOf<S, Id>): Trait
export function source<K, T, S = never>(query: QueryFn<K, T>, keyOf: KeyOf<S, K>): Trait
export function source(
  resource: CollectionDef | QueryFn<unknown, unknown>,
  keyOf: KeyOf<never, unknown>,
): Trait {
  if (typeof keyOf !== 'function')
    throw new AtomaError('INVALID_ARGUMENT', 'source(resource, keyOf): keyOf must be a function')
  const collection = typeof resource === 'function' ? undefined : resource
  if (collection !== undefined && (collection?.kind !== 'collection' || typeof collection.key !== 'string'))
    throw new AtomaError(
      'INVALID_ARGUMENT',
      collection?.kind === 'collection'
        ? `source(${collection.name}): the collection's key is a function; a source reads an entity by its key field, so define the collection with key: '<field>' (or pass a query function)`
        : 'source(resource, keyOf): resource must be a collection definition or a query function',
    )
  const resourceId = collection ? collection.name : (resource as QueryFn<unknown, unknown>).name || 'query'
  const readKey = keyOf as (state: State) => unknown
  const trait: StepTrait = {
    kind: 'trait-source',
    attach: attachStep,
    [SPEC]: {
      resourceId,
      ...(collection ? { from: collection.name } : {}),
      step: (store, field) =>
        sourceStep(store, field, readKey, resourceId, (runtime, who) => {
          if (!collection) {
            const query = resource as QueryFn<unknown, unknown>
            return { load: (key, signal) => query(key, { signal }) }
          }
          const handle = handleOf(runtime.runtime, collection, who)
          const where = collection.key as unknown as string
          return {
            load: (key, signal) =>
              handle
                .query({ where: { [where]: key } } as Query<unknown>, { signal })
                .then(() => handle.get(key as Id)),
            watch: (key, update) => handle.subscribeEntity(key as Id, update),
          }
        }),
    },
  }
  return trait
}

interface Resource {
  load(key: unknown, signal: AbortSignal): unknown
  /** Collections: follow the entity after it landed. */
  watch?(key: unknown, update: (data: unknown) => void): () => void
}

/** The fetch behind one key: aborted, and its watch stopped, when the key changes. */
interface Current {
  hash: string
  stop(): void
}

function sourceStep(
  store: string,
  field: string,
  keyOf: (state: State) => unknown,
  resourceId: string,
  connect: (runtime: PluginRuntime, who: string) => Resource,
): Step {
  const name = `${store}.${field}`
  const origin = { kind: 'query', name: `source ${resourceId}` } as const
  let host: PluginRuntime | undefined
  let resource: Resource | undefined
  let running = false
  let disposed = false
  let scheduled = false
  let current: Current | undefined

  const hashOf = (state: State) => {
    const key = keyOf(state)
    return key === null || key === undefined ? undefined : hashKey(key)
  }
  const commit = (runtime: PluginRuntime, entry: Current, value: SourceState<unknown>) => {
    // Only for the key the store holds now: an answer for an older key is dropped.
    if (disposed || current !== entry || hashOf(runtime.getState(store) as State) !== entry.hash) return
    try {
      runtime.transact(
        store,
        (draft: State) => {
          draft[field] = value
        },
        origin,
      )
    } catch (error) {
      runtime.diagnostic('logic::trait_failed', `source ${name} could not land: ${String(error)}`, {
        store,
        field,
      })
    }
  }

  const fetch = (runtime: PluginRuntime, on: Resource, key: unknown, entry: Current) => {
    const controller = new AbortController()
    let unwatch: (() => void) | undefined
    entry.stop = () => {
      controller.abort(new DOMException(`the key of ${name} changed`, 'AbortError'))
      unwatch?.()
    }
    const meta: EffectOpMeta = { store, fieldPath: field, resourceId, key: keyLabel(key) }
    const settle = (value: SourceState<unknown>) => {
      commit(runtime, entry, value)
      if (value.status === 'success' && on.watch && current === entry)
        unwatch = on.watch(key, (data) =>
          commit(runtime, entry, { status: 'success', data, error: undefined }),
        )
    }
    const failed = (error: unknown) => {
      if (!controller.signal.aborted) settle({ status: 'error', data: undefined, error: toErrorInfo(error) })
    }
    try {
      const answer = runtime.runOp({
        id: `trait:${name}`,
        kind: 'trait-source',
        name,
        payload: key,
        meta,
        run: () => on.load(key, controller.signal),
      })
      Promise.resolve(answer).then((data) => settle({ status: 'success', data, error: undefined }), failed)
    } catch (error) {
      failed(error)
    }
  }

  // After a commit (never inside one: the transaction that changed the key may still fail).
  const reconcile = () => {
    scheduled = false
    if (!running || disposed || !host || !resource) return
    const state = host.getState(store) as State
    const key = keyOf(state)
    const hash = key === null || key === undefined ? undefined : hashKey(key)
    if (current?.hash === hash) return
    current?.stop()
    current = undefined
    if (hash === undefined) return
    const entry: Current = { hash, stop() {} }
    current = entry
    const status = (state[field] as Partial<SourceState<unknown>> | undefined)?.status
    // Hydrated or travelled to: what the field holds is for this key already.
    if (status === 'success' || status === 'error') {
      const { watch } = resource
      if (status === 'success' && watch) {
        const runtime = host
        entry.stop = watch(key, (data) =>
          commit(runtime, entry, { status: 'success', data, error: undefined }),
        )
      }
      return
    }
    fetch(host, resource, key, entry)
  }

  return {
    deps: undefined,
    run(pass, base) {
      const hash = hashOf(pass.state())
      if (base !== undefined && hash === hashOf(base)) return
      const next = hash === undefined ? sourceIdle : LOADING
      if (!Object.is(pass.get(field), next)) pass.set(field, next)
      if (running && !scheduled) {
        scheduled = true
        queueMicrotask(reconcile)
      }
    },
    start(runtime) {
      host = runtime
      resource = connect(runtime, `source(${resourceId}) into ${name}`)
      // The run phase: once every plugin has started (a failed one is reported by the runtime).
      Promise.resolve()
        .then(() => runtime.runtime.ready())
        .catch(() => {})
        .then(() => {
          running = !disposed
          reconcile()
        })
    },
    dispose() {
      disposed = true
      current?.stop()
      current = undefined
    },
  }
}

/** Keys compare by value, as query keys do: `['u', 1]` and `['u', 1]` are the same key. */
function hashKey(key: unknown): string {
  return JSON.stringify(key, (_, value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  )
}

function keyLabel(key: unknown): string {
  return typeof key === 'string' || typeof key === 'number' ? String(key) : hashKey(key)
}
