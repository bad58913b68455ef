import type { AtomaErrorCode, ErrorInfo, RemoteEntryResult } from '@atoma/runtime/protocol'
import { checkWrite } from '../authorize/checkWrite.js'
import { type ReadAccess, visibleValue } from '../authorize/readAccess.js'
import type { Item, WriteRequest } from '../authorize/rules.js'
import type { Collection } from '../collections.js'
import { type Queryable, StatementTimeout } from '../db/db.js'
import { entryRef, errorInfo, quote } from '../errors.js'
import type { OpsContext } from '../ops/opsContext.js'
import type { RequestContext } from '../request/requestContext.js'
import { idParams, readString, readVersion } from '../sql/itemRows.js'
import { matchDocuments } from '../sql/matchDocuments.js'
import { isPlainObject, parseStored } from '../validate/json.js'
import { EVERYTHING, NOTHING } from '../validate/parseQuery.js'
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

/** What an entry is applied within: the server, the request (principal, budget, time) and the principal's access to the collection. */
export interface EntryScope {
  server: OpsContext
  request: RequestContext
  collection: Collection
  access: ReadAccess
}

interface Stored {
  version: number
  /** Without any forbidden key (`unsafe` names the first one the stored row holds). */
  data: Item
  unsafe?: string
}

/**
 * Applies one write entry in its own transaction, bounded by the request's time. The
 * idempotency key, scoped to the principal, is claimed first (a concurrent request with the
 * same key waits on it); a key already used replays the stored result. A rejection rolls the
 * whole transaction back, the claim included, so a rejected write leaves nothing behind and the
 * same key may be tried again. Once a change has committed, `server.onChange` hears of it (pokes).
 */
export async function applyEntry(scope: EntryScope, entry: ParsedEntry): Promise<RemoteEntryResult> {
  try {
    const transaction = await scope.server.db.transaction(
      async (tx) => {
        const run = new EntryTransaction(tx, scope, entry)
        return { result: await run.run(), changed: run.changed }
      },
      { timeoutMs: scope.request.deadline.remainingMs() },
    )
    if (transaction.changed) scope.server.onChange(scope.collection.name)
    return transaction.result
  } catch (error) {
    if (error instanceof EntryRejected) return error.result
    if (error instanceof StatementTimeout) {
      const ref = entryRef(scope.collection.name, entry.id, entry.entryId)
      const info = errorInfo('TIMEOUT', `${ref}: ran past the request's time and was not applied`, true)
      return { entryId: entry.entryId, status: 'rejected', error: info }
    }
    throw error
  }
}

/**
 * The next value of the store's sequence, as a CTE (`next`) for the statement that writes the row.
 * Its row in atoma_stores stays locked until the entry's transaction ends, so the writers of one
 * store take their versions one after another, each after the previous one committed (or rolled
 * back, taking its number with it): versions are assigned in commit order. That is the whole
 * correctness argument of the pull cursor: a pull whose snapshot holds version N already holds
 * every version below N, so a row committed later always comes with a version above N.
 */
const NEXT_VERSION = `next AS (
  INSERT INTO atoma_stores (store, version) VALUES ($1::text, 1)
  ON CONFLICT (store) DO UPDATE SET version = atoma_stores.version + 1 RETURNING version
)`

class EntryTransaction {
  /** Whether the entry wrote a row (a replay writes none). */
  changed = false
  private readonly ref: string
  private readonly idKey: [string | null, string | null]
  private readonly collection: Collection
  private readonly principal: string

  constructor(
    private readonly tx: Queryable,
    private readonly scope: EntryScope,
    private readonly entry: ParsedEntry,
  ) {
    this.collection = scope.collection
    this.principal = scope.request.principal.id
    this.ref = entryRef(scope.collection.name, entry.id, entry.entryId)
    this.idKey = idParams(entry.id)
  }

  async run(): Promise<RemoteEntryResult> {
    const { entry } = this
    const claimed = await this.tx.query(
      `INSERT INTO atoma_idempotency (store, principal, key, request_hash) VALUES ($1::text, $2::text, $3::text, $4::text)
       ON CONFLICT DO NOTHING RETURNING key`,
      [this.collection.name, this.principal, entry.idempotencyKey, entry.requestHash],
    )
    if (claimed.length === 0) return this.replay()
    const current = await this.load()
    let next: Item | null
    switch (entry.op) {
      case 'create':
        if (current !== undefined) await this.conflict(current, 'an item with this id exists')
        next = this.value()
        break
      case 'upsert':
        if (current !== undefined) await this.checkBaseVersion(current)
        next = this.value()
        break
      case 'update':
      case 'patch':
        next = this.patched(await this.existing(current))
        break
      case 'delete':
        await this.existing(current)
        next = null
        break
    }
    if (next !== null) this.keepHidden(next, current)
    await this.authorize(current, next)
    return this.write(next)
  }

  private async replay(): Promise<RemoteEntryResult> {
    const [row] = await this.tx.query(
      `SELECT request_hash, version, value::text AS value FROM atoma_idempotency
       WHERE store = $1::text AND principal = $2::text AND key = $3::text`,
      [this.collection.name, this.principal, this.entry.idempotencyKey],
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
    // The write was applied before: an answer that does not fit now fits in a request of its own.
    return this.confirmed(readVersion(row), row.value === null ? null : readString(row, 'value'), true)
  }

  /** The stored item, locked for the transaction; a tombstone (locked too) is no item. */
  private async load(): Promise<Stored | undefined> {
    const [row] = await this.tx.query(
      `SELECT version, deleted, data::text AS data FROM atoma_items
       WHERE store = $1::text AND id_kind = $2::text AND id = $3::text FOR UPDATE`,
      [this.collection.name, ...this.idKey],
    )
    if (row === undefined || row.deleted === true) return undefined
    const { value, unsafe } = parseStored(readString(row, 'data'))
    if (!isPlainObject(value)) throw new Error(`${this.ref}: stored item is not an object`)
    return unsafe === undefined
      ? { version: readVersion(row), data: value }
      : { version: readVersion(row), data: value, unsafe }
  }

  /** The stored item an update, patch or delete needs, at the expected version. */
  private async existing(current: Stored | undefined): Promise<Stored> {
    if (current === undefined)
      this.reject('NOT_FOUND', `${this.ref}: there is no such item to ${this.entry.op}`)
    await this.checkBaseVersion(current)
    if (current.unsafe !== undefined && this.entry.op !== 'delete') {
      this.reject(
        'VALIDATION',
        `${this.ref}: the stored item holds the forbidden key ${quote(current.unsafe)}; replace it whole with an upsert, or delete it`,
      )
    }
    return current
  }

  private async checkBaseVersion(current: Stored): Promise<void> {
    const { baseVersion } = this.entry
    if (baseVersion !== undefined && baseVersion !== current.version) {
      await this.conflict(
        current,
        `version conflict, the ${this.entry.op} expected version ${baseVersion} but the item is at ${current.version}`,
      )
    }
  }

  /** Patches apply to the stored item, so a rejected earlier write never leaks in through `value`. */
  private patched(current: Stored): Item {
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
    return next
  }

  /** A field the principal cannot see is not one it meant to remove: a value without it keeps the stored one. */
  private keepHidden(next: Item, current: Stored | undefined): void {
    if (current === undefined) return
    for (const field of this.scope.access.hidden) {
      if (Object.hasOwn(current.data, field) && !Object.hasOwn(next, field)) next[field] = current.data[field]
    }
  }

  private async authorize(current: Stored | undefined, next: Item | null): Promise<void> {
    const { entry } = this
    const request: WriteRequest = {
      op: entry.op,
      id: entry.id,
      ...(entry.value !== undefined ? { value: entry.value } : {}),
      ...(entry.patches !== undefined ? { patches: entry.patches } : {}),
      ...(entry.baseVersion !== undefined ? { baseVersion: entry.baseVersion } : {}),
    }
    const { server, request: context, collection, access } = this.scope
    const reason = await checkWrite(collection, access, context.principal, this.tx, server, {
      entry: request,
      current: current?.data ?? null,
      next,
    })
    if (reason !== undefined) this.reject('FORBIDDEN', `${this.ref}: forbidden: ${reason}`)
  }

  /** Every change takes the store's next version (`next`); a create or an upsert revives a tombstone. */
  private async write(next: Item | null): Promise<RemoteEntryResult> {
    const insert = `INSERT INTO atoma_items (store, id_kind, id, version, data)
      VALUES ($1::text, $2::text, $3::text, (SELECT version FROM next), $4::text::jsonb)
      ON CONFLICT (store, id_kind, id) DO UPDATE SET data = EXCLUDED.data, version = EXCLUDED.version, deleted = false`
    switch (this.entry.op) {
      case 'create': {
        const written = await this.record(`${insert} WHERE atoma_items.deleted RETURNING version, data`, next)
        // Created by a concurrent request between our read and our insert.
        if (written === undefined) {
          const current = await this.load()
          if (current !== undefined) await this.conflict(current, 'an item with this id exists')
          throw new Error(`${this.ref}: the create wrote no row`)
        }
        return written
      }
      case 'upsert':
        return this.wrote(await this.record(`${insert} RETURNING version, data`, next))
      case 'update':
      case 'patch':
        return this.wrote(
          await this.record(
            `UPDATE atoma_items SET data = $4::text::jsonb, version = (SELECT version FROM next)
             WHERE store = $1::text AND id_kind = $2::text AND id = $3::text AND NOT deleted RETURNING version, data`,
            next,
          ),
        )
      case 'delete':
        // The row stays as a tombstone with its last data (read rules apply to it); `$4` is NULL here.
        return this.wrote(
          await this.record(
            `UPDATE atoma_items SET deleted = true, version = (SELECT version FROM next)
             WHERE store = $1::text AND id_kind = $2::text AND id = $3::text AND NOT deleted
             RETURNING version, $4::text::jsonb AS data`,
            null,
          ),
        )
    }
  }

  /** A copy of the entry's value, which becomes `next` (hidden fields may be added to it). */
  private value(): Item {
    const { value } = this.entry
    if (value === undefined)
      throw new Error(`${this.ref}: ${this.entry.op} without a value passed validation`)
    return { ...value }
  }

  /**
   * Runs `write` (parameters: $1 store, $2 id kind, $3 id, $4 the item as JSON; the CTE `next`
   * holding the version; returning `version, data`) and stores its result under the idempotency
   * key in the same statement, one round trip instead of two. Answers the item as the database
   * stored it, or undefined when `write` touched no row.
   */
  private async record(write: string, value: Item | null): Promise<RemoteEntryResult | undefined> {
    const [row] = await this.tx.query(
      `WITH ${NEXT_VERSION}, written AS (${write})
       UPDATE atoma_idempotency SET version = written.version, value = written.data FROM written
       WHERE atoma_idempotency.store = $1::text AND atoma_idempotency.principal = $6::text
         AND atoma_idempotency.key = $5::text
       RETURNING written.version, written.data::text AS data`,
      [
        this.collection.name,
        ...this.idKey,
        value === null ? null : JSON.stringify(value),
        this.entry.idempotencyKey,
        this.principal,
      ],
    )
    if (row === undefined) return undefined
    this.changed = true
    return this.confirmed(readVersion(row), row.data === null ? null : readString(row, 'data'), false)
  }

  private wrote(result: RemoteEntryResult | undefined): RemoteEntryResult {
    if (result === undefined) throw new Error(`${this.ref}: the ${this.entry.op} wrote no row`)
    return result
  }

  /**
   * The confirmation, charged to the request's budget. An answer that does not fit rejects the
   * entry (before commit, so nothing was applied; a replay was applied before, hence `replayed`
   * makes it retryable).
   */
  private confirmed(version: number, text: string | null, replayed: boolean): RemoteEntryResult {
    const { budget } = this.scope.request
    const bytes = text === null ? 0 : Buffer.byteLength(text)
    if (bytes > budget.bytes) {
      const failure = budget.tooLarge(`${this.ref}: the item`, budget.untouched && !replayed)
      this.reject(failure.info.code, failure.info.message, {}, failure.info.retryable)
    }
    budget.charge(1, bytes)
    const value = text === null ? null : visibleValue(JSON.parse(text), this.scope.access)
    return { entryId: this.entry.entryId, status: 'confirmed', id: this.entry.id, version, value }
  }

  /**
   * CONFLICT, with the stored item and its version when the principal may read it (fields it may
   * not see left out) and it fits the budget: the client lands both on its confirmed base, so its
   * next write carries the right baseVersion and the conflict heals.
   */
  private async conflict(current: Stored, reason: string): Promise<never> {
    let shown: Pick<ErrorInfo, 'current' | 'currentVersion'> = {}
    if (current.unsafe === undefined && (await this.readable(current.data))) {
      const value = visibleValue(current.data, this.scope.access)
      const bytes = Buffer.byteLength(JSON.stringify(value))
      const { budget } = this.scope.request
      if (bytes <= budget.bytes) {
        budget.charge(0, bytes)
        shown = { current: value, currentVersion: current.version }
      }
    }
    this.reject('CONFLICT', `${this.ref}: ${reason}`, shown)
  }

  private async readable(data: Item): Promise<boolean> {
    const { rows } = this.scope.access
    if (rows === EVERYTHING) return true
    if (rows === NOTHING) return false
    const [visible] = await matchDocuments(this.tx, rows, [data])
    return visible === true
  }

  private reject(
    code: AtomaErrorCode,
    message: string,
    extra: Pick<ErrorInfo, 'current' | 'currentVersion'> = {},
    retryable = false,
  ): never {
    const error: ErrorInfo = { ...errorInfo(code, message, retryable), ...extra }
    throw new EntryRejected({ entryId: this.entry.entryId, status: 'rejected', error })
  }
}
