import type { Runtime } from '@atoma/runtime'
import { QueryClient } from '@tanstack/query-core'

/**
 * The QueryClient of each runtime that was not given one. Per runtime, not per provider: its cache
 * says which queries already landed in that runtime's stores (cache keys name stores only), so the
 * server's `prefetchQuery(runtime, …)` and the provider of that runtime share it.
 */
const clients = new WeakMap<Runtime, QueryClient>()

/** The runtime's own QueryClient, made on first use. */
export function clientFor(runtime: Runtime): QueryClient {
  let client = clients.get(runtime)
  if (!client) {
    client = new QueryClient()
    clients.set(runtime, client)
  }
  return client
}
