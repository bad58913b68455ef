import type {
  AtomaPlugin,
  EntryResult,
  Id,
  NodeQueryResult,
  NodeWriteResult,
  Query,
  WriteEntry,
  WriteOp,
} from '@atoma/runtime'
import { afterEach, beforeEach, expect } from 'vitest'
import { registeredNode } from './registeredNode.js'

export interface BackendUnderTest {
  plugin: AtomaPlugin
  cleanup(): Promise<void>
}

export type MakeBackend = () => Promise<BackendUnderTest>

/** A unique prefix per run, so idempotency keys never meet a previous run's on a persistent backend. */
const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
let sequence = 0

/** A write entry with fresh `entryId` and `idempotencyKey` unless `extra` gives them. */
export function entry(op: WriteOp, id: Id, extra: Partial<WriteEntry> = {}): WriteEntry {
  sequence++
  return { entryId: `e${sequence}`, op, id, idempotencyKey: `${run}-${sequence}`, clientTimeMs: 0, ...extra }
}

/** The same entry sent again (a retry): a new entry id, the same idempotency key. */
export function resend(original: WriteEntry): WriteEntry {
  sequence++
  return { ...original, entryId: `e${sequence}` }
}

export interface Harness {
  write(store: string, ...entries: WriteEntry[]): Promise<NodeWriteResult>
  /** Writes one entry and returns its result. */
  apply(store: string, entry: WriteEntry): Promise<EntryResult>
  query(store: string, query?: Query): Promise<NodeQueryResult>
  /** Every item of a store, by the `id` field the suite gives every item, with its version. */
  contents(store: string): Promise<Array<{ value: unknown; version: number | undefined }>>
  /** Calls with a signal that is already aborted. */
  aborted: {
    write(store: string, ...entries: WriteEntry[]): Promise<NodeWriteResult>
    query(store: string, query?: Query): Promise<NodeQueryResult>
  }
}

/**
 * Gives every test of the calling `describe` a fresh backend from `makeBackend` (cleaned up
 * after it) and talks to it only through its registered node, as the execution kernel does.
 */
export function useBackend(makeBackend: MakeBackend): Harness {
  let backend: BackendUnderTest | undefined
  let node: ReturnType<typeof registeredNode> | undefined
  beforeEach(async () => {
    backend = await makeBackend()
    node = registeredNode(backend.plugin)
  })
  afterEach(async () => {
    await backend?.cleanup()
    backend = undefined
    node = undefined
  })
  const current = () => {
    if (node === undefined) throw new Error('the backend is used outside a test')
    return node
  }
  const live = () => new AbortController().signal
  const dead = () => AbortSignal.abort()

  const harness: Harness = {
    write: (store, ...entries) => current().write({ store, entries, signal: live() }),
    async apply(store, one) {
      const result = await harness.write(store, one)
      expect(result.items).toHaveLength(1)
      return result.items[0]!
    },
    query: (store, query = {}) => current().query({ store, query, signal: live() }),
    async contents(store) {
      const { items, versions } = await harness.query(store, { orderBy: [['id', 'asc']] })
      return items.map((value) => ({ value, version: versions?.get(idOf(value)) }))
    },
    aborted: {
      write: (store, ...entries) => current().write({ store, entries, signal: dead() }),
      query: (store, query = {}) => current().query({ store, query, signal: dead() }),
    },
  }
  return harness
}

/** The `id` field every item of the suite carries (equal to the id it is written under). */
export function idOf(value: unknown): Id {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined
  if (typeof id !== 'string' && typeof id !== 'number') throw new Error(`no id in ${JSON.stringify(value)}`)
  return id
}

/** What `fetch` and the local backends reject with when their signal is aborted. */
export function isAbortLike(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  return error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORTED'
}
