export { type JwtOptions, type JwtPrincipal, jwtAuthenticate } from './auth/jwtAuthenticate.js'
export type { Authenticate, Principal } from './auth/principal.js'
export type {
  Authorize,
  DeclarativeWhere,
  FieldRule,
  FieldRules,
  Item,
  ReadRule,
  RuleContext,
  WriteCheck,
  WriteRequest,
  WriteRule,
} from './authorize/rules.js'
export type { ChaosOptions, ChaosSettings } from './chaos.js'
export { type Collection, type CollectionConfig, type FieldType, parseCollections } from './collections.js'
export type { Db, Queryable, Row, SqlParam, TransactionOptions } from './db/db.js'
export { type DatabaseOptions, openDatabase } from './db/openDatabase.js'
export { openPglite, pgliteDb } from './db/pglite.js'
export { openPostgres, type PostgresOptions } from './db/postgres.js'
export type { CorsOptions } from './http/doors.js'
export type { RateLimitOptions } from './http/rateLimiter.js'
export type { ServerLimits } from './ops/opsContext.js'
export {
  type AtomaServer,
  createServer,
  DEFAULT_LIMITS,
  type RunningServer,
  type ServerAddress,
  type ServerOptions,
  startServer,
} from './server.js'
