import type { AtomaErrorCode, ErrorInfo, RemoteEntryResult } from '@atoma/runtime/protocol'
import type { Collection } from '../collections.js'
import type { Db, Queryable } from '../db/db.js'
import { entryRef, errorInfo, quote } from '../errors.js'
import { idParams, readJson, readString, readVersion } from '../sql/itemRows.js'
import { isPlainObject } from '../validate/json.js'
import type { ParsedEntry } from '../validate/parseWriteEntries.js'
import { applyPatches, PatchDoesNotApply } from './applyPatches.js'

/** Carries a rejected entry's result out of its transaction, which rolls back on the way. */
class EntryRejected extends Error {
  readonly result: RemoteEntryResult

  constructor(result: RemoteEntryResult) {
    super(result.status === 'rejected' ? result.error.message : 'rejected')
    this.result = result
  }
}

interface Stored {
  version: number
  data: Record<string, unknown>
}

/**
 * Applies one write entry in its own transaction. The idempotency key is claimed first
 * (a concurrent request with the same key waits on it); a key already used replays the stored
 * result. A rejection rolls the whole transaction back, the claim included, so a rejected
 * write leaves nothing behind and the same key may be tried again.
 */
export async function applyEntry(
  db: Db,
  collection: Collection,
  entry: ParsedEntry,
): Promise<RemoteEntryResult> {
  try {
    return await db.transaction((tx) => new EntryTransaction(tx, collection, entry).run())
  } catch (error) {
    if (error instanceof EntryRejected) return error.result
    throw error
  }
}

class EntryTransaction {
  private readonly ref: string
  private readonly idKey: [string | null, string | null]

  constructor(
    private readonly tx: Queryable,
    private readonly collection: Collection,
    private readonly entry: ParsedEntry,
  ) {
    this.ref = entryRef(collection.name, entry.id, entry.entryId)
    this.idKey = idParams(entry.id)
  }

  async run(): Promise<RemoteEntryResult> {
    const { entry } = this
    const claimed = await this.tx.query(
      `INSERT INTO atoma_idempotency (store, key, request_hash) VALUES ($1::text, $2::text, $3::text)
       ON CONFLICT DO NOTHING RETURNING key`,
      [this.collection.name, entry.idempotencyKey, entry.requestHash],
    )
    if (claimed.length === 0) return this.replay()
    const current = await this.load()
    switch (entry.op) {
      case 'create':
        return this.create(current)
      case 'upsert':
        return this.upsert(current)
      case 'update':
      case 'patch':
        return this.update(this.existing(current))
      case 'delete':
        this.existing(current)
        return this.delete()
    }
  }

  private async replay(): Promise<RemoteEntryResult> {
    const [row] = await this.tx.query(
      `SELECT request_hash, version, value::text AS value FROM atoma_idempotency WHERE store = $1::text AND key = $2::text`,
      [this.collection.name, this.entry.idempotencyKey],
    )
    if (row === undefined || row.version === null) {
      throw new Error(`idempotency key ${quote(this.entry.idempotencyKey)} vanished while replaying`)
    }
    if (readString(row, 'request_hash') !== this.entry.requestHash) {
      this.reject(
        'VALIDATION',
        `${this.ref}: idempotency key ${quote(this.entry.idempotencyKey)} was already used for a different write`,
      )
    }
    const value = row.value === null ? null : readJson(row, 'value')
    return this.confirmed(readVersion(row), value)
  }

  private async load(): Promise<Stored | undefined> {
    const [row] = await this.tx.query(
      `SELECT version, data::text AS data FROM atoma_items
       WHERE store = $1::text AND id_kind = $2::text AND id = $3::text FOR UPDATE`,
      [this.collection.name, ...this.idKey],
    )
    if (row === undefined) return undefined
    const data = readJson(row, 'data')
    if (!isPlainObject(data)) throw new Error(`${this.ref}: stored item is not an object`)
    return { version: readVersion(row), data }
  }

  private existing(current: Stored | undefined): Stored {
    if (current === undefined)
      this.reject('NOT_FOUND', `${this.ref}: there is no such item to ${this.entry.op}`)
    this.checkBaseVersion(current)
    return current
  }

  private checkBaseVersion(current: Stored): void {
    const { baseVersion } = this.entry
    if (baseVersion !== undefined && baseVersion !== current.version) {
      this.reject(
        'CONFLICT',
        `${this.ref}: version conflict, the ${this.entry.op} expected version ${baseVersion} but the item is at ${current.version}`,
        current.data,
      )
    }
  }

  private async create(current: Stored | undefined): Promise<RemoteEntryResult> {
    if (current !== undefined)
      this.reject('CONFLICT', `${this.ref}: an item with this id exists`, current.data)
    const written = await this.record(
      `INSERT INTO atoma_items (store, id_kind, id, version, data) VALUES ($1::text, $2::text, $3::text, 1, $4::text::jsonb)
       ON CONFLICT DO NOTHING RETURNING version, data`,
      this.value(),
    )
    // Created by a concurrent request between our read and our insert.
    if (written === undefined)
      this.reject('CONFLICT', `${this.ref}: an item with this id exists`, (await this.load())?.data)
    return written
  }

  /** Creates or replaces; a `baseVersion` is checked only against an item that exists. */
  private async upsert(current: Stored | undefined): Promise<RemoteEntryResult> {
    if (current !== undefined) this.checkBaseVersion(current)
    return this.wrote(
      await this.record(
        `INSERT INTO atoma_items (store, id_kind, id, version, data) VALUES ($1::text, $2::text, $3::text, 1, $4::text::jsonb)
         ON CONFLICT (store, id_kind, id) DO UPDATE SET data = EXCLUDED.data, version = atoma_items.version + 1
         RETURNING version, data`,
        this.value(),
      ),
    )
  }

  /** Patches apply to the stored item, so a rejected earlier write never leaks in through `value`. */
  private async update(current: Stored): Promise<RemoteEntryResult> {
    const { patches } = this.entry
    let next: unknown
    if (patches === undefined) {
      next = this.value()
    } else {
      try {
        next = applyPatches(structuredClone(current.data), patches)
      } catch (error) {
        if (!(error instanceof PatchDoesNotApply)) throw error
        this.reject('VALIDATION', `${this.ref}: ${error.message}`)
      }
    }
    const { key } = this.collection
    if (!isPlainObject(next)) this.reject('VALIDATION', `${this.ref}: the patches do not leave an object`)
    if (next[key] !== this.entry.id) {
      this.reject('VALIDATION', `${this.ref}: the patches change the key field ${quote(key)}`)
    }
    return this.wrote(
      await this.record(
        `UPDATE atoma_items SET data = $4::text::jsonb, version = version + 1
         WHERE store = $1::text AND id_kind = $2::text AND id = $3::text RETURNING version, data`,
        next,
      ),
    )
  }

  /** `$4` is NULL here: a deleted item's value is null. */
  private async delete(): Promise<RemoteEntryResult> {
    return this.wrote(
      await this.record(
        `DELETE FROM atoma_items WHERE store = $1::text AND id_kind = $2::text AND id = $3::text
         RETURNING version + 1 AS version, $4::text::jsonb AS data`,
        null,
      ),
    )
  }

  private value(): Record<string, unknown> {
    const { value } = this.entry
    if (value === undefined)
      throw new Error(`${this.ref}: ${this.entry.op} without a value passed validation`)
    return value
  }

  /**
   * Runs `write` (parameters: $1 store, $2 id kind, $3 id, $4 the item as JSON; returning
   * `version, data`) and stores its result under the idempotency key in the same statement,
   * one round trip instead of two. Answers the item as the database stored it, or undefined
   * when `write` touched no row.
   */
  private async record(write: string, value: unknown): Promise<RemoteEntryResult | undefined> {
    const [row] = await this.tx.query(
      `WITH written AS (${write})
       UPDATE atoma_idempotency SET version = written.version, value = written.data FROM written
       WHERE atoma_idempotency.store = $1::text AND atoma_idempotency.key = $5::text
       RETURNING written.version, written.data::text AS data`,
      [
        this.collection.name,
        ...this.idKey,
        value === null ? null : JSON.stringify(value),
        this.entry.idempotencyKey,
      ],
    )
    if (row === undefined) return undefined
    return this.confirmed(readVersion(row), row.data === null ? null : readJson(row, 'data'))
  }

  private wrote(result: RemoteEntryResult | undefined): RemoteEntryResult {
    if (result === undefined) throw new Error(`${this.ref}: the ${this.entry.op} wrote no row`)
    return result
  }

  private confirmed(version: number, value: unknown): RemoteEntryResult {
    return { entryId: this.entry.entryId, status: 'confirmed', id: this.entry.id, version, value }
  }

  private reject(code: AtomaErrorCode, message: string, current?: unknown): never {
    const error: ErrorInfo = errorInfo(code, message)
    if (current !== undefined) error.current = current
    throw new EntryRejected({ entryId: this.entry.entryId, status: 'rejected', error })
  }
}
