import { httpBackend } from '@atoma/runtime'
import { afterAll, beforeAll } from 'vitest'
import { describeBackendConformance } from '../../../runtime/test/conformance/backendConformance.js'
import type { CollectionConfig } from '../../src/collections.js'
import { startTestServer, type TestServer } from '../support/testServer.js'

// The stores the shared backend conformance suite uses (see its doc comment).
const collections: CollectionConfig[] = [
  { name: 'todos', key: 'id', fields: { title: 'text', done: 'boolean' } },
  { name: 'notes', key: 'id', fields: { title: 'text' } },
  { name: 'ids', key: 'id', fields: {} },
  {
    name: 'people',
    key: 'id',
    fields: { name: 'text', city: 'text', age: 'number', active: 'boolean', tags: 'array' },
  },
]

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ collections })
})
afterAll(() => server.close())

// The same suite the memory and IndexedDB backends pass, unchanged: httpBackend + the reference
// server on a real database (PGlite here; PostgreSQL under `npm run test:postgres`).
describeBackendConformance('http + @atoma/server', async () => ({
  plugin: httpBackend({ baseUrl: server.server.url }),
  cleanup: () => server.reset(),
}))
