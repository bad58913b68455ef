import type { AtomaError } from '@atoma/runtime'
import { type Query, QueryClient } from '@tanstack/query-core'

/**
 * The QueryClient of a board (given to RuntimeProvider). Focus brings nothing new on the team
 * board, whose data stays live through pulls; failed loads are retried by `retryFailedLoads`.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { refetchOnWindowFocus: false, retryDelay: (failures) => Math.min(500 * 2 ** failures, 4000) },
    },
  })
}

/** What the board's loads are doing: any first load under way, and the error of one that failed. */
export interface LoadState {
  loading: boolean
  failed: AtomaError | null
}

const shown = (query: Query) => query.getObserversCount() > 0
const hasFailed = (query: Query) => shown(query) && query.state.status === 'error'

const states = new WeakMap<QueryClient, { get(): LoadState; subscribe(listener: () => void): () => void }>()

/** The load state of a client's shown queries, the same object until it changes (for useSyncExternalStore). */
export function loadStateOf(client: QueryClient) {
  let store = states.get(client)
  if (!store) {
    const cache = client.getQueryCache()
    let current: LoadState = { loading: false, failed: null }
    const compute = () => {
      const queries = cache.getAll().filter(shown)
      const loading = queries.some((q) => q.state.status === 'pending' && q.state.fetchStatus === 'fetching')
      const failed = (queries.find(hasFailed)?.state.error as AtomaError | undefined) ?? null
      if (loading !== current.loading || failed !== current.failed) current = { loading, failed }
      return current
    }
    store = {
      get: compute,
      subscribe: (listener) => cache.subscribe(() => listener()),
    }
    states.set(client, store)
  }
  return store
}

/** Fetches every shown query that failed again, now. */
export function retryFailed(client: QueryClient): Promise<void> {
  return client.refetchQueries({ predicate: hasFailed })
}

/**
 * A load that failed is tried again by itself, sooner after it first failed and at most every
 * 8 s, as long as `canRetry()` (not while signed out or switched offline, where nothing can
 * succeed); `now()` tries at once (the network came back, the user signed in again).
 */
export function retryFailedLoads(client: QueryClient, canRetry: () => boolean) {
  const cache = client.getQueryCache()
  let delay = 1000
  let timer: ReturnType<typeof setTimeout> | undefined
  const now = () => {
    clearTimeout(timer)
    timer = undefined
    if (canRetry()) void retryFailed(client)
  }
  const check = () => {
    const waiting = cache.getAll().filter(hasFailed)
    if (waiting.length === 0) {
      delay = 1000
      return
    }
    if (timer !== undefined || waiting.some((q) => q.state.fetchStatus === 'fetching')) return
    timer = setTimeout(now, delay)
    delay = Math.min(delay * 2, 8000)
  }
  const stop = cache.subscribe(check)
  return {
    now,
    stop() {
      stop()
      clearTimeout(timer)
    },
  }
}
