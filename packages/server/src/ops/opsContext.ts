import type { Chaos } from '../chaos.js'
import type { Collection } from '../collections.js'
import type { Db } from '../db/db.js'

/** The size limits the server enforces on each request (`DEFAULT_LIMITS` without options). */
export interface ServerLimits {
  /** Largest accepted request body; larger answers 413. Default 1 MiB. */
  maxBodyBytes: number
  /** Most ops in one request; more answers 400. Default 100. */
  maxOpsPerRequest: number
  /** Most entries in one write op; more fails the op (VALIDATION). Default 500. */
  maxEntriesPerOp: number
  /** Largest `limit` a query may ask for. Default 1000. */
  maxQueryLimit: number
  /** Most items one request answers over all its ops (RESPONSE_TOO_LARGE past it). Default 10,000. */
  maxResponseRows: number
  /** Most bytes of item JSON one request answers over all its ops. Default 8 MiB. */
  maxResponseBytes: number
  /** How long one request may take; ops past it fail with TIMEOUT. Default 10 s. */
  requestTimeoutMs: number
  /** Most changes one pull answers; a larger `limit` is cut to it. Default 5000. */
  maxPullLimit: number
  /** Most poke streams open at once, in all and per principal; more answer 429. Defaults 1000 and 16. */
  maxPokeStreams: number
  maxPokeStreamsPerPrincipal: number
}

/** What handling ops needs; built once by createServer. */
export interface OpsContext {
  db: Db
  collections: ReadonlyMap<string, Collection>
  limits: ServerLimits
  chaos: Chaos
  onError: (error: unknown) => void
  /** Called once a write entry that changed `store` has committed (the pokes hear of it here). */
  onChange: (store: string) => void
}
