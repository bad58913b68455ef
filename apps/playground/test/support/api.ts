import { readFileSync } from 'node:fs'
import type { OpsResponse } from '@atoma/runtime/protocol'
import { type CollectionConfig, type RunningServer, startServer } from '@atoma/server'

const config = JSON.parse(readFileSync(new URL('../../atoma.config.json', import.meta.url), 'utf8')) as {
  collections: CollectionConfig[]
}

/**
 * @atoma/server with the playground's collections under /api, on PGlite in `dataDir` as
 * `npm start` runs it; `port` 0 (the default) picks a free one. The Vite proxy forwards the
 * page's Host (127.0.0.1 on Vite's port), and the network control needs chaos.
 */
export function startApi(dataDir: string, port = 0): Promise<RunningServer> {
  return startServer({
    collections: config.collections,
    database: { kind: 'pglite', dataDir },
    port,
    basePath: '/api',
    allowedHosts: ['127.0.0.1'],
    chaos: {},
  })
}

/** What the server holds, asked through its own ops endpoint (not through the app). */
export async function serverItems<T>(api: RunningServer, store: string, where: object): Promise<T[]> {
  const response = await fetch(`${api.url}/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ops: [{ opId: 'check', kind: 'query', store, query: { where } }] }),
  })
  const [result] = ((await response.json()) as OpsResponse).results
  if (!result?.ok || result.kind !== 'query') throw new Error(`query failed: ${JSON.stringify(result)}`)
  return result.items.map((item) => item.value as T)
}
