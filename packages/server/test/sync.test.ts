import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PullResponse } from '@atoma/runtime/protocol'
import { createServer as createVite, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPoke } from './support/pokeClient.js'
import { entry, startTestServer, type TestServer } from './support/testServer.js'

/**
 * The sync endpoints through the playground's way in: a Vite dev server proxying `/api` to the
 * server (`apps/playground/vite.config.ts`). (@atoma/sync against the server, through the same
 * proxy, is in packages/sync/test/server.test.ts.)
 */

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
