import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { OpsResponse } from '@atoma/runtime/protocol'
import { type Authenticate, checkPrincipal, type Principal } from '../auth/principal.js'
import { parseChaos } from '../chaos.js'
import type { ConnectRoute } from '../connect/connectService.js'
import { HttpError } from '../errors.js'
import type { OpsContext } from '../ops/opsContext.js'
import { runOps } from '../ops/runOps.js'
import type { PokeHub } from '../poke/pokeHub.js'
import { parsePullRequest } from '../pull/parsePullRequest.js'
import { runPull } from '../pull/runPull.js'
import { createRequestContext } from '../request/requestContext.js'
import { parseEnvelope } from '../validate/parseEnvelope.js'
import type { Doors } from './doors.js'
import { parseJsonBody } from './parseJsonBody.js'
import type { RateLimiter } from './rateLimiter.js'
import { readBody } from './readBody.js'
import { sendError, sendJson } from './respond.js'

export interface HandlerContext extends OpsContext {
  /** `''` for `/`, else the normalized prefix such as `/api`. */
  basePath: string
  /** Answers 403 on `/chaos` (which exists only when `chaosEnabled`). */
  production: boolean
  chaosEnabled: boolean
  healthDetail: boolean
  /** Undefined: every request is the anonymous principal. */
  authenticate: Authenticate | undefined
  anonymous: Principal
  rateLimiter: RateLimiter | undefined
  doors: Doors
  pokes: PokeHub
  /** The Connect service (`ServerOptions.connect`), which admits its calls itself to refuse them in their protocol. */
  connect: ConnectRoute | undefined
}

/**
 * Routes: `POST {base}/ops` (the envelope), `POST {base}/pull` and `GET {base}/poke` (sync),
 * `POST {base}/atoma.v1.AtomaService/*` (Connect), `GET /health` and, when the server was started
 * with chaos, `GET|POST /chaos`; the last two also under the base path. Before routing, every
 * request passes the doors (Host, Origin, CORS); a Connect call passes them in `connect.serve`.
 * Every error answer is JSON `{ error: { code, message, retryable } }`.
 */
export function createHandler(context: HandlerContext): RequestListener {
  return (req, res) => {
    route(req, res, context)
      .catch((error: unknown) => {
        if (error instanceof HttpError) return sendError(res, error)
        context.onError(error)
        sendError(res, new HttpError(500, 'TRANSPORT', 'internal server error', { retryable: true }))
      })
      .catch(context.onError)
  }
}

async function route(req: IncomingMessage, res: ServerResponse, context: HandlerContext): Promise<void> {
  const { basePath } = context
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/'
  if (req.method !== 'OPTIONS' && context.connect?.serves(path)) return context.connect.serve(req, res)
  context.doors.admit(req, res)
  if (req.method === 'OPTIONS') return context.doors.preflight(req, res)
  if (path === `${basePath}/ops`) return handleOps(req, res, context)
  if (path === `${basePath}/pull`) return handlePull(req, res, context)
  if (path === `${basePath}/poke`) return handlePoke(req, res, context)
  if (path === '/health' || path === `${basePath}/health`) return handleHealth(req, res, context)
  if (context.chaosEnabled && (path === '/chaos' || path === `${basePath}/chaos`)) {
    return handleChaos(req, res, context)
  }
  throw new HttpError(404, 'NOT_FOUND', `no route for ${req.method ?? ''} ${path.slice(0, 100)}`)
}

export function allow(req: IncomingMessage, methods: readonly string[]): void {
  if (!methods.includes(req.method ?? '')) {
    throw new HttpError(
      405,
      'VALIDATION',
      `method ${req.method ?? ''} is not allowed here (use ${methods.join(' or ')})`,
      {
        headers: { allow: methods.join(', ') },
      },
    )
  }
}

/** JSON only: it also keeps browsers from sending cross-site form posts here without a preflight. */
async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'VALIDATION', 'the request body must be JSON (content-type: application/json)')
  }
  return parseJsonBody(await readBody(req, maxBytes))
}

/** Once per request, before its body is read: 401 without a principal, 429 past its rate. */
export async function admitPrincipal(req: IncomingMessage, context: HandlerContext): Promise<Principal> {
  let principal: Principal | undefined = context.anonymous
  if (context.authenticate !== undefined) {
    try {
      principal = checkPrincipal(await context.authenticate(req))
    } catch (error) {
      context.onError(error)
      principal = undefined
    }
  }
  if (principal === undefined) {
    throw new HttpError(
      401,
      'UNAUTHENTICATED',
      'missing or invalid credentials (Authorization: Bearer <token>)',
      {
        headers: { 'www-authenticate': 'Bearer realm="atoma"' },
      },
    )
  }
  const waitMs = context.rateLimiter?.take(principal.id)
  if (waitMs !== undefined) {
    throw new HttpError(429, 'RATE_LIMITED', `too many requests: try again in ${waitMs} ms`, {
      retryable: true,
      retryAfterMs: waitMs,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
    })
  }
  return principal
}

async function handleOps(req: IncomingMessage, res: ServerResponse, context: HandlerContext): Promise<void> {
  allow(req, ['POST'])
  const principal = await admitPrincipal(req, context)
  const ops = parseEnvelope(await readJson(req, context.limits.maxBodyBytes), context.limits.maxOpsPerRequest)
  await injectChaos(context)
  const response: OpsResponse = {
    results: await runOps(ops, context, createRequestContext(context, principal)),
  }
  sendJson(res, 200, response)
}

/** Chaos delays and fails pulls like ops: both are what a flaky network hits. */
export async function injectChaos(context: HandlerContext): Promise<void> {
  await context.chaos.delay()
  if (context.chaos.failsRequest()) {
    throw new HttpError(503, 'TRANSPORT', 'chaos: injected failure, nothing was applied', { retryable: true })
  }
}

/** `PullRequest` → `PullResponse` (README: Sync), through the same doors, limits and rules as the ops. */
async function handlePull(req: IncomingMessage, res: ServerResponse, context: HandlerContext): Promise<void> {
  allow(req, ['POST'])
  const principal = await admitPrincipal(req, context)
  const body = await readJson(req, context.limits.maxBodyBytes)
  const pull = parsePullRequest(body, context.collections, context.limits.maxPullLimit)
  await injectChaos(context)
  sendJson(res, 200, await runPull(pull, context, createRequestContext(context, principal)))
}

/** The poke stream (Server-Sent Events), authenticated like every request; it has no body to read. */
async function handlePoke(req: IncomingMessage, res: ServerResponse, context: HandlerContext): Promise<void> {
  allow(req, ['GET'])
  const principal = await admitPrincipal(req, context)
  context.pokes.open(res, principal.id)
}

async function handleHealth(
  req: IncomingMessage,
  res: ServerResponse,
  context: HandlerContext,
): Promise<void> {
  allow(req, ['GET'])
  try {
    await context.db.query('SELECT 1')
  } catch (error) {
    context.onError(error)
    throw new HttpError(503, 'TRANSPORT', 'the database does not answer', { retryable: true })
  }
  if (!context.healthDetail) return sendJson(res, 200, { ok: true })
  sendJson(res, 200, {
    ok: true,
    database: context.db.kind,
    collections: [...context.collections.keys()],
    ...(context.chaosEnabled ? { chaos: context.chaos.settings } : {}),
  })
}

async function handleChaos(
  req: IncomingMessage,
  res: ServerResponse,
  context: HandlerContext,
): Promise<void> {
  if (context.production)
    throw new HttpError(403, 'REJECTED', 'chaos is not available when NODE_ENV=production')
  allow(req, ['GET', 'POST'])
  await admitPrincipal(req, context)
  if (req.method === 'POST') {
    const body = await readJson(req, context.limits.maxBodyBytes)
    try {
      context.chaos.settings = parseChaos(body)
    } catch (error) {
      throw new HttpError(400, 'VALIDATION', error instanceof Error ? error.message : String(error))
    }
  }
  sendJson(res, 200, { chaos: context.chaos.settings })
}
