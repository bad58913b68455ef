import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { OpsResponse } from '@atoma/runtime/protocol'
import { parseChaos } from '../chaos.js'
import { HttpError } from '../errors.js'
import type { OpsContext } from '../ops/opsContext.js'
import { runOps } from '../ops/runOps.js'
import { parseEnvelope } from '../validate/parseEnvelope.js'
import { parseJsonBody } from './parseJsonBody.js'
import { readBody } from './readBody.js'
import { sendError, sendJson } from './respond.js'

export interface HandlerContext extends OpsContext {
  /** `''` for `/`, else the normalized prefix such as `/api`. */
  basePath: string
  /** Refuses `/chaos` (403) when true. */
  production: boolean
}

/**
 * Routes: `POST {base}/ops` (the envelope), `GET /health` and `GET|POST /chaos`, the last two
 * also under the base path. Every error answer is JSON `{ error: { code, message, retryable } }`.
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
  if (path === `${basePath}/ops`) return handleOps(req, res, context)
  if (path === '/health' || path === `${basePath}/health`) return handleHealth(req, res, context)
  if (path === '/chaos' || path === `${basePath}/chaos`) return handleChaos(req, res, context)
  throw new HttpError(404, 'NOT_FOUND', `no route for ${req.method ?? ''} ${path.slice(0, 100)}`)
}

function allow(req: IncomingMessage, methods: readonly string[]): void {
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

async function handleOps(req: IncomingMessage, res: ServerResponse, context: HandlerContext): Promise<void> {
  allow(req, ['POST'])
  const ops = parseEnvelope(await readJson(req, context.limits.maxBodyBytes), context.limits.maxOpsPerRequest)
  await context.chaos.delay()
  if (context.chaos.failsRequest()) {
    throw new HttpError(503, 'TRANSPORT', 'chaos: injected failure, nothing was applied', { retryable: true })
  }
  const response: OpsResponse = { results: await runOps(ops, context) }
  sendJson(res, 200, response)
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
  sendJson(res, 200, {
    ok: true,
    database: context.db.kind,
    collections: [...context.collections.keys()],
    chaos: context.chaos.settings,
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
