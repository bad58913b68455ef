import type { Db, Queryable } from './db.js'

/**
 * The schema as a list of steps, each applied once and recorded in `atoma_migrations`.
 * Step 1 is the schema of the first release, written with IF NOT EXISTS so that a database
 * made before steps were recorded (its tables exist, the record does not) passes through it
 * unchanged and continues with step 2.
 *
 * One table for every collection: `id` is stored as text next to its kind so that `1` and
 * `'1'` stay distinct entities (as in a JS Map) and both round-trip with their type.
 * Idempotency keys live beside them; `version` / `value` stay NULL while the entry that
 * claimed the key is still running, and rejected entries roll their claim back.
 */
const STEPS: readonly ((tx: Queryable) => Promise<void>)[] = [
  async (tx) => {
    await tx.query(`CREATE TABLE IF NOT EXISTS atoma_items (
      store text NOT NULL,
      id_kind text NOT NULL CHECK (id_kind IN ('string', 'number')),
      id text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      data jsonb NOT NULL,
      PRIMARY KEY (store, id_kind, id)
    )`)
    await tx.query(`CREATE TABLE IF NOT EXISTS atoma_idempotency (
      store text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      version integer,
      value jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (store, key)
    )`)
    await tx.query(
      'CREATE INDEX IF NOT EXISTS atoma_idempotency_created_at ON atoma_idempotency (created_at)',
    )
  },
  // Keys belong to the principal that sent them: another principal's key is simply another key.
  // Keys remembered before principals existed were sent by the one anonymous principal.
  async (tx) => {
    await tx.query(`ALTER TABLE atoma_idempotency ADD COLUMN principal text NOT NULL DEFAULT 'anonymous'`)
    await tx.query('ALTER TABLE atoma_idempotency ALTER COLUMN principal DROP DEFAULT')
    const [primary] = await tx.query(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'atoma_idempotency'::regclass AND contype = 'p'`,
    )
    const name = String(primary?.conname ?? 'atoma_idempotency_pkey').replaceAll('"', '""')
    await tx.query(
      `ALTER TABLE atoma_idempotency DROP CONSTRAINT "${name}", ADD PRIMARY KEY (store, principal, key)`,
    )
  },
  // The change log (README: Sync). Every change to a store takes the next value of its sequence in
  // `atoma_stores`, deletes included: a delete keeps the row as a tombstone (its last data, so read
  // rules still apply to it). Items of the earlier releases keep their versions, which repeat
  // within a store (each item counted from 1), so pulls page by (version, id) and each sequence
  // starts above every version its store holds.
  async (tx) => {
    await tx.query('CREATE TABLE atoma_stores (store text PRIMARY KEY, version bigint NOT NULL)')
    await tx.query(`ALTER TABLE atoma_items ADD COLUMN deleted boolean NOT NULL DEFAULT false,
      ALTER COLUMN version TYPE bigint`)
    await tx.query('ALTER TABLE atoma_idempotency ALTER COLUMN version TYPE bigint')
    await tx.query(
      'INSERT INTO atoma_stores (store, version) SELECT store, max(version) FROM atoma_items GROUP BY store',
    )
    await tx.query('CREATE INDEX atoma_items_changes ON atoma_items (store, version, id_kind, id)')
  },
]

/** Arbitrary constant: serializes servers migrating the same database at the same time. */
const MIGRATION_LOCK = 7_240_513

/** Brings the database to the current schema: every step it has not recorded, in order, in one transaction. */
export async function migrate(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`)
    await tx.query(
      `CREATE TABLE IF NOT EXISTS atoma_migrations (
        step integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    )
    const done = new Set((await tx.query('SELECT step FROM atoma_migrations')).map((row) => Number(row.step)))
    for (const [index, step] of STEPS.entries()) {
      if (done.has(index + 1)) continue
      await step(tx)
      await tx.query('INSERT INTO atoma_migrations (step) VALUES ($1::text::integer)', [String(index + 1)])
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
