/**
 * The part of `@tanstack/query-core`'s QueryClient the Queries and Mutations views use, typed
 * here rather than imported: the bindings attach their client to the runtime as an opaque value,
 * and the panel checks its shape before use, so it never depends on query-core's version.
 */
export interface QueryLike {
  readonly queryKey: readonly unknown[]
  readonly queryHash: string
  readonly options: Record<string, unknown>
  readonly state: {
    status: 'pending' | 'error' | 'success'
    fetchStatus: 'fetching' | 'paused' | 'idle'
    data: unknown
    error: unknown
    dataUpdatedAt: number
    errorUpdatedAt: number
    fetchMeta: unknown
  }
  getObserversCount(): number
  isStale(): boolean
  fetch(options?: Record<string, unknown>): Promise<unknown>
  setState(state: Record<string, unknown>): void
  cancel(options?: { silent?: boolean }): Promise<void>
}

export interface MutationLike {
  readonly mutationId: number
  readonly state: {
    status: 'idle' | 'pending' | 'success' | 'error'
    variables: unknown
    data: unknown
    error: unknown
    submittedAt: number
    failureCount: number
  }
}

interface CacheLike<T> {
  getAll(): T[]
  subscribe(listener: () => void): () => void
}

export interface QueryClientLike {
  getQueryCache(): CacheLike<QueryLike>
  getMutationCache(): CacheLike<MutationLike>
  refetchQueries(filters: { queryKey: readonly unknown[]; exact: true }): Promise<void>
  invalidateQueries(filters: { queryKey: readonly unknown[]; exact: true }): Promise<void>
  resetQueries(filters: { queryKey: readonly unknown[]; exact: true }): Promise<void>
  removeQueries(filters: { queryKey: readonly unknown[]; exact: true }): void
}

const METHODS = [
  'getQueryCache',
  'getMutationCache',
  'refetchQueries',
  'invalidateQueries',
  'resetQueries',
  'removeQueries',
]

export function isQueryClient(value: unknown): value is QueryClientLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    METHODS.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
  )
}

export type QueryStatus = 'fresh' | 'stale' | 'fetching' | 'paused' | 'inactive'

/** As TanStack Query Devtools labels a query. */
export function queryStatusOf(query: QueryLike): QueryStatus {
  if (query.state.fetchStatus === 'fetching') return 'fetching'
  if (query.getObserversCount() === 0) return 'inactive'
  if (query.state.fetchStatus === 'paused') return 'paused'
  return query.isStale() ? 'stale' : 'fresh'
}

const PREVIOUS = '__atomaDevtoolsPrevious'

/** The options a triggered loading state replaced, kept in `fetchMeta` as TanStack's devtools do. */
function previousOptions(query: QueryLike): Record<string, unknown> | undefined {
  const meta = query.state.fetchMeta as Record<string, unknown> | null
  const previous = meta?.[PREVIOUS]
  return typeof previous === 'object' && previous !== null ? (previous as Record<string, unknown>) : undefined
}

export function isTriggeredLoading(query: QueryLike): boolean {
  return previousOptions(query) !== undefined && query.state.status === 'pending'
}

/**
 * Puts a query in the loading state with a fetch that never settles (no request goes out), so
 * the app's loading UI shows; a second call restores the query and fetches it for real.
 */
export function toggleLoading(query: QueryLike): void {
  const previous = previousOptions(query)
  if (previous && query.state.status === 'pending') {
    const state = query.state
    void query.cancel({ silent: true })
    query.setState({ ...state, fetchStatus: 'idle', fetchMeta: null })
    void query.fetch(previous)
    return
  }
  const options = query.options
  void query.fetch({ ...options, queryFn: () => new Promise(() => {}), gcTime: -1 })
  query.setState({
    data: undefined,
    status: 'pending',
    fetchMeta: { ...(query.state.fetchMeta as object), [PREVIOUS]: options },
  })
}

/** Puts a query in the error state with `error` (nothing is fetched); a reset brings it back. */
export function toggleError(client: QueryClientLike, query: QueryLike, error: Error): void {
  if (query.state.status === 'error') {
    void client.resetQueries({ queryKey: query.queryKey, exact: true })
    return
  }
  query.setState({
    status: 'error',
    error,
    fetchMeta: { ...(query.state.fetchMeta as object), [PREVIOUS]: query.options },
  })
}

/** Every attached query client of the runtimes on the page that has one, by runtime label. */
export function queryClientsOf(
  labels: readonly string[],
  instance: (label: string) => { queryClients?(): readonly unknown[] } | undefined,
): Array<{ label: string; client: QueryClientLike; index: number }> {
  const out: Array<{ label: string; client: QueryClientLike; index: number }> = []
  for (const label of labels) {
    const clients = instance(label)?.queryClients?.() ?? []
    const seen = new Set<unknown>()
    clients.forEach((client, index) => {
      if (isQueryClient(client) && !seen.has(client)) {
        seen.add(client)
        out.push({ label, client, index })
      }
    })
  }
  return out
}
