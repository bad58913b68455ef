import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2'
import type { AddressInfo } from 'node:net'
import {
  AtomaService,
  connectErrorOf,
  type QueryRequest,
  type QueryResponse,
  queryOp,
  queryResponse,
  type WriteRequest,
  type WriteResponse,
  writeOp,
  writeResponse,
} from '@atoma/connect/protocol'
import {
  type AtomaPlugin,
  type ExecutionNode,
  type Id,
  memoryBackend,
  type NodeWriteResult,
  toErrorInfo,
} from '@atoma/runtime'
import type { RemoteEntryResult } from '@atoma/runtime/protocol'
import { ConnectError } from '@connectrpc/connect'
import { connectNodeAdapter } from '@connectrpc/connect-node'
import { registeredNode } from '../../../runtime/test/conformance/registeredNode.js'

/** One call as the server saw it. */
export interface SeenCall {
  procedure: string
  contentType: string | undefined
  authorization: string | undefined
}

/**
 * A real Connect server on loopback (`@connectrpc/connect-node` in node:http, so the Connect
 * protocol, gRPC-Web and gRPC all answer) serving the Atoma service over a memory backend through
 * the package's own server-side codec. Tests script it: `before` may fail a call, `answer` may
 * replace what the backend answered (to send what a broken or hostile server would).
 */
export interface TestConnectServer {
  readonly url: string
  readonly calls: SeenCall[]
  /** The backend behind the service (a fresh memory backend by default; `reset` makes another). */
  node: Required<Pick<ExecutionNode, 'query' | 'write'>>
  /** Runs first in every call: throw (a ConnectError, say) to fail it. */
  before: ((procedure: string, headers: Headers) => void | Promise<void>) | undefined
  /** Replaces the answer of a call. */
  answer: {
    query?: (request: QueryRequest) => QueryResponse
    write?: (request: WriteRequest) => WriteResponse
  }
  /** Sends a poke to every open `Subscribe` stream (those that asked for none of these stores skip it). */
  poke(stores: string[]): void
  /** How many `Subscribe` streams are open. */
  readonly subscribers: number
  /** A fresh, empty backend; no scripting. */
  reset(plugin?: AtomaPlugin): void
  close(): Promise<void>
}

/** The Connect error a backend's failure becomes, as an Atoma server sends it (its whole error as a detail). */
const asConnectError = (error: unknown) =>
  error instanceof ConnectError ? error : connectErrorOf(toErrorInfo(error))

/** `http2`: serve HTTP/2 without TLS (h2c), for gRPC, instead of HTTP/1.1. */
export async function startConnectServer({ http2 = false } = {}): Promise<TestConnectServer> {
  const subscribers = new Set<(stores: string[]) => void>()
  const state: TestConnectServer & { url: string } = {
    url: '',
    calls: [],
    node: registeredNode(memoryBackend()),
    before: undefined,
    answer: {},
    poke(stores) {
      for (const listener of subscribers) listener(stores)
    },
    get subscribers() {
      return subscribers.size
    },
    reset(plugin = memoryBackend()) {
      state.calls.length = 0
      state.node = registeredNode(plugin)
      state.before = undefined
      state.answer = {}
    },
    close: () =>
      new Promise<void>((done) => {
        if ('closeAllConnections' in server) server.closeAllConnections()
        server.close(() => done())
      }),
  }

  const handler = connectNodeAdapter({
    routes(router) {
      router.service(AtomaService, {
        async query(request, context) {
          await state.before?.('Query', context.requestHeader)
          if (state.answer.query) return state.answer.query(request)
          try {
            const { store, query } = queryOp(request)
            const { items, versions, cursor } = await state.node.query({
              store,
              query,
              signal: context.signal,
            })
            return queryResponse(
              items.map((value) => {
                const id = (value as { id: Id }).id
                return { id, version: versions?.get(id) ?? 0, value }
              }),
              cursor,
            )
          } catch (error) {
            throw asConnectError(error)
          }
        },
        async write(request, context) {
          await state.before?.('Write', context.requestHeader)
          if (state.answer.write) return state.answer.write(request)
          try {
            const { store, entries } = writeOp(request)
            const result: NodeWriteResult = await state.node.write({ store, entries, signal: context.signal })
            const idOf = new Map(entries.map((entry) => [entry.entryId, entry.id]))
            return writeResponse({
              status: result.status,
              items: result.items.map(
                (item): RemoteEntryResult =>
                  item.status === 'confirmed'
                    ? {
                        entryId: item.entryId,
                        status: 'confirmed',
                        id: idOf.get(item.entryId)!,
                        version: item.version ?? 0,
                        value: item.value ?? null,
                      }
                    : item,
              ),
            })
          } catch (error) {
            throw asConnectError(error)
          }
        },
        async *subscribe(request, context) {
          await state.before?.('Subscribe', context.requestHeader)
          const wanted = new Set(request.stores)
          const queue: string[][] = []
          let wake: (() => void) | undefined
          const listener = (stores: string[]) => {
            const heard = wanted.size === 0 ? stores : stores.filter((store) => wanted.has(store))
            if (heard.length === 0) return
            queue.push(heard)
            wake?.()
          }
          subscribers.add(listener)
          const ended = new Promise<void>((resolve) =>
            context.signal.addEventListener('abort', () => resolve(), { once: true }),
          )
          try {
            // The stream is open once its headers are out: yield nothing until a poke comes.
            while (!context.signal.aborted) {
              const next = queue.shift()
              if (next) {
                yield { stores: next }
                continue
              }
              await Promise.race([new Promise<void>((resolve) => (wake = resolve)), ended])
            }
          } finally {
            subscribers.delete(listener)
          }
        },
      })
    },
  })

  const listener = (req: Http2ServerRequest | IncomingMessage, res: Http2ServerResponse | ServerResponse) => {
    const header = (name: string) => {
      const value = req.headers[name]
      return Array.isArray(value) ? value.join(', ') : value
    }
    state.calls.push({
      procedure: req.url ?? '',
      contentType: header('content-type'),
      authorization: header('authorization'),
    })
    handler(req, res)
  }
  const server = http2 ? createHttp2Server(listener) : createServer(listener)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}
