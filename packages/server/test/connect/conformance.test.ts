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
// carriage, in both encodings and both protocols the browser speaks (PGlite here; PostgreSQL under
// `npm run test:postgres`).
const carriages = [
  ['JSON', { transport: 'connect', binary: false }],
  ['binary', { transport: 'connect', binary: true }],
  ['gRPC-Web, binary', { transport: 'grpc-web', binary: true }],
] as const

for (const [name, options] of carriages)
  describeBackendConformance(`connect (${name}) + @atoma/server`, async () => ({
    plugin: connectBackend({ baseUrl: server.server.url, ...options }),
    cleanup: () => server.reset(),
  }))
