import { connectBackend } from '@atoma/connect'
import { afterAll, beforeAll } from 'vitest'
import { describeBackendConformance } from '../../runtime/test/conformance/backendConformance.js'
import { startConnectServer, type TestConnectServer } from './support/connectServer.js'

// The shared backend conformance suite, unchanged, through connectBackend and a real Connect server
// whose service runs over a memory backend: every value, id, version, patch, per-entry result and
// error crosses the wire as protobuf and must come back as the memory backend gave it. (Against
// @atoma/server's database, @atoma/server's tests run it.)
let server: TestConnectServer
beforeAll(async () => {
  server = await startConnectServer()
})
afterAll(() => server.close())

const encodings = [
  ['Connect protocol, JSON', { transport: 'connect', binary: false }],
  ['Connect protocol, binary', { transport: 'connect', binary: true }],
  ['gRPC-Web, binary', { transport: 'grpc-web', binary: true }],
] as const

for (const [name, options] of encodings)
  describeBackendConformance(`connect (${name}) + memory`, async () => {
    server.reset()
    return { plugin: connectBackend({ baseUrl: server.url, ...options }), cleanup: async () => {} }
  })
