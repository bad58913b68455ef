import type { Inspectable } from './inspect.js'

export type TxnId = string | number

/** A patch as the panel shows it; `value` is absent for `remove`. */
export interface PatchView {
  op: string
  path: readonly TxnId[]
  value: Inspectable | undefined
}

/** What changed at one path (an entity id of a collection, a key of a store); undefined = absent. */
export interface ChangeView {
  path: readonly TxnId[]
  before: Inspectable | undefined
  after: Inspectable | undefined
}

export interface ChangePage {
  items: ChangeView[]
  total: number
  /** Changes a recording left out. */
  omitted: number
}

/**
 * One transaction, from a live `TxnRecord` or a recorded one: the summary fields are read eagerly
 * (they are cheap), everything that needs serialization only when a view asks for it.
 */
export interface TxnView {
  /** `label` + `txnId`: transaction ids count per runtime. */
  readonly key: string
  readonly label: string
  readonly txnId: number
  readonly store: string
  readonly origin: { readonly kind: string; readonly name?: string; readonly opId?: string }
  readonly patchCount: number
  readonly changedIds: readonly TxnId[] | undefined
  readonly startedAt: number
  readonly durationMs: number
  /** Listeners notified by the commit (`state:update` data), when known. */
  readonly listeners: number | undefined
  patchAt(index: number): PatchView | undefined
  /** Patches a recording left out. */
  readonly patchesOmitted: number
  changes(offset: number, limit: number): ChangePage
  snapshot(which: 'before' | 'after'): Inspectable | undefined
  /** Size of the patches serialized as JSON, in UTF-8 bytes. */
  patchBytes(): { bytes: number; approx: boolean }
  /** The display field (`title`, `name`…) of the first entity it changed, when it has one. */
  entityName(): string | undefined
  /** Whether patches and snapshots were kept (`full` instrumentation). */
  readonly full: boolean
}

export const txnKey = (label: string, txnId: number): string => `${label}\u0000${txnId}`

/** `1 patch`, `3 patches`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

/**
 * How a list names a transaction: its action or write and what it was about — `setFilter("open")`,
 * `update “Pick a bold palette” +2`, `query 40 items` — instead of ids alone.
 */
export function txnTitle(txn: TxnView, payload: string | undefined): string {
  const { kind, name } = txn.origin
  if (kind === 'action') return `${name ?? 'action'}(${payload ?? ''})`
  const ids = txn.changedIds
  const entity = txn.entityName()
  const more = ids && ids.length > 1 ? ` +${ids.length - 1}` : ''
  const what =
    entity !== undefined
      ? `“${entity}”${more}`
      : ids && ids.length > 0
        ? `${ids.slice(0, 3).map(String).join(', ')}${ids.length > 3 ? ` +${ids.length - 3}` : ''}`
        : ''
  const verb =
    name ??
    (kind === 'query' || kind === 'sync' || kind === 'hydrate'
      ? plural(ids?.length ?? txn.patchCount, 'item')
      : '')
  return [verb, what].filter(Boolean).join(' ')
}

/** `optimistic:create`, `action:setFilter`, `query`. */
export function originText(origin: TxnView['origin']): string {
  return origin.name ? `${origin.kind}:${origin.name}` : origin.kind
}
