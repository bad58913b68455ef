import { httpBackend } from '@atoma/runtime'
import { afterAll, beforeAll } from 'vitest'
import { describeBackendConformance } from '../../../runtime/test/conformance/backendConformance.js'
import { CONFORMANCE_COLLECTIONS } from '../support/conformanceCollections.js'
import { startTestServer, type TestServer } from '../support/testServer.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ collections: CONFORMANCE_COLLECTIONS })
})
afterAll(() => server.close())

// The same suite the memory and IndexedDB backends pass, unchanged: httpBackend + the reference
// server on a real database (PGlite here; PostgreSQL under `npm run test:postgres`).
describeBackendConformance('http + @atoma/server', async () => ({
  plugin: httpBackend({ baseUrl: server.server.url }),
  cleanup: () => server.reset(),
}))
