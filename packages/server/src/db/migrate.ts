import type { Db } from './db.js'

/**
 * One table for every collection: `id` is stored as text next to its kind so that `1` and
 * `'1'` stay distinct entities (as in a JS Map) and both round-trip with their type.
 * Idempotency keys live beside them; `version` / `value` stay NULL while the entry that
 * claimed the key is still running, and rejected entries roll their claim back.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS atoma_items (
  store text NOT NULL,
  id_kind text NOT NULL CHECK (id_kind IN ('string', 'number')),
  id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  data jsonb NOT NULL,
  PRIMARY KEY (store, id_kind, id)
);
CREATE TABLE IF NOT EXISTS atoma_idempotency (
  store text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  version integer,
  value jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store, key)
);
CREATE INDEX IF NOT EXISTS atoma_idempotency_created_at ON atoma_idempotency (created_at);
`

/** Arbitrary constant: serializes servers migrating the same database at the same time. */
const MIGRATION_LOCK = 7_240_513

export async function migrate(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`)
    for (const statement of SCHEMA.split(';')) {
      if (statement.trim() !== '') await tx.query(statement)
    }
  })
}

/** Forgets idempotency keys older than `ttlMs`: a retry arrives within seconds, not days. */
export async function pruneIdempotencyKeys(db: Db, ttlMs: number): Promise<void> {
  await db.query(
    `DELETE FROM atoma_idempotency WHERE created_at < now() - ($1::text::bigint * interval '1 millisecond')`,
    [String(ttlMs)],
  )
}
