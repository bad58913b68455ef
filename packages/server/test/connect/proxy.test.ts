import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectBackend, connectPokes } from '@atoma/connect'
import { createRuntime, defineCollection } from '@atoma/runtime'
import { createServer as createVite, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOLS, type Protocol } from '../support/connectClients.js'
import { openTestDb, type TestDb } from '../support/testDb.js'
import { startTestServer, type TestServer } from '../support/testServer.js'

/**
 * The Connect service behind the playground's way in: a Vite dev server proxying `/api` to it
 * (`apps/playground/vite.config.ts`, http-proxy over HTTP/1.1), with connectBackend and
 * connectPokes in every protocol and encoding, as a page would use them.
 */
interface Todo {
  id: string
  title: string
}
const todos = defineCollection<Todo>('todos', { key: 'id' })

let database: TestDb
let t: TestServer
let vite: ViteDevServer
let viteRoot: string
let proxied: string
beforeAll(async () => {
  database = await openTestDb()
  // The proxy keeps the page's Host (the Vite server's), which the server must be told it answers for.
  t = await startTestServer({ basePath: '/api', allowedHosts: ['127.0.0.1'] }, database)
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
  proxied = `http://127.0.0.1:${(vite.httpServer?.address() as AddressInfo | undefined)?.port}/api`
})
afterAll(async () => {
  await vite?.close()
  await t?.close()
  await database?.dispose()
  await rm(viteRoot, { recursive: true, force: true })
})

describe.each(PROTOCOLS)('through a Vite dev proxy, over $name', (protocol: Protocol) => {
  it('writes, queries and hears pokes', async () => {
    const options = { baseUrl: proxied, transport: protocol.transport, binary: protocol.binary }
    const id = `t-${protocol.transport}-${protocol.binary}`
    const controller = new AbortController()
    let onOpen = () => {}
    const open = new Promise<void>((resolve) => {
      onOpen = resolve
    })
    const pokes = connectPokes(options, { stores: ['todos'], signal: controller.signal, onOpen })
    const runtime = createRuntime({
      stores: [todos],
      plugins: [connectBackend(options)],
      policy: 'direct-http',
    })
    try {
      const poked = pokes.next()
      await open
      const created = await runtime.store(todos).write.create({ id, title: 'through the proxy' })
      expect(created.status).toBe('confirmed')
      expect(await poked).toEqual({ done: false, value: { stores: ['todos'] } })
      const { items } = await runtime.store(todos).query({ where: { id } })
      expect(items).toEqual([{ id, title: 'through the proxy' }])
    } finally {
      controller.abort()
      runtime.dispose()
    }
  })
})
