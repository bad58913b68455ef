import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRuntime, defineCollection } from '@atoma/runtime'
import type { PullResponse } from '@atoma/runtime/protocol'
import { sync } from '@atoma/sync'
import { createServer as createVite, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPoke } from './support/pokeClient.js'
import { entry, startTestServer, type TestServer } from './support/testServer.js'

/**
 * The server with its real client, `@atoma/sync`, and the playground's way in: a Vite dev server
 * proxying `/api` to it (`apps/playground/vite.config.ts`). One runtime talks to the server
 * directly, the other through the proxy; each sees the other's writes after a poke.
 */
interface Todo {
  id: string
  title: string
}
const todos = defineCollection<Todo>('todos', { key: 'id' })

let t: TestServer
let vite: ViteDevServer
let viteRoot: string
let proxied: string
beforeAll(async () => {
  // The proxy keeps the browser's Host (the Vite server's), which the server must be told it answers for.
  t = await startTestServer({ basePath: '/api', allowedHosts: ['127.0.0.1'] })
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
      proxy: { '/api': { target: new URL(t.server.url).origin } },
    },
  })
  await vite.listen()
  const address = vite.httpServer?.address() as AddressInfo | undefined
  proxied = `http://127.0.0.1:${address?.port}/api`
})
afterAll(async () => {
  await vite?.close()
  await t?.close()
  await rm(viteRoot, { recursive: true, force: true })
})

describe('through the Vite dev proxy', () => {
  it('the poke stream arrives unbuffered, and so does the pull', async () => {
    const client = await openPoke(`${proxied}/poke`)
    try {
      expect(client.status).toBe(200)
      expect(client.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
      await client.until((text) => text.includes(': connected'))
      const ops = {
        ops: [{ opId: 'w', kind: 'write', store: 'todos', entries: [entry('create', 'p', { value: {} })] }],
      }
      const written = await fetch(`${proxied}/ops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ops),
      })
      expect(written.status).toBe(200)
      await client.until((text) => text.includes('event: poke'))
      expect(client.pokes()).toEqual([{ stores: ['todos'] }])
      const pulled = await fetch(`${proxied}/pull`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stores: ['todos'] }),
      })
      expect(((await pulled.json()) as PullResponse).changes).toMatchObject([{ store: 'todos', id: 'p' }])
    } finally {
      client.close()
      await t.reset()
    }
  })
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
    const direct = await open(t.server.url)
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
      const { body } = await t.post({ stores: ['todos'] }, { path: '/pull' })
      expect((body as PullResponse).changes).toEqual([])
      expect(viaProxy.sync.status()).toMatchObject({ pending: 0, connected: true })
    } finally {
      direct.dispose()
      viaProxy.dispose()
    }
  })
})
