export type { ChaosOptions, ChaosSettings } from './chaos.js'
export { type Collection, type CollectionConfig, type FieldType, parseCollections } from './collections.js'
export type { Db, Queryable, Row, SqlParam } from './db/db.js'
export { type DatabaseOptions, openDatabase } from './db/openDatabase.js'
export { openPglite, pgliteDb } from './db/pglite.js'
export { openPostgres, type PostgresOptions } from './db/postgres.js'
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
