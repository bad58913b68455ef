import type { OpsResponse } from '@atoma/runtime/protocol'
import { type PlaygroundServer, startPlaygroundServer } from '../../server/playgroundServer.js'

/** The tests' own secret (a server of theirs, on a database of theirs). */
const TEST_SECRET = 'atoma-playground-tests-only-not-a-real-secret'

export type Api = PlaygroundServer

/**
 * The server `npm start` runs (server/playgroundServer.js), on PGlite in `dataDir`, with chaos
 * for the network control; `port` 0 (the default) picks a free one.
 */
export function startApi(dataDir: string, port = 0): Promise<Api> {
  return startPlaygroundServer({
    secret: TEST_SECRET,
    database: { kind: 'pglite', dataDir },
    port,
    chaos: true,
  })
}

/** POSTs ops as `user`, through the server's own endpoint (not through the app). */
export async function sendOps(api: Api, user: string, ops: unknown[]): Promise<OpsResponse['results']> {
  const response = await fetch(`${api.url}/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await api.mintToken(user)}` },
    body: JSON.stringify({ ops }),
  })
  if (!response.ok) throw new Error(`POST /ops answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as OpsResponse).results
}

/** What the server holds that `user` may read (default Ada), asked through its ops endpoint. */
export async function serverItems<T>(api: Api, store: string, where: object, user = 'ada'): Promise<T[]> {
  const [result] = await sendOps(api, user, [{ opId: 'check', kind: 'query', store, query: { where } }])
  if (!result?.ok || result.kind !== 'query') throw new Error(`query failed: ${JSON.stringify(result)}`)
  return result.items.map((item) => item.value as T)
}

/** Every live row of a store in the database itself, whoever may read it. */
export async function databaseRows<T>(api: Api, store: string): Promise<T[]> {
  const rows = await api.db.query('SELECT data FROM atoma_items WHERE store = $1 AND NOT deleted', [store])
  return rows.map((row) => (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as T)
}

/** The store's change counter: every change the server applies takes exactly one version. */
export async function storeVersion(api: Api, store: string): Promise<number> {
  const [row] = await api.db.query('SELECT version FROM atoma_stores WHERE store = $1', [store])
  return Number(row?.version ?? 0)
}

export async function setChaos(api: Api, chaos: object): Promise<void> {
  const response = await fetch(`${api.url}/chaos`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await api.mintToken('ada')}` },
    body: JSON.stringify(chaos),
  })
  if (!response.ok) throw new Error(`POST /chaos answered ${response.status}: ${await response.text()}`)
}
