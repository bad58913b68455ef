import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRuntime, defineCollection } from '@atoma/runtime'
import type { PullResponse } from '@atoma/runtime/protocol'
import { type RunningServer, startServer } from '@atoma/server'
import { sync } from '@atoma/sync'
import { createServer as createVite, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * @atoma/sync against the real server, and the playground's way in: a Vite dev server proxying
 * `/api` to it (`apps/playground/vite.config.ts`). One runtime talks to the server directly, the
 * other through the proxy; each sees the other's writes after a poke.
 */
interface Todo {
  id: string
  title: string
}
const todos = defineCollection<Todo>('todos', { key: 'id' })

let server: RunningServer
let vite: ViteDevServer
let viteRoot: string
let proxied: string
beforeAll(async () => {
  // The proxy keeps the browser's Host (the Vite server's), which the server must be told it answers for.
  server = await startServer({
    collections: [{ name: 'todos', key: 'id', fields: { title: 'text' } }],
    database: { kind: 'memory' },
    port: 0,
    basePath: '/api',
    allowedHosts: ['127.0.0.1'],
    rateLimit: false,
  })
  viteRoot = await mkdtemp(join(tmpdir(), 'atoma-vite-'))
  vite = await createVite({
    configFile: false,
    root: viteRoot,
    logLevel: 'silent',
    optimizeDeps: { noDiscovery: true, include: [] },
    server: {
      host: '127.0.0.1',
      port: 0,
      watch: null,
      proxy: { '/api': { target: new URL(server.url).origin } },
    },
  })
  await vite.listen()
  const address = vite.httpServer?.address() as AddressInfo | undefined
  proxied = `http://127.0.0.1:${address?.port}/api`
})
afterAll(async () => {
  await vite?.close()
  await server?.close()
  await rm(viteRoot, { recursive: true, force: true })
})

describe('@atoma/sync against the server', () => {
  const open = async (baseUrl: string) => {
    const runtime = createRuntime({
      stores: [todos],
      // No safety-net interval: whatever arrives, arrives because of a poke (or the first pull).
      plugins: [sync({ baseUrl, outbox: 'memory', pullIntervalMs: 0, retry: { baseMs: 20, maxMs: 200 } })],
      policy: 'sync-queue',
    })
    await runtime.ready()
    return runtime
  }
  /** Resolves once `check` holds for the runtime's todo `id` (a hang guard, not a deadline). */
  type SyncedRuntime = Awaited<ReturnType<typeof open>>
  const until = (runtime: SyncedRuntime, id: string, check: (todo: Todo | undefined) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const store = runtime.store(todos)
      const timer = setTimeout(
        () => reject(new Error(`todo ${id} is ${JSON.stringify(store.get(id))}`)),
        15_000,
      )
      const test = () => {
        if (!check(store.get(id))) return
        clearTimeout(timer)
        stop()
        resolve()
      }
      const stop = store.subscribeEntity(id, test)
      test()
    })

  it('a write in one runtime shows in the other after a poke, creates, updates and deletes, both ways', async () => {
    const direct = await open(server.url)
    const viaProxy = await open(proxied)
    try {
      // Both have connected their poke streams before anything is written.
      await Promise.all(
        [direct, viaProxy].map(
          (runtime) =>
            new Promise<void>((resolve) => {
              const check = () => {
                if (!runtime.sync.status().connected) return
                stop()
                resolve()
              }
              const stop = runtime.sync.subscribe(check)
              check()
            }),
        ),
      )
      const created = await direct.store(todos).write.create({ id: 't1', title: 'from direct' })
      expect(created.status).toBe('confirmed')
      await until(viaProxy, 't1', (todo) => todo?.title === 'from direct')

      await viaProxy.store(todos).write.update('t1', (draft) => {
        draft.title = 'edited through the proxy'
      })
      await until(direct, 't1', (todo) => todo?.title === 'edited through the proxy')

      await direct.store(todos).write.delete('t1')
      await until(viaProxy, 't1', (todo) => todo === undefined)

      // What both hold is what the server holds.
      const pulled = await fetch(`${server.url}/pull`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stores: ['todos'] }),
      })
      const body = await pulled.json()
      expect((body as PullResponse).changes).toEqual([])
      expect(viaProxy.sync.status()).toMatchObject({ pending: 0, connected: true })
    } finally {
      direct.dispose()
      viaProxy.dispose()
    }
  })
})
