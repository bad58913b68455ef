import type { AtomaError, CollectionDef, CollectionHandle, MergePolicy, Query } from '@atoma/runtime'
import {
  type DefaultedQueryObserverOptions,
  hashKey,
  notifyManager,
  QueryObserver,
  type QueryObserverOptions,
  type QueryObserverResult,
} from '@tanstack/query-core'
import { useCallback, useDebugValue, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import withSelector from 'use-sync-external-store/with-selector'
import { useAtomaContext } from './context.js'
import { type AtomaCached, type AtomaQueryData, fetchView, isPaged, itemsOf, landSeed } from './queryData.js'
import { type AtomaQueryKey, queryKey } from './queryKey.js'
import { useRenderTrace } from './renderTrace.js'

const { useSyncExternalStoreWithSelector } = withSelector

type CoreOptions<T> = QueryObserverOptions<
  AtomaCached<T>,
  AtomaError,
  AtomaCached<T>,
  AtomaCached<T>,
  AtomaQueryKey
>

/** The fetch life-cycle options, passed to query-core as they are. */
export interface UseQueryOptions<T, U = readonly T[]>
  extends Pick<
    CoreOptions<T>,
    | 'staleTime'
    | 'retry'
    | 'retryDelay'
    | 'enabled'
    | 'refetchOnWindowFocus'
    | 'refetchOnMount'
    | 'refetchOnReconnect'
    | 'refetchInterval'
    | 'gcTime'
    | 'initialDataUpdatedAt'
  > {
  /** What happens to local items the result does not contain (default `replace`). */
  merge?: MergePolicy
  /** The component's name in render tracing (by default derived from the stack in development). */
  name?: string
  /** Derives `data` from the items (re-run when they change or `select` does; memoize it to keep it). */
  select?: (items: readonly T[]) => U
  /**
   * Shown while the query is pending, with `status: 'success'` and `isPlaceholderData`: items, or a
   * function of the previous query's items (live) — `keepPreviousData` keeps the previous page
   * while the next one fetches.
   */
  placeholderData?: readonly T[] | ((previous: readonly T[] | undefined) => readonly T[] | undefined)
  /**
   * The result already known (e.g. from a parent's data): cached as fetched at
   * `initialDataUpdatedAt` (default now), so it is refetched only once stale. Its items land in
   * the store (a `query` commit) after the first render and are live from then on.
   */
  initialData?: readonly T[] | (() => readonly T[] | undefined)
}

/** What `useQuery` returns: the items from the store and the state of the fetch (query-core's). */
export interface UseQueryResult<U> {
  /**
   * The query's items as the store holds them, pending writes included, so an optimistic write
   * shows at once; `select`'s result when given. A page (`limit`/`offset`/`after`) is the page the
   * backend returned, kept live: empty until it arrived (or the placeholder). Before the first
   * fetch of a query that is not paged, the local evaluation (possibly empty). The same array
   * while its items are the same objects.
   */
  data: U
  /** `pending` until the first fetch settles (or a placeholder shows). */
  status: 'pending' | 'error' | 'success'
  fetchStatus: 'fetching' | 'paused' | 'idle'
  error: AtomaError | null
  isPending: boolean
  isSuccess: boolean
  isError: boolean
  /** Pending and fetching: the first fetch is on its way. */
  isLoading: boolean
  isFetching: boolean
  isPlaceholderData: boolean
  /** When the shown result was fetched (ms since epoch; 0 before). */
  dataUpdatedAt: number
  /** Fetches again; never rejects (a failure lands in `error`). */
  refetch: () => Promise<void>
}

/**
 * A collection query (docs/architecture.md §5): query-core runs the fetch life-cycle (dedupe, staleTime,
 * refetch, gc) with the kernel read as its `queryFn`, which lands the result in the store;
 * `data` is always read from the store. One retry layer: the kernel retries a read within its
 * policy (backoff, idempotency, circuit breaker), so query-core does not, unless `retry` (or the
 * QueryClient's default) asks it to, and `error` is the failure itself.
 */
export function useQuery<T, U = readonly T[]>(
  collection: CollectionDef<T>,
  query: Query<T>,
  options: UseQueryOptions<T, U> = {},
): UseQueryResult<U> {
  const { result, data, refetch } = useAtomaQuery('useQuery', collection, query, options, false)
  return toResult(result, data, refetch)
}

export function toResult<U>(
  result: QueryObserverResult<unknown, AtomaError>,
  data: U,
  refetch: () => Promise<void>,
): UseQueryResult<U> {
  return {
    data,
    status: result.status,
    fetchStatus: result.fetchStatus,
    error: result.error,
    isPending: result.isPending,
    isSuccess: result.isSuccess,
    isError: result.isError,
    isLoading: result.isLoading,
    isFetching: result.isFetching,
    isPlaceholderData: result.isPlaceholderData,
    dataUpdatedAt: result.dataUpdatedAt,
    refetch,
  }
}

/**
 * What `useQuery` and `useSuspenseQuery` share: the observer, subscribed the way
 * `@tanstack/react-query`'s `useBaseQuery` does, and the store evaluation.
 */
export function useAtomaQuery<T, U>(
  hook: string,
  collection: CollectionDef<T>,
  query: Query<T>,
  options: UseQueryOptions<T, U>,
  suspense: boolean,
) {
  const { runtime, queryClient } = useAtomaContext(hook)
  const handle = runtime.store(collection)
  const key = queryKey(collection, query)
  const hash = hashKey(key)
  // The callbacks query-core memoizes by identity read the latest options through this ref.
  const latest = useRef(options)
  latest.current = options
  const stable = useMemo(() => stableCallbacks(handle, collection, latest), [handle, collection])
  const defaulted = queryClient.defaultQueryOptions(
    coreOptions(
      handle,
      collection,
      query,
      key,
      options,
      stable,
      queryClient.getDefaultOptions().queries?.retry,
    ),
  )
  defaulted.notifyOnChangeProps = ['status', 'error', 'isFetching', 'data', 'isPlaceholderData']
  defaulted._optimisticResults = 'optimistic'
  if (suspense) suspenseOptions(defaulted)

  const [observer] = useState(() => new QueryObserver(queryClient, defaulted))
  const result = observer.getOptimisticResult(defaulted)
  useSyncExternalStore(
    useCallback(
      (onChange: () => void) => {
        const unsubscribe = observer.subscribe(notifyManager.batchCalls(onChange))
        // A fetch may have settled between render and subscription.
        observer.updateResult()
        return unsubscribe
      },
      [observer],
    ),
    () => observer.getCurrentResult(),
    () => observer.getCurrentResult(),
  )
  useEffect(() => {
    observer.setOptions(defaulted)
  }, [observer, defaulted])

  if (suspense) {
    // As react-query: suspend on the fetch while nothing was fetched yet (the promise settles
    // either way; a failure is then thrown below on the next render, to the error boundary).
    if (result.isPending) throw observer.fetchOptimistic(defaulted).then(noop, noop)
    if (result.isError && !result.isFetching && result.data === undefined) throw result.error
  }

  const cached = result.data
  useEffect(() => landSeed(runtime, handle, collection, cached), [runtime, handle, collection, cached])
  const items = useView(handle, collection, cached, isPaged(query) ? undefined : query, hash)
  // biome-ignore lint/correctness/useHookAtTopLevel: `runtime.debug` is fixed for a mounted tree (see useRenderTrace).
  if (runtime.debug) useRenderTrace(runtime.debug, handle.name, items, hook, options.name)
  const { select } = options
  const data = useMemo(() => (select ? select(items) : items) as U, [items, select])
  const refetch = useCallback(() => observer.refetch().then(noop), [observer])
  useDebugValue(result.status)
  return { result, data, refetch }
}

/**
 * The items a cached value shows, re-evaluated on each commit of the store and kept while they
 * are the same objects; without a value yet, `fallback` evaluated locally (a query that is not a
 * page: the instant result while the first fetch runs), else nothing.
 */
export function useView<T>(
  handle: CollectionHandle<T>,
  collection: CollectionDef<T>,
  cached: AtomaCached<T> | undefined,
  fallback: Query<T> | undefined,
  hash: string,
): readonly T[] {
  const subscribe = useCallback((onChange: () => void) => handle.subscribe(() => onChange()), [handle])
  // `hash` stands for `fallback`'s content: an equal new query object must not evaluate again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `fallback` is represented by `hash`.
  const evaluate = useCallback(
    // with-selector calls this with the state `getState` just returned, which is the state the
    // evaluation reads: the selection always belongs to its snapshot.
    (_state: unknown): readonly T[] => {
      if (cached !== undefined) return itemsOf(handle, collection, cached)
      return fallback === undefined ? NONE : handle.evaluate(fallback)
    },
    [handle, collection, cached, hash],
  )
  return useSyncExternalStoreWithSelector(subscribe, handle.getState, handle.getState, evaluate, sameItems)
}

interface StableCallbacks<T> {
  placeholderData: (previous: AtomaCached<T> | undefined) => AtomaCached<T> | undefined
}

/**
 * `placeholderData` for query-core, one function per hook: query-core keeps a placeholder while
 * the function is the same. It hands the previous query's cached value; the user's function gets
 * that value's items, and when it returns them unchanged (`keepPreviousData`) the previous value
 * itself is kept, so the previous page stays live.
 */
function stableCallbacks<T>(
  handle: CollectionHandle<T>,
  collection: CollectionDef<T>,
  latest: { current: Pick<UseQueryOptions<T>, 'placeholderData'> },
): StableCallbacks<T> {
  return {
    placeholderData: (previous) => {
      const given = latest.current.placeholderData
      if (given === undefined) return undefined
      if (typeof given !== 'function') return { placeholder: given }
      const items = previous === undefined ? undefined : itemsOf(handle, collection, previous)
      const next = given(items)
      if (next === undefined) return undefined
      return next === items && previous !== undefined ? previous : { placeholder: next }
    },
  }
}

function coreOptions<T, U>(
  handle: CollectionHandle<T>,
  collection: CollectionDef<T>,
  query: Query<T>,
  key: AtomaQueryKey,
  options: UseQueryOptions<T, U>,
  stable: StableCallbacks<T>,
  clientRetry: unknown,
): CoreOptions<T> {
  const { merge, name: _name, select: _select, placeholderData, initialData, ...lifecycle } = options
  const core: CoreOptions<T> = {
    queryKey: key,
    queryFn: ({ signal }) => fetchView(handle, query, merge, signal),
    // The cached value is a view, not the items: nothing to share structurally.
    structuralSharing: false,
    // One retry layer: the kernel's (its policy's attempts, backoff, idempotency and breaker).
    retry: clientRetry === undefined ? false : (clientRetry as CoreOptions<T>['retry']),
  }
  if (placeholderData !== undefined) core.placeholderData = stable.placeholderData
  if (initialData !== undefined)
    core.initialData = () => {
      const items = typeof initialData === 'function' ? initialData() : initialData
      return items === undefined ? undefined : seedOf(collection, query, items)
    }
  // Only the options given: an explicit `undefined` would override the QueryClient's defaults.
  for (const [option, value] of Object.entries(lifecycle))
    if (value !== undefined) Object.assign(core, { [option]: value })
  return core
}

/** initialData as a cached value: the query's view, pinned to the items when it is a page. */
function seedOf<T>(collection: CollectionDef<T>, query: Query<T>, items: readonly T[]): AtomaQueryData<T> {
  const { where, orderBy } = query
  const view: Query<T> = {
    ...(where === undefined ? {} : { where }),
    ...(orderBy === undefined ? {} : { orderBy }),
  }
  const seed: AtomaQueryData<T> = { view, meta: { source: 'local', route: [] }, seed: items }
  if (!isPaged(query)) return seed
  return { ...seed, ids: items.map((item) => collection.keyOf(item)) }
}

/** As react-query's `ensureSuspenseTimers`: a suspended render must not refetch when it resumes. */
function suspenseOptions<T>(
  options: DefaultedQueryObserverOptions<
    AtomaCached<T>,
    AtomaError,
    AtomaCached<T>,
    AtomaCached<T>,
    AtomaQueryKey
  >,
): void {
  const MIN_MS = 1000
  const staleTime = options.staleTime
  const clamp = (value: number | 'static' | undefined) =>
    value === 'static' ? value : Math.max(value ?? MIN_MS, MIN_MS)
  options.staleTime = typeof staleTime === 'function' ? (query) => clamp(staleTime(query)) : clamp(staleTime)
  if (typeof options.gcTime === 'number') options.gcTime = Math.max(options.gcTime, MIN_MS)
  options.suspense = true
  // An error goes to the error boundary; retrying it on the remount would suspend again forever.
  options.retryOnMount = false
}

const NONE: readonly never[] = []

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function noop(): void {}
