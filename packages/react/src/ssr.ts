import type {
  CollectionDef,
  DehydratedState,
  MergePolicy,
  Query,
  Runtime,
  WritebackItem,
} from '@atoma/runtime'
import {
  type DehydratedState as DehydratedQueries,
  dehydrate as dehydrateQueries,
  hydrate as hydrateQueries,
  type QueryClient,
} from '@tanstack/query-core'
import { clientFor } from './queryClients.js'
import { fetchView } from './queryData.js'
import { infiniteQueryKey, queryKey } from './queryKey.js'

/**
 * What the server sends the client: the runtime's stores and query-core's cache of the same
 * render (the queries that succeeded, with when they were fetched), so the client's first render
 * is `success` with the server's data and a query fresh within its `staleTime` is not fetched again.
 * JSON-friendly.
 */
export interface AtomaDehydratedState {
  runtime: DehydratedState
  queries: DehydratedQueries
}

type DehydratedQuery = DehydratedQueries['queries'][number]

/** The runtime's stores and its QueryClient's successful queries (the provider's, by default). */
export function dehydrate(
  runtime: Runtime,
  queryClient: QueryClient = clientFor(runtime),
): AtomaDehydratedState {
  return { runtime: runtime.dehydrate(), queries: dehydrateQueries(queryClient) }
}

/** The options of `prefetchQuery`: the fetch's merge policy and how long its result stays fresh. */
export interface PrefetchOptions {
  merge?: MergePolicy
  /** A cached result younger than this is not fetched again (default 0: always fetch). */
  staleTime?: number
  /** The QueryClient to fill (default: the runtime's, which its `RuntimeProvider` uses). */
  queryClient?: QueryClient
}

/**
 * Fetches `query` through the kernel into the runtime's stores and query-core's cache, as
 * `useQuery(collection, query)` would: `dehydrate` then carries both, so the page renders
 * `success` on the server and on hydration. Never rejects (a failure is not dehydrated, and the
 * client fetches again), as query-core's `prefetchQuery`.
 */
export async function prefetchQuery<T>(
  runtime: Runtime,
  collection: CollectionDef<T>,
  query: Query<T>,
  options: PrefetchOptions = {},
): Promise<void> {
  const handle = runtime.store(collection)
  const client = options.queryClient ?? clientFor(runtime)
  await client.prefetchQuery({
    queryKey: queryKey(collection, query),
    queryFn: ({ signal }) => fetchView(handle, query, options.merge, signal),
    ...(options.staleTime === undefined ? {} : { staleTime: options.staleTime }),
  })
}

/** The options of `prefetchInfiniteQuery`: `prefetchQuery`'s, and how many pages to load. */
export interface PrefetchInfiniteOptions extends PrefetchOptions {
  /** Pages to load (default 1), following `getNextPageParam`. */
  pages?: number
  /** The next page's cursor (or offset), as `useInfiniteQuery`'s; default: the node's `meta.cursor`. */
  getNextPageParam?: (lastPage: { meta: { cursor?: string } }) => string | number | undefined
}

/** `prefetchQuery` for `useInfiniteQuery(collection, query, …)`: its first page (or `pages` pages). */
export async function prefetchInfiniteQuery<T>(
  runtime: Runtime,
  collection: CollectionDef<T>,
  query: Query<T>,
  options: PrefetchInfiniteOptions = {},
): Promise<void> {
  const handle = runtime.store(collection)
  const client = options.queryClient ?? clientFor(runtime)
  const next = options.getNextPageParam ?? ((page) => page.meta.cursor)
  await client.prefetchInfiniteQuery({
    queryKey: infiniteQueryKey(collection, query),
    queryFn: ({ signal, pageParam }) => fetchView(handle, pageQuery(query, pageParam), options.merge, signal),
    initialPageParam: undefined as string | number | undefined,
    getNextPageParam: (last) => next(last),
    pages: options.pages ?? 1,
    ...(options.staleTime === undefined ? {} : { staleTime: options.staleTime }),
  })
}

/** The query of one page: a string page param is the cursor `after`, a number the `offset`. */
export function pageQuery<T>(query: Query<T>, pageParam: unknown): Query<T> {
  if (typeof pageParam === 'string') return { ...query, after: pageParam }
  if (typeof pageParam === 'number') return { ...query, offset: pageParam }
  return query
}

/** Runtimes already hydrated once: later hydrations merge instead of replacing. */
const hydrated = new WeakSet<Runtime>()

/** What a hydration left to do after its synchronous part. */
export interface Hydration {
  /** Items merged into collections the client already holds data in (`applyWriteback`), if any. */
  landing?: Promise<void>
  /** Queries the client's cache already has: hydrated outside render (they have observers). */
  existing: DehydratedQuery[]
}

/**
 * Brings server state into a client runtime and its QueryClient. Synchronously: every collection
 * the client holds nothing of (as on a fresh runtime, so `hydrateRoot` matches the server's
 * HTML), plain stores on the runtime's first hydration only (later the client's UI state wins),
 * and the queries new to the cache. Collections the client already holds items of are merged
 * item by item (`applyWriteback`: pending writes stay on top, an older version never overwrites
 * a newer one), which may be asynchronous (schemas): `landing`.
 */
export function startHydration(
  runtime: Runtime,
  client: QueryClient,
  state: AtomaDehydratedState,
): Hydration {
  if (!state || typeof state !== 'object' || !state.runtime || !state.queries)
    throw new TypeError('hydrate: the state is not the output of dehydrate(runtime) from @atoma/react')
  const first = !hydrated.has(runtime)
  hydrated.add(runtime)
  const held = runtime.dehydrate().stores
  const now: DehydratedState = { atoma: 1, stores: {} }
  const merges: Promise<unknown>[] = []
  for (const [name, stored] of Object.entries(state.runtime.stores ?? {})) {
    const mine = held?.[name]
    if (!('entries' in stored)) {
      if (first) now.stores[name] = stored
      continue
    }
    if (mine === undefined || ('entries' in mine && mine.entries.length === 0)) {
      now.stores[name] = stored
      continue
    }
    const versions = new Map(stored.versions)
    const heldIds = new Set('entries' in mine ? mine.entries.map(([id]) => id) : [])
    const heldVersions = new Map('versions' in mine ? mine.versions : [])
    const items: WritebackItem[] = []
    for (const [id, value] of stored.entries) {
      const version = versions.get(id)
      const known = heldVersions.get(id)
      // What the client holds at this version or a newer one has nothing to learn from the server.
      if (heldIds.has(id) && version !== undefined && known !== undefined && known >= version) continue
      items.push(version === undefined ? { id, value } : { id, value, version })
    }
    if (items.length === 0) continue
    merges.push(runtime.applyWriteback({ store: name, items, origin: 'query' }))
  }
  runtime.hydrate({ ...state.runtime, stores: now.stores })
  const cache = client.getQueryCache()
  const queries = state.queries.queries ?? []
  const fresh = queries.filter((query) => !cache.get(query.queryHash))
  const existing = queries.filter((query) => cache.get(query.queryHash))
  hydrateQueries(client, { queries: fresh, mutations: state.queries.mutations ?? [] })
  if (merges.length === 0) return { existing }
  return { landing: Promise.all(merges).then(noop), existing }
}

/**
 * Hydrates `state` (from `dehydrate`) into a client runtime and its QueryClient (the provider's
 * by default): synchronously where the client holds nothing yet — so call it before the first
 * render, or pass `initialState` to `RuntimeProvider` — and merged where it holds data; resolves
 * when everything landed.
 */
export async function hydrate(
  runtime: Runtime,
  state: AtomaDehydratedState,
  queryClient: QueryClient = clientFor(runtime),
): Promise<void> {
  const { landing, existing } = startHydration(runtime, queryClient, state)
  hydrateQueries(queryClient, { queries: existing })
  await landing
}

function noop(): void {}
