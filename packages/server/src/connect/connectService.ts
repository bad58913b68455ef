import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  AtomaService,
  connectErrorOf,
  queryOp,
  queryResponse,
  type ReadOptions,
  writeOp,
  writeResponse,
} from '@atoma/connect/protocol'
import { isAtomaError, toErrorInfo } from '@atoma/runtime'
import type { RemoteOpResult, RemoteQueryResult, RemoteWriteResult } from '@atoma/runtime/protocol'
import {
  type HandlerContext as CallContext,
  ConnectError,
  cors,
  createConnectRouter,
  createContextKey,
  createContextValues,
} from '@connectrpc/connect'
import { createAsyncIterable, type UniversalHandler } from '@connectrpc/connect/protocol'
import { universalRequestFromNodeRequest, universalResponseToNodeResponse } from '@connectrpc/connect-node'
import type { Principal } from '../auth/principal.js'
import { errorInfo, HttpError, quote } from '../errors.js'
import { admitPrincipal, allow, type HandlerContext, injectChaos } from '../http/handler.js'
import { parseJsonText } from '../http/parseJsonBody.js'
import { readBody } from '../http/readBody.js'
import { runOps } from '../ops/runOps.js'
import { createRequestContext } from '../request/requestContext.js'
import type { RawOp } from '../validate/parseEnvelope.js'
import { refuse } from './refuse.js'
import { Subscription } from './subscription.js'

/** The Connect service in the server's handler: which paths are its procedures, and how to serve one. */
export interface ConnectRoute {
  serves(path: string): boolean
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>
}

/** What Connect and gRPC-Web send besides the JSON endpoint's headers, and what a browser must be let read (CORS). */
export const CONNECT_HEADERS = { allowed: cors.allowedHeaders, exposed: cors.exposedHeaders }

/** What a call passed on its way in: who sent it, and the response it is answered on. */
interface Admitted {
  principal: Principal
  res: ServerResponse
}
const ADMITTED = createContextKey<Admitted | undefined>(undefined)

/** The JSON text inside messages is read under the JSON bodies' rules (depth, forbidden keys). */
const read: ReadOptions = { parse: (text) => parseJsonText(text, 'it') }

/**
 * `atoma.v1.AtomaService` (the `.proto` of @atoma/connect) at `{basePath}/atoma.v1.AtomaService/*`,
 * on the server's port, over the Connect protocol and gRPC-Web, in JSON and binary. A call passes
 * the doors, authentication and the rate limit before its body is read, and its body is read as a
 * JSON body is (`readBody`: the same limit, the same 413 after draining); a refusal is answered in
 * the call's own protocol (`refuse`). Then Connect decodes the body into the op a JSON body
 * carries, which runs through `runOps` with a request context of its own: the same checks, rules,
 * budget, deadline and database code. `Subscribe` is a sink of the poke hub, so its pokes,
 * heartbeats, limits and close are those of `GET /poke`.
 */
export function connectRoute(context: HandlerContext): ConnectRoute {
  /** The failure a call ends with: every Atoma error with its whole self as the detail. */
  const failure = (error: unknown): ConnectError => {
    if (error instanceof ConnectError) return error
    if (error instanceof HttpError) return connectErrorOf(error.info)
    if (isAtomaError(error)) return connectErrorOf(toErrorInfo(error))
    context.onError(error)
    return connectErrorOf(errorInfo('TRANSPORT', 'internal server error', true))
  }

  const admittedOf = (call: CallContext): Admitted => {
    const found = call.values.get(ADMITTED)
    if (found === undefined) throw new Error('a Connect call reached its procedure without admission')
    return found
  }

  /** One op, as `POST /ops` runs each of its ops; the op's own failure fails the call. */
  async function run(call: CallContext, decode: () => Omit<RawOp, 'opId'>): Promise<RemoteOpResult> {
    try {
      const { principal } = admittedOf(call)
      const op = decode()
      await injectChaos(context)
      const [result] = await runOps(
        [{ opId: 'connect', ...op }],
        context,
        createRequestContext(context, principal),
      )
      if (result === undefined) throw new Error('runOps answered no result')
      if (!result.ok) throw connectErrorOf(result.error)
      return result
    } catch (error) {
      throw failure(error)
    }
  }

  /** A `Subscribe` stream counted in with the poke hub's, after its stores are checked. */
  function subscribe(stores: readonly string[], call: CallContext) {
    try {
      const { principal, res } = admittedOf(call)
      const asked = new Set(stores)
      for (const store of asked) {
        if (!context.collections.has(store))
          throw new HttpError(400, 'VALIDATION', `unknown store ${quote(store)}`)
      }
      const subscription = new Subscription(asked, res)
      // Counted out when its response is over (ended, or its client gone), as an SSE stream is.
      res.once('close', context.pokes.attach(principal.id, subscription))
      return subscription
    } catch (error) {
      throw failure(error)
    }
  }

  const router = createConnectRouter({
    // HTTP/2's gRPC has no place on this HTTP/1.1 server; gRPC-Web carries it to browsers.
    grpc: false,
    // The body was read within limits.maxBodyBytes already; a message cannot be larger.
    readMaxBytes: context.limits.maxBodyBytes,
    // As the JSON endpoint: no compression here (a proxy in front may compress), and none to undo.
    acceptCompression: [],
  }).service(AtomaService, {
    async query(request, call) {
      // runOps answers a query op with a query result.
      const result = (await run(call, () => queryOp(request, read))) as RemoteQueryResult
      return queryResponse(result.items)
    },
    async write(request, call) {
      const result = (await run(call, () => writeOp(request, read))) as RemoteWriteResult
      return writeResponse(result)
    },
    async *subscribe(request, call) {
      yield* subscribe(request.stores, call).messages(call.signal)
    },
  })
  const procedures = new Map<string, UniversalHandler>(
    router.handlers.map((handler) => [`${context.basePath}${handler.requestPath}`, handler]),
  )

  return {
    serves: (path) => procedures.has(path),
    async serve(req, res) {
      const path = (req.url ?? '').split('?', 1)[0] ?? ''
      const handler = procedures.get(path)
      if (handler === undefined) throw new Error(`no Connect procedure at ${path}`)
      let admitted: Admitted
      let body: Buffer
      try {
        context.doors.admit(req, res)
        allow(req, ['POST'])
        admitted = { principal: await admitPrincipal(req, context), res }
        body = await readBody(req, context.limits.maxBodyBytes)
      } catch (error) {
        if (error instanceof HttpError) return refuse(req, res, error)
        throw error
      }
      const call = universalRequestFromNodeRequest(
        req,
        res,
        undefined,
        createContextValues().set(ADMITTED, admitted),
      )
      const answer = await handler({ ...call, body: createAsyncIterable([body]) })
      // A client that went away mid-answer is nobody's error.
      await universalResponseToNodeResponse(answer, res).catch((error: unknown) => {
        if (!res.destroyed) context.onError(error)
      })
    },
  }
}
