import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CollectionConfig, type RunningServer, startServer } from '@atoma/server'

/**
 * Where `@atoma/server` answers, for the server component and the `/api` route: `ATOMA_API_URL`
 * when set (a server of your own, or the test's), else one started in this process on loopback,
 * on an in-memory database with a few tasks, once per process (Next.js loads this module in
 * several bundles; the promise lives on `globalThis`).
 */
export function apiUrl(): Promise<string> {
  const given = process.env.ATOMA_API_URL
  if (given) return Promise.resolve(given)
  const shared = globalThis as { atomaExampleServer?: Promise<RunningServer> }
  shared.atomaExampleServer ??= startExampleServer()
  return shared.atomaExampleServer.then((server) => server.url)
}

async function startExampleServer(): Promise<RunningServer> {
  const { collections } = JSON.parse(readFileSync(join(process.cwd(), 'atoma.config.json'), 'utf8')) as {
    collections: CollectionConfig[]
  }
  const server = await startServer({ collections, database: { kind: 'memory' }, port: 0, basePath: '/api' })
  const entries = ['Read the Atoma guides', 'Prefetch on the server', 'Add a task from the island'].map(
    (title, i) => ({
      entryId: `seed-${i}`,
      op: 'create',
      id: `seed-${i}`,
      value: { id: `seed-${i}`, title, done: i === 0, createdAt: i },
      idempotencyKey: `seed-${i}`,
      clientTimeMs: 0,
    }),
  )
  await fetch(`${server.url}/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ops: [{ opId: 'seed', kind: 'write', store: 'tasks', entries }] }),
  })
  return server
}
