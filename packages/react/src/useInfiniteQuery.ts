import type { AtomaError, CollectionDef, ExecutionMeta, Query } from '@atoma/runtime'
import {
  type InfiniteData,
  InfiniteQueryObserver,
  type InfiniteQueryObserverOptions,
  notifyManager,
} from '@tanstack/query-core'
import { useCallback, useDebugValue, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import withSelector from 'use-sync-external-store/with-selector'
import { useAtomaContext } from './context.js'
import { type AtomaQueryData, fetchView, itemsOf } from './queryData.js'
import { type AtomaQueryKey, infiniteQueryKey } from './queryKey.js'
import { useRenderTrace } from './renderTrace.js'
import { pageQuery } from './ssr.js'
import { noop, type UseQueryOptions } from './useQuery.js'

const { useSyncExternalStoreWithSelector } = withSelector

/** Where a page starts: a cursor (the query's `after`), an offset, or `undefined` for the first. */
export type PageParam = string | number | undefined

/** One page of an infinite query: its items as the store holds them now, and how it was read. */
export interface InfinitePage<T> {
  readonly items: readonly T[]
  /** `meta.cursor` is the node's cursor after this page (absent on the last). */
  readonly meta: ExecutionMeta
}

/** The options of `useInfiniteQuery`. */
export interface UseInfiniteQueryOptions<T>
  extends Omit<UseQueryOptions<T>, 'select' | 'placeholderData' | 'initialData' | 'initialDataUpdatedAt'> {
  /**
   * Where the page after `lastPage` starts, or `undefined`/`null` when there is none:
   * `(last) => last.meta.cursor` for the node's cursor, or an offset such as `all.length * 20`.
   */
  getNextPageParam: (
    lastPage: InfinitePage<T>,
    allPages: InfinitePage<T>[],
    lastPageParam: PageParam,
    allPageParams: PageParam[],
  ) => PageParam | null
  /** The first page's param (default `undefined`: the query as it is). */
  initialPageParam?: PageParam
  /** Pages kept at most (older ones are dropped as new ones load; default all). */
  maxPages?: number
}

/** What `useInfiniteQuery` returns: the pages from the store, and the fetch state. */
export interface UseInfiniteQueryResult<T> {
  /** `undefined` until the first page arrived. Each page is live, bounded like a `useQuery` page. */
  data: { pages: InfinitePage<T>[]; pageParams: PageParam[] } | undefined
  /** Every page's items, in order. */
  items: readonly T[]
  status: 'pending' | 'error' | 'success'
  error: AtomaError | null
  isPending: boolean
  isSuccess: boolean
  isError: boolean
  isFetching: boolean
  isFetchingNextPage: boolean
  hasNextPage: boolean
  /** Loads the next page (never rejects: a failure lands in `error`). */
  fetchNextPage: () => Promise<void>
  /** Fetches every loaded page again, from the first. */
  refetch: () => Promise<void>
}

type Pages<T> = InfiniteData<AtomaQueryData<T>, PageParam>
type CoreOptions<T> = InfiniteQueryObserverOptions<
  AtomaQueryData<T>,
  AtomaError,
  Pages<T>,
  AtomaQueryKey,
  PageParam
>

/**
 * Cursor pagination over the kernel: query-core's infinite query, each page a kernel read of
 * `query` after the previous page's cursor (`after`, or `offset` for a number), landed in the
 * store. A page shows what the backend returned between its bounds, kept live: an optimistic
 * create appears on the loaded page where the order puts it.
 */
export function useInfiniteQuery<T>(
  collection: CollectionDef<T>,
  query: Query<T>,
  options: UseInfiniteQueryOptions<T>,
): UseInfiniteQueryResult<T> {
  const { runtime, queryClient } = useAtomaContext('useInfiniteQuery')
  const handle = runtime.store(collection)
  const latest = useRef(options)
  latest.current = options
  const pageOf = useCallback(
    (data: AtomaQueryData<T>): InfinitePage<T> => ({
      meta: data.meta,
      get items() {
        return itemsOf(handle, collection, data)
      },
    }),
    [handle, collection],
  )
  // One function per hook: query-core calls it on every result, with the latest options.
  const getNextPageParam = useCallback<CoreOptions<T>['getNextPageParam']>(
    (last, all, lastParam, allParams) =>
      latest.current.getNextPageParam(pageOf(last), all.map(pageOf), lastParam, allParams),
    [pageOf],
  )
  const { merge, name, getNextPageParam: _next, initialPageParam, ...lifecycle } = options
  const core: CoreOptions<T> = {
    queryKey: infiniteQueryKey(collection, query),
    queryFn: ({ signal, pageParam }) => fetchView(handle, pageQuery(query, pageParam), merge, signal),
    initialPageParam,
    getNextPageParam,
    structuralSharing: false,
    retry: (queryClient.getDefaultOptions().queries?.retry as CoreOptions<T>['retry']) ?? false,
  }
  for (const [option, value] of Object.entries(lifecycle))
    if (value !== undefined) Object.assign(core, { [option]: value })
  const defaulted = queryClient.defaultQueryOptions(core as never) as unknown as CoreOptions<T>
  defaulted.notifyOnChangeProps = [
    'status',
    'error',
    'isFetching',
    'data',
    'hasNextPage',
    'isFetchingNextPage',
  ]
  ;(defaulted as { _optimisticResults?: string })._optimisticResults = 'optimistic'

  const [observer] = useState(() => new InfiniteQueryObserver(queryClient, defaulted))
  const result = observer.getOptimisticResult(defaulted as never)
  useSyncExternalStore(
    useCallback(
      (onChange: () => void) => {
        const unsubscribe = observer.subscribe(notifyManager.batchCalls(onChange))
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

  const raw = result.data
  const subscribe = useCallback((onChange: () => void) => handle.subscribe(() => onChange()), [handle])
  const select = useCallback(
    (_state: unknown): readonly (readonly T[])[] =>
      raw === undefined ? NO_PAGES : raw.pages.map((page) => itemsOf(handle, collection, page)),
    [handle, collection, raw],
  )
  const pageItems = useSyncExternalStoreWithSelector(
    subscribe,
    handle.getState,
    handle.getState,
    select,
    samePages,
  )
  // biome-ignore lint/correctness/useHookAtTopLevel: `runtime.debug` is fixed for a mounted tree (see useRenderTrace).
  if (runtime.debug) useRenderTrace(runtime.debug, handle.name, pageItems, 'useInfiniteQuery', name)
  const data = useMemo(
    () =>
      raw === undefined
        ? undefined
        : {
            pages: raw.pages.map((page, i) => ({ items: pageItems[i] ?? NO_ITEMS, meta: page.meta })),
            pageParams: raw.pageParams,
          },
    [raw, pageItems],
  )
  const items = useMemo(() => pageItems.flat(), [pageItems])
  const fetchNextPage = useCallback(() => observer.fetchNextPage().then(noop), [observer])
  const refetch = useCallback(() => observer.refetch().then(noop), [observer])
  useDebugValue(result.status)
  return {
    data,
    items,
    status: result.status,
    error: result.error,
    isPending: result.isPending,
    isSuccess: result.isSuccess,
    isError: result.isError,
    isFetching: result.isFetching,
    isFetchingNextPage: result.isFetchingNextPage,
    hasNextPage: result.hasNextPage,
    fetchNextPage,
    refetch,
  }
}

const NO_PAGES: readonly (readonly never[])[] = []
const NO_ITEMS: readonly never[] = []

function samePages<T>(a: readonly (readonly T[])[], b: readonly (readonly T[])[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x.length !== y.length) return false
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false
  }
  return true
}
