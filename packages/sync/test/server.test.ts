import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectPokes } from '@atoma/connect'
import { createRuntime, defineCollection } from '@atoma/runtime'
import type { PullResponse } from '@atoma/runtime/protocol'
import { openDatabase, type RunningServer, startServer } from '@atoma/server'
import { type PokeSource, type SyncOptions, sync } from '@atoma/sync'
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

const open = async (baseUrl: string, poke?: SyncOptions['poke'], fetch?: typeof globalThis.fetch) => {
  const runtime = createRuntime({
    stores: [todos],
    // No safety-net interval: whatever arrives, arrives because of a poke (or the first pull).
    plugins: [
      sync({
        baseUrl,
        outbox: 'memory',
        pullIntervalMs: 0,
        retry: { baseMs: 20, maxMs: 200 },
        ...(poke === undefined ? {} : { poke }),
        ...(fetch ? { fetch } : {}),
      }),
    ],
    policy: 'sync-queue',
  })
  await runtime.ready()
  return runtime
}
type SyncedRuntime = Awaited<ReturnType<typeof open>>

/** Resolves once the runtime's poke stream is connected (or, with `false`, is not). */
const connected = (runtime: SyncedRuntime, wanted = true) =>
  new Promise<void>((resolve) => {
    const check = () => {
      if (runtime.sync.status().connected !== wanted) return
      stop()
      resolve()
    }
    const stop = runtime.sync.subscribe(check)
    check()
  })

describe('@atoma/sync against the server', () => {
  /** Resolves once `check` holds for the runtime's todo `id` (a hang guard, not a deadline). */
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
      await Promise.all([direct, viaProxy].map((runtime) => connected(runtime)))
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

  it.each([
    ['the Connect protocol, binary', { transport: 'connect', binary: true }],
    ['gRPC-Web, JSON', { transport: 'grpc-web', binary: false }],
  ] as const)(
    "takes its pokes from Connect's Subscribe (%s), directly and through the proxy",
    async (_name, protocol) => {
      const paths: string[] = []
      const recording: typeof fetch = (input, init) => {
        paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname)
        return fetch(input, init)
      }
      const asked: Array<readonly string[]> = []
      const pokes =
        (baseUrl: string): PokeSource =>
        (request) => {
          asked.push(request.stores)
          return connectPokes({ baseUrl, ...protocol, fetch: recording }, request)
        }
      const direct = await open(server.url, pokes(server.url), recording)
      const viaProxy = await open(proxied, pokes(proxied), recording)
      const id = `c-${protocol.transport}`
      try {
        await Promise.all([direct, viaProxy].map((runtime) => connected(runtime)))
        // The pulls that catch up on connecting are over: from here only a poke makes a pull.
        await Promise.all([direct, viaProxy].map((runtime) => runtime.sync.pull()))
        const pulls = paths.filter((path) => path.endsWith('/pull')).length
        await direct.store(todos).write.create({ id, title: 'poked over Connect' })
        await until(viaProxy, id, (todo) => todo?.title === 'poked over Connect')
        await viaProxy.store(todos).write.update(id, (draft) => {
          draft.title = 'and back'
        })
        await until(direct, id, (todo) => todo?.title === 'and back')
        expect(paths.filter((path) => path.endsWith('/pull')).length).toBeGreaterThan(pulls)
        expect(paths).toContain('/api/atoma.v1.AtomaService/Subscribe')
        expect(paths).not.toContain('/api/poke')
        expect(asked).toEqual([['todos'], ['todos']])
      } finally {
        direct.dispose()
        viaProxy.dispose()
      }
    },
  )

  it('over Subscribe, reconnects when its server restarts and catches up on what changed meanwhile', async () => {
    const db = await openDatabase({ kind: 'memory' })
    const serve = (port: number) =>
      startServer({
        collections: [{ name: 'todos', key: 'id', fields: { title: 'text' } }],
        db,
        port,
        basePath: '/api',
        rateLimit: false,
      })
    const first = await serve(0)
    // Another server on the same database: the writer's, up while the reader's is down.
    const other = await serve(0)
    let restarted: RunningServer | undefined
    const reader = await open(first.url, (request) =>
      connectPokes({ baseUrl: first.url, binary: true }, request),
    )
    const writer = await open(other.url)
    try {
      await connected(reader)
      await reader.sync.pull()
      await first.close()
      await connected(reader, false)
      const away = await writer.store(todos).write.create({ id: 'r1', title: 'written while away' })
      expect(away.status).toBe('confirmed')
      restarted = await serve(first.port)
      // Only the pull on reopening can bring it: no interval, and the write was before the stream.
      await until(reader, 'r1', (todo) => todo?.title === 'written while away')
      expect(reader.sync.status().connected).toBe(true)
      // And the new stream is poked, by a write through the other server (PGlite's NOTIFY in-process).
      await writer.store(todos).write.update('r1', (draft) => {
        draft.title = 'and after'
      })
      await until(reader, 'r1', (todo) => todo?.title === 'and after')
    } finally {
      reader.dispose()
      writer.dispose()
      await restarted?.close()
      await other.close()
      await db.close()
    }
  })
})
