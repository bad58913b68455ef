import { connectBackend } from '@atoma/connect'
import { afterAll, beforeAll } from 'vitest'
import { describeBackendConformance } from '../../../runtime/test/conformance/backendConformance.js'
import { CONFORMANCE_COLLECTIONS } from '../support/conformanceCollections.js'
import { startTestServer, type TestServer } from '../support/testServer.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ collections: CONFORMANCE_COLLECTIONS })
})
afterAll(() => server.close())

// The suite httpBackend passes against this server (adapter/conformance.test.ts), unchanged,
// through connectBackend and the server's Connect service: the same database code behind another
// carriage, in both encodings (PGlite here; PostgreSQL under `npm run test:postgres`).
for (const binary of [false, true])
  describeBackendConformance(`connect (${binary ? 'binary' : 'JSON'}) + @atoma/server`, async () => ({
    plugin: connectBackend({ baseUrl: server.server.url, binary }),
    cleanup: () => server.reset(),
  }))
