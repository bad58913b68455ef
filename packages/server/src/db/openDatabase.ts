import type { Db } from './db.js'
import { openPglite } from './pglite.js'
import { openPostgres } from './postgres.js'

/** Where the data lives: embedded PGlite in a directory or in memory, or a PostgreSQL server. */
export type DatabaseOptions =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'memory' }
  | { kind: 'postgres'; url: string; schema?: string }

export const DEFAULT_DATA_DIR = './.atoma-data'

/** `DATABASE_URL` when set, else PGlite in ./.atoma-data. */
export function defaultDatabase(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  const url = env.DATABASE_URL
  return url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: DEFAULT_DATA_DIR }
}

/** `onError` receives errors of idle PostgreSQL connections (default console.error). */
export function openDatabase(options: DatabaseOptions, onError?: (error: unknown) => void): Promise<Db> {
  switch (options.kind) {
    case 'pglite':
      return openPglite(options.dataDir)
    case 'memory':
      return openPglite(undefined)
    case 'postgres':
      return openPostgres({ url: options.url, schema: options.schema, onError })
  }
}
