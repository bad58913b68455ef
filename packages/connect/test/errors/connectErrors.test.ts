import { connectBackend } from '@atoma/connect'
import { ATOMA_TO_CONNECT, AtomaService, CONNECT_TO_ATOMA, connectErrorOf } from '@atoma/connect/protocol'
import type { AtomaErrorCode } from '@atoma/runtime'
import { Code, ConnectError, createClient } from '@connectrpc/connect'
import { createConnectTransport } from '@connectrpc/connect-web'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { registeredNode } from '../../../runtime/test/conformance/registeredNode.js'
import { startConnectServer, type TestConnectServer } from '../support/connectServer.js'

// The error mapping both ways, over a real Connect server: what an Atoma server sends for each of
// Atoma's codes, what a generic Connect client sees of it, and what connectBackend makes of it.
let server: TestConnectServer
beforeAll(async () => {
  server = await startConnectServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const codes = Object.keys(ATOMA_TO_CONNECT) as AtomaErrorCode[]

describe('connectErrorOf and errorInfoOf', () => {
  it('know every Connect code', () => {
    const numeric = Object.values(Code).filter((code): code is Code => typeof code === 'number')
    expect(Object.keys(CONNECT_TO_ATOMA).map(Number).sort()).toEqual(numeric.sort())
  })

  it.each(codes)(
    '%s crosses the wire whole, under a Connect code generic clients understand',
    async (code) => {
      for (const retryable of [false, true]) {
        server.before = () => {
          throw connectErrorOf({ code, message: `failed with ${code}`, retryable })
        }
        const raw = await createClient(AtomaService, createConnectTransport({ baseUrl: server.url }))
          .query({ store: 'todos', query: '{}' })
          .catch((e: unknown) => e)
        // "Unavailable" says "try again later": a failure retrying cannot heal is the server's own.
        const fitting = ATOMA_TO_CONNECT[code]
        const expected = fitting === Code.Unavailable && !retryable ? Code.Internal : fitting
        expect(raw).toBeInstanceOf(ConnectError)
        expect((raw as ConnectError).code).toBe(expected)
        const error = await registeredNode(connectBackend({ baseUrl: server.url, binary: true }))
          .query({ store: 'todos', query: {}, signal: new AbortController().signal })
          .catch((e: unknown) => e)
        expect(error).toMatchObject({ code, retryable, message: `store 'todos': failed with ${code}` })
      }
    },
  )
})
