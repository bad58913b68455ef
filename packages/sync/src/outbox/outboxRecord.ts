import type { ConflictResolution, ErrorInfo, WriteEntry } from '@atoma/runtime'

/**
 * One write entry waiting for the server, as the outbox keeps it. Records are ordered by `seq`
 * (the order the writes were made, across every tab of the origin); `write` groups the entries of
 * one write, so a reload resumes each write whole.
 */
export interface OutboxRecord {
  seq: number
  store: string
  write: string
  entry: WriteEntry
  /** Push attempts that failed in a way worth trying again. */
  attempts: number
  lastError?: ErrorInfo
  /** Set once a conflict was resolved for the client: the entry was rewritten and goes again. */
  resolution?: ConflictResolution
}

/** Where the outbox lives: a reload (or a crash) finds what was appended, in order. */
export interface OutboxStorage {
  /**
   * True when other tabs of this origin see the same records (IndexedDB): the tabs then elect
   * one to push and tell each other about appends and results.
   */
  readonly shared: boolean
  /** Everything there is, as stored (checked by the caller: storage is not trusted either). */
  load(): Promise<unknown[]>
  /** Appends in order; returns the records with the `seq` each got. */
  append(records: readonly Omit<OutboxRecord, 'seq'>[]): Promise<OutboxRecord[]>
  /** Stores a record's new attempts, error or rewritten entry. */
  update(record: OutboxRecord): Promise<void>
  /** Removes settled records. */
  remove(seqs: readonly number[]): Promise<void>
  /** Keeps what could not be read, with why, out of the outbox but never dropped. */
  quarantine(raw: unknown, reason: string): Promise<void>
  /** Releases the storage (the database connection). */
  close(): void
}

const OPS = new Set(['create', 'update', 'upsert', 'delete', 'patch'])
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null
const isId = (id: unknown) =>
  (typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isFinite(id))

/** Why a stored record cannot be resumed, or `undefined` when it can. */
export function recordProblem(raw: unknown): string | undefined {
  if (!isObject(raw)) return 'it is not an object'
  if (!Number.isSafeInteger(raw.seq)) return 'its seq is not an integer'
  if (typeof raw.store !== 'string' || raw.store === '') return 'it names no store'
  if (typeof raw.write !== 'string') return 'it names no write'
  if (!Number.isSafeInteger(raw.attempts) || (raw.attempts as number) < 0)
    return 'its attempts are not a count'
  if (raw.resolution !== undefined && raw.resolution !== 'client-wins' && raw.resolution !== 'merged')
    return 'its resolution is unknown'
  const entry = raw.entry
  if (!isObject(entry)) return 'it has no entry'
  if (typeof entry.entryId !== 'string' || entry.entryId === '') return 'its entry has no entryId'
  if (!OPS.has(entry.op as string)) return `its entry has an unknown op ${JSON.stringify(entry.op)}`
  if (!isId(entry.id)) return 'its entry has no usable id'
  if (typeof entry.idempotencyKey !== 'string' || entry.idempotencyKey === '')
    return 'its entry has no idempotency key'
  if (typeof entry.clientTimeMs !== 'number') return 'its entry has no clientTimeMs'
  if (entry.baseVersion !== undefined && !Number.isSafeInteger(entry.baseVersion))
    return 'its entry has a baseVersion that is not an integer'
  if (entry.op !== 'delete' && !isObject(entry.value)) return `its ${String(entry.op)} entry has no value`
  if (entry.patches !== undefined && !Array.isArray(entry.patches))
    return 'its entry has patches that are not a list'
  return undefined
}
