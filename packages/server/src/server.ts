import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http'
import { ANONYMOUS, type Authenticate } from './auth/principal.js'
import { Chaos, type ChaosOptions, type ChaosSettings, isChaosOn, parseChaos } from './chaos.js'
import { type CollectionConfig, parseCollections } from './collections.js'
import type { Db } from './db/db.js'
import { migrate, pruneIdempotencyKeys } from './db/migrate.js'
import { type DatabaseOptions, defaultDatabase, openDatabase } from './db/openDatabase.js'
import { keepStatistics } from './db/statistics.js'
import { type CorsOptions, Doors } from './http/doors.js'
import { createHandler, type HandlerContext } from './http/handler.js'
import { parseRateLimit, RateLimiter, type RateLimitOptions } from './http/rateLimiter.js'
import type { ServerLimits } from './ops/opsContext.js'
import { DEFAULT_POKE_OPTIONS, PokeHub, type PokeOptions } from './poke/pokeHub.js'
import { type PokeRelay, startPokeRelay } from './poke/pokeRelay.js'

/** The options of `createServer` and `startServer`; only `collections` is required. */
export interface ServerOptions {
  /** The collections served, with the fields queries may use (see README). */
  collections: readonly CollectionConfig[]
  /** Default: PostgreSQL at `DATABASE_URL` when set, else PGlite in `./.atoma-data`. */
  database?: DatabaseOptions
  /** An already open database to use instead of `database`; the server does not close it. */
  db?: Db
  /** Default 4000; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Prefix of the ops endpoint: `POST {basePath}/ops`. Default `/`. */
  basePath?: string
  /**
   * Serve the Connect service (`atoma.v1.AtomaService` of @atoma/connect, for `connectBackend`) at
   * `{basePath}/atoma.v1.AtomaService/*` on the same port, over the Connect protocol and gRPC-Web.
   * Default true; `false` loads none of its code.
   */
  connect?: boolean
  limits?: Partial<ServerLimits>
  /**
   * Who sent a request (contract): called once per request; null or a throw answers 401. Without
   * it every request is the principal `{ id: 'anonymous' }`, which a server on a non-loopback host
   * refuses to start with unless `allowAnonymous` says so. `jwtAuthenticate` covers bearer JWTs.
   */
  authenticate?: Authenticate
  allowAnonymous?: boolean
  /** Host headers served besides the listen address and localhost / 127.0.0.1 / [::1] with the port: `name` (any port) or `name:port`. */
  allowedHosts?: string[]
  /** Origins accepted besides the server's own, without CORS headers (for a proxy serving the app). */
  allowedOrigins?: string[]
  /** Cross-origin access for browsers; off by default. */
  cors?: CorsOptions | false
  /** Requests per principal (token bucket); default 50 a second, bursts of 200; `false` turns it off. */
  rateLimit?: Partial<RateLimitOptions> | false
  /**
   * Development only, and only when given: enables `/chaos` and `setChaos`, starting with these
   * settings (`{}`: enabled, off). Refused when NODE_ENV=production.
   */
  chaos?: ChaosOptions
  /** `/health` answers `{ ok, database, collections, chaos? }` instead of `{ ok: true }`. Default false. */
  healthDetail?: boolean
  /** The poke streams' heartbeat and coalescing (their numbers are in `limits`). */
  poke?: Partial<Pick<PokeOptions, 'heartbeatMs' | 'coalesceMs'>>
  /** How long an idempotency key is remembered; default 24 hours. */
  idempotencyTtlMs?: number
  /** Unexpected errors (the client gets a generic retryable error). Default console.error. */
  onError?: (error: unknown) => void
}

/** Where a listening server answers. */
export interface ServerAddress {
  /** Origin plus base path: the `baseUrl` for `httpBackend`. */
  url: string
  port: number
  host: string
}

/** A server built by `createServer`: its HTTP server, handler and database. */
export interface AtomaServer {
  readonly httpServer: Server
  /** The request listener, to mount in another node:http server instead of calling listen(). */
  readonly handler: RequestListener
  readonly db: Db
  /** True when every request is the anonymous principal (no `authenticate`). */
  readonly anonymous: boolean
  /** Starts listening on the configured host and port; resolves with the address. */
  listen(): Promise<ServerAddress>
  /** Ends the poke streams, stops accepting requests, waits for those in flight, closes the database if the server opened it. */
  close(): Promise<void>
  /** The chaos settings in force. */
  getChaos(): ChaosSettings
  /** Replaces the chaos settings (absent fields are off); throws unless started with `chaos`, and when NODE_ENV=production. */
  setChaos(options: ChaosOptions): void
}

/** A server that `startServer` started: the server and its address. */
export type RunningServer = AtomaServer & ServerAddress

/** The limits in force when `ServerOptions.limits` leaves them out. */
export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 1024 * 1024,
  maxOpsPerRequest: 100,
  maxEntriesPerOp: 500,
  maxQueryLimit: 1000,
  maxResponseRows: 10_000,
  maxResponseBytes: 8 * 1024 * 1024,
  requestTimeoutMs: 10_000,
  maxPullLimit: 5000,
  maxPokeStreams: 1000,
  maxPokeStreamsPerPrincipal: 16,
}

const DAY_MS = 24 * 60 * 60 * 1000
/** How long close() lets requests in flight finish before it ends their connections. */
const CLOSE_GRACE_MS = 2000
const PRUNE_EVERY_MS = 60 * 60 * 1000
const BASE_PATH = /^(\/[A-Za-z0-9._~-]+)*\/?$/
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|::1)$/

/** Opens the database, migrates it and builds the HTTP server, not yet listening. */
export async function createServer(options: ServerOptions): Promise<AtomaServer> {
  const production = process.env.NODE_ENV === 'production'
  const collections = parseCollections(options.collections)
  const limits = resolveLimits(options.limits)
  const basePath = resolveBasePath(options.basePath ?? '/')
  const port = options.port ?? 4000
  const host = options.host ?? '127.0.0.1'
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`port must be an integer from 0 to 65535`)
  const idempotencyTtlMs = options.idempotencyTtlMs ?? DAY_MS
  const onError = options.onError ?? ((error: unknown) => console.error('[atoma-server]', error))
  const chaos = new Chaos()
  const chaosEnabled = options.chaos !== undefined
  const setChaos = (input: ChaosOptions): void => {
    if (!chaosEnabled) throw new Error('chaos is off: start the server with the chaos option to use it')
    const settings = parseChaos(input)
    if (production && isChaosOn(settings))
      throw new Error('chaos is a development tool: refused when NODE_ENV=production')
    chaos.settings = settings
  }
  if (options.chaos !== undefined) setChaos(options.chaos)
  const anonymous = options.authenticate === undefined
  if (anonymous && !options.allowAnonymous && !LOOPBACK_HOST.test(host)) {
    throw new Error(
      `refusing to serve ${host} without authentication: pass authenticate (e.g. jwtAuthenticate), or allowAnonymous: true to let anyone read and write everything`,
    )
  }
  const rateLimit = parseRateLimit(options.rateLimit)
  const connect = options.connect === false ? undefined : await import('./connect/connectService.js')
  const doors = new Doors(host, {
    allowedHosts: options.allowedHosts ?? [],
    allowedOrigins: options.allowedOrigins ?? [],
    cors: options.cors ?? false,
    ...(connect ? { protocolHeaders: connect.CONNECT_HEADERS } : {}),
  })
  doors.setPort(port)

  const poke = resolvePoke(options.poke)
  const ownsDb = options.db === undefined
  const db = options.db ?? (await openDatabase(options.database ?? defaultDatabase(), onError))
  let relay: PokeRelay | undefined
  const pokes = new PokeHub(
    {
      ...poke,
      maxStreams: limits.maxPokeStreams,
      maxStreamsPerPrincipal: limits.maxPokeStreamsPerPrincipal,
    },
    (stores) => relay?.publish(stores),
  )
  try {
    await migrate(db)
    await pruneIdempotencyKeys(db, idempotencyTtlMs)
    relay = await startPokeRelay(db, pokes, new Set(collections.keys()), onError)
  } catch (error) {
    if (ownsDb) await db.close()
    throw error
  }
  const statistics = keepStatistics(db, onError)
  const pruning = setInterval(() => pruneIdempotencyKeys(db, idempotencyTtlMs).catch(onError), PRUNE_EVERY_MS)
  pruning.unref()

  const context: HandlerContext = {
    db,
    collections,
    limits,
    chaos,
    onError,
    basePath,
    production,
    chaosEnabled,
    healthDetail: options.healthDetail ?? false,
    onChange: (store) => {
      pokes.changed([store], true)
      statistics.changed()
    },
    pokes,
    authenticate: options.authenticate,
    anonymous: ANONYMOUS,
    rateLimiter: rateLimit === false ? undefined : new RateLimiter(rateLimit),
    doors,
    connect: undefined,
  }
  context.connect = connect?.connectRoute(context)
  const handler = createHandler(context)
  const httpServer = createHttpServer(
    { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    handler,
  )
  let closing: Promise<void> | undefined

  return {
    httpServer,
    handler,
    db,
    anonymous,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject)
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject)
          const address = httpServer.address()
          const bound = typeof address === 'object' && address !== null ? address.port : port
          doors.setPort(bound)
          resolve({ url: baseUrl(host, bound, basePath), port: bound, host })
        })
      }),
    close() {
      closing ??= (async () => {
        clearInterval(pruning)
        // The poke streams (SSE and Subscribe) never end by themselves: ended first, they let the HTTP server close.
        await pokes.close()
        await relay?.close()
        if (httpServer.listening) {
          // close() waits for every connection to end, and a keep-alive connection that a retrying
          // client keeps busy never does: idle ones are closed as they idle, and after a grace
          // period for the requests in flight, all of them.
          const sweep = setInterval(() => httpServer.closeIdleConnections(), 5)
          const force = setTimeout(() => httpServer.closeAllConnections(), CLOSE_GRACE_MS)
          try {
            await new Promise<void>((resolve, reject) => {
              httpServer.close((error) => (error ? reject(error) : resolve()))
              httpServer.closeIdleConnections()
            })
          } finally {
            clearInterval(sweep)
            clearTimeout(force)
          }
        }
        await statistics.close()
        if (ownsDb) await db.close()
      })()
      return closing
    },
    getChaos: () => chaos.settings,
    setChaos,
  }
}

/** createServer, then listen: the usual way to run it. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const server = await createServer(options)
  try {
    return Object.assign(server, await server.listen())
  } catch (error) {
    await server.close()
    throw error
  }
}

function resolveLimits(input: Partial<ServerLimits> = {}): ServerLimits {
  const limits = { ...DEFAULT_LIMITS, ...input }
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`limits.${name} must be a positive integer`)
  }
  return limits
}

function resolvePoke(input: ServerOptions['poke'] = {}): Pick<PokeOptions, 'heartbeatMs' | 'coalesceMs'> {
  const poke = { ...DEFAULT_POKE_OPTIONS, ...input }
  for (const [name, value] of Object.entries(poke)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`poke.${name} must be a positive integer`)
  }
  return poke
}

function resolveBasePath(basePath: string): string {
  if (!BASE_PATH.test(basePath))
    throw new Error(`basePath must look like "/" or "/api" (got ${JSON.stringify(basePath)})`)
  return basePath.replace(/\/$/, '')
}

function baseUrl(host: string, port: number, basePath: string): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  const hostPart = reachable.includes(':') ? `[${reachable}]` : reachable
  return `http://${hostPart}:${port}${basePath}`
}
