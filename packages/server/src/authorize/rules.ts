import type { Id, Patch, Where } from '@atoma/runtime/protocol'
import type { Principal } from '../auth/principal.js'

/** A value, or a promise of it: rules may be synchronous or not. */
export type Awaitable<T> = T | Promise<T>

/** An item as stored: a JSON object. */
export type Item = Record<string, unknown>

/**
 * A `where` of the query language written as JSON, where any operand may be a reference to the
 * principal: `{ "ownerId": { "$principal": "id" } }`, `{ "orgId": { "in": { "$principal":
 * "claims.orgs" } } }`. A reference that does not resolve to a value (a missing claim) makes the
 * whole rule match nothing: a rule never widens because a claim is absent.
 */
export type DeclarativeWhere = Record<string, unknown>

/**
 * What a rule may read besides its arguments: other rows, by the query language, without rules,
 * bounded (at most 1000 items per call) and parametrized like every query. During a write it
 * reads inside the entry's transaction.
 */
export interface RuleContext {
  /** Items of `store` matching `where` (at most `limit`, at most 1000). */
  find(store: string, where?: Where, options?: { limit?: number }): Promise<Item[]>
  /** The item of `store` with this id, if there is one. */
  get(store: string, id: Id): Promise<Item | undefined>
}

/** The entry a write rule is asked about. */
export interface WriteRequest {
  readonly op: 'create' | 'update' | 'upsert' | 'delete' | 'patch'
  readonly id: Id
  readonly value?: Item
  readonly patches?: readonly Patch[]
  readonly baseVersion?: number
}

/** `current`: the stored item (locked for the entry's transaction) or null; `next`: the item as the entry would leave it, null for a delete. */
export interface WriteCheck {
  readonly entry: WriteRequest
  readonly current: Item | null
  readonly next: Item | null
}

/** The rows a principal may read: a `where`, `true` (all) or `false` (none). */
export type ReadRule =
  | boolean
  | DeclarativeWhere
  | ((principal: Principal, ctx: RuleContext) => Awaitable<Where | boolean>)

/**
 * Whether an entry may be applied: `true`, `false` or a reason (refused). A declarative rule
 * must match both `current` and `next` (whichever exist).
 */
export type WriteRule =
  | boolean
  | DeclarativeWhere
  | ((principal: Principal, check: WriteCheck, ctx: RuleContext) => Awaitable<boolean | string>)

/** Whether a principal may read (or change) one field; a declarative rule is a `where` over the principal (`{ "claims.role": "admin" }`). */
export type FieldRule =
  | boolean
  | DeclarativeWhere
  | ((principal: Principal, ctx: RuleContext) => Awaitable<boolean>)

/** Who may read and write one field of a collection's items. */
export interface FieldRules {
  /** Default true. An unreadable field is left out of every item returned and refused in where and orderBy. */
  read?: FieldRule
  /** Default: the field's read rule. An entry that would change an unwritable field is refused. */
  write?: FieldRule
}

/**
 * Per collection (contract name). Without `authorize` every principal reads and writes
 * everything. `read` absent: everything; `write` absent: the read rule, on `current` and `next`
 * (a principal writes only rows it may read, and only so that it can still read them).
 */
export interface Authorize {
  read?: ReadRule
  write?: WriteRule
  fields?: Record<string, FieldRules>
}
