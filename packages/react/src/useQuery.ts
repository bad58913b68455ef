import {
  type AtomaError,
  type CollectionDef,
  type CollectionHandle,
  isAtomaError,
  type MergePolicy,
  type Query,
  type QueryResult,
} from '@atoma/runtime'
import {
  type DefaultedQueryObserverOptions,
  environmentManager,
  notifyManager,
  QueryObserver,
  type QueryObserverOptions,
} from '@tanstack/query-core'
import { useCallback, useDebugValue, useEffect, useState, useSyncExternalStore } from 'react'
import withSelector from 'use-sync-external-store/with-selector'
import { useAtomaContext } from './context.js'
import { useRenderTrace } from './renderTrace.js'
import { stableStringify } from './stableStringify.js'

const { useSyncExternalStoreWithSelector } = withSelector

/** `['atoma', store, stableStringify(query)]`: one cache entry per store and query content. */
export type AtomaQueryKey = readonly ['atoma', string, string]

type CoreOptions<T> = QueryObserverOptions<
  QueryResult<T>,
  AtomaError,
  QueryResult<T>,
  QueryResult<T>,
  AtomaQueryKey
>

/** The fetch life-cycle options, passed to query-core as they are. */
export interface UseQueryOptions<T>
  extends Pick<
    CoreOptions<T>,
    'staleTime' | 'retry' | 'retryDelay' | 'enabled' | 'refetchOnWindowFocus' | 'refetchInterval' | 'gcTime'
  > {
  /** What happens to local items the result does not contain (default `replace`). */
  merge?: MergePolicy
  /** The component's name in render tracing (by default derived from the stack in development). */
  name?: string
}

/** What `useQuery` returns: the items from the store and the state of the fetch. */
export interface UseQueryResult<T> {
  /**
   * The query evaluated over the store, pending writes included: an optimistic write shows here at
   * once. Before the first fetch it is the local evaluation (possibly empty). The same array while
   * its items are the same objects.
   */
  data: readonly T[]
  /** query-core's status of the fetch: `pending` until the first fetch settles. */
  status: 'pending' | 'error' | 'success'
  error: AtomaError | null
  isFetching: boolean
  /** Fetches again; never rejects (a failure lands in `error`). */
  refetch: () => Promise<void>
}

/**
 * A collection query (docs/architecture.md §5): query-core runs the fetch life-cycle (dedupe, staleTime,
 * retries, refetch, gc) with the kernel read as its `queryFn`, which lands the result in the store;
 * `data` is always read from the store.
 */
export function useQuery<T>(
  collection: CollectionDef<T>,
  query: Query<T>,
  options: UseQueryOptions<T> = {},
): UseQueryResult<T> {
  const { result, data, refetch } = useAtomaQuery('useQuery', collection, query, options, false)
  return { data, status: result.status, error: result.error, isFetching: result.isFetching, refetch }
}

/**
 * What `useQuery` and `useSuspenseQuery` share: the observer, subscribed the way
 * `@tanstack/react-query`'s `useBaseQuery` does, and the store evaluation.
 */
export function useAtomaQuery<T>(
  hook: string,
  collection: CollectionDef<T>,
  query: Query<T>,
  options: UseQueryOptions<T>,
  suspense: boolean,
) {
  const { runtime, queryClient } = useAtomaContext(hook)
  const handle = runtime.store(collection)
  const key = stableStringify(query)
  const defaulted = queryClient.defaultQueryOptions(coreOptions(handle, query, key, options))
  // Fixed rather than tracked props: the hook always reads these three; `data` comes from the store.
  defaulted.notifyOnChangeProps = ['status', 'error', 'isFetching']
  defaulted._optimisticResults = 'optimistic'
  if (defaulted.retry === undefined && !environmentManager.isServer()) defaulted.retry = retryRetryable
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

  const data = useStoreQuery(handle, query, key)
  // biome-ignore lint/correctness/useHookAtTopLevel: `runtime.debug` is fixed for a mounted tree (see useRenderTrace).
  if (runtime.debug) useRenderTrace(runtime.debug, handle.name, data, hook, options.name)
  const refetch = useCallback(() => observer.refetch().then(noop), [observer])
  useDebugValue(result.status)
  return { result, data, refetch }
}

/** The query evaluated over the store, memoized by state and kept while its items are the same. */
function useStoreQuery<T>(handle: CollectionHandle<T>, query: Query<T>, key: string): readonly T[] {
  const subscribe = useCallback((onChange: () => void) => handle.subscribe(() => onChange()), [handle])
  // `key` is the query's content: a new but equal query object must not evaluate again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `query` is represented by `key`.
  const evaluate = useCallback(
    // with-selector calls this with the state `getState` just returned, which is the state
    // `evaluate` reads: the selection always belongs to its snapshot.
    (_state: unknown): readonly T[] => handle.evaluate(query),
    [handle, key],
  )
  return useSyncExternalStoreWithSelector(subscribe, handle.getState, handle.getState, evaluate, sameItems)
}

function coreOptions<T>(
  handle: CollectionHandle<T>,
  query: Query<T>,
  key: string,
  options: UseQueryOptions<T>,
): CoreOptions<T> {
  const { merge, name: _name, ...lifecycle } = options
  const core: CoreOptions<T> = {
    queryKey: ['atoma', handle.name, key],
    queryFn: ({ signal }) => handle.query(query, merge ? { signal, merge } : { signal }),
    // The cached result is never rendered (data comes from the store): skip deep comparison.
    structuralSharing: false,
  }
  // Only the options given: an explicit `undefined` would override the QueryClient's defaults.
  for (const [option, value] of Object.entries(lifecycle))
    if (value !== undefined) Object.assign(core, { [option]: value })
  return core
}

/**
 * The default retry: the kernel already retried within its policy, so query-core retries only
 * what can still succeed later (transport, timeout), never a validation or not-found error.
 */
function retryRetryable(failureCount: number, error: AtomaError): boolean {
  return failureCount < 3 && (!isAtomaError(error) || error.retryable)
}

/** As react-query's `ensureSuspenseTimers`: a suspended render must not refetch when it resumes. */
function suspenseOptions<T>(
  options: DefaultedQueryObserverOptions<
    QueryResult<T>,
    AtomaError,
    QueryResult<T>,
    QueryResult<T>,
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

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function noop(): void {}
