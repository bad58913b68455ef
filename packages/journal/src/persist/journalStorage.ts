import { AtomaError, type Id, type MemoryRow, type MemoryStorage } from '@atoma/runtime'
import { type Journal, type JournalEvent, type JournalOptions, openJournal } from '../journal/openJournal.js'
import type { Patch } from '../patch/patch.js'
import type { JournalStorage } from '../storage/storage.js'
import { isPlainObject } from './fields.js'
import { after, guard, wantsCompaction } from './upkeep.js'

/** Options of `journalStorage`; only `name` is required. */
export interface JournalStorageOptions {
  /** The journal's name in the storage (letters, digits, `.`, `_`, `-`). */
  name: string
  /**
   * Everything the journal notices. Damage is recovered either way (a crash's torn tail is cut
   * back to the last good commit); without a listener it is reported with `console.warn`.
   */
  onEvent?: (event: JournalEvent) => void
}

/**
 * A journal as `memoryBackend`'s storage, so a local collection outlives the page:
 *
 *     memoryBackend({ storage: journalStorage(indexedDbStorage(), { name: 'todos' }) })
 *
 * The journal holds one entry per item — a Map keyed by `[store, id]` as JSON, so `1` and `'1'`
 * stay different ids — and each write appends only the items it changed: O(change). The log is
 * compacted once it outgrows its checkpoint. The backend loads once, so another tab's writes
 * reach this one at its next load; the journal keeps their commits in order either way.
 */
export function journalStorage(storage: JournalStorage, options: JournalStorageOptions): MemoryStorage {
  const name = options?.name
  let journal: Journal | undefined
  let compacting = false
  let failedAt: number | undefined
  const report = (event: JournalEvent) => {
    if (options.onEvent !== undefined) options.onEvent(event)
    else if (event.type === 'damaged')
      console.warn(`[atoma] journalStorage: ${event.diagnostic.message}; recovering`)
  }
  const recover = (): void | Promise<void> => {
    if (journal === undefined || journal.stats().damage.length === 0) return
    const current = journal
    return guard(
      () => after(current.recover(), () => undefined),
      (error) => console.warn(`[atoma] journalStorage '${name}': recovering failed: ${String(error)}`),
    ) as void | Promise<void>
  }
  const onEvent = (event: JournalEvent) => {
    report(event)
    // Damage found after opening (another writer's torn append): recovered outside the journal's call.
    if (event.type === 'damaged' && journal !== undefined) queueMicrotask(() => void recover())
  }
  const compact = () => {
    const current = journal!
    if (compacting || !wantsCompaction(current.stats(), failedAt)) return
    compacting = true
    void guard(
      () =>
        after(current.compact(), () => {
          compacting = false
          failedAt = undefined
        }),
      (error) => {
        compacting = false
        failedAt = current.stats().bytes
        console.warn(`[atoma] journalStorage '${name}': compacting failed (writes go on): ${String(error)}`)
      },
    )
  }

  return {
    load() {
      const open = openJournal as (
        storage: JournalStorage,
        options: JournalOptions,
      ) => Journal | Promise<Journal>
      return after(open(storage, { name, initial: new Map(), onEvent }), (opened) => {
        journal = opened
        return after(recover(), () => rowsOf(name, opened.root))
      })
    },
    save(changes) {
      if (journal === undefined)
        throw new AtomaError('INVALID_ARGUMENT', `journalStorage '${name}': save() before load()`)
      const patches: Patch[] = changes.map((row) =>
        row.value === undefined
          ? { op: 'remove', path: [keyOf(row.store, row.id)] }
          : {
              op: 'add',
              path: [keyOf(row.store, row.id)],
              value: { value: row.value, version: row.version },
            },
      )
      return after(journal.commit(patches), () => compact())
    },
  }
}

const keyOf = (store: string, id: Id) => JSON.stringify([store, id])

/** The stored rows, each checked: a journal is trusted no more than any other input. */
function rowsOf(name: string, root: unknown): MemoryRow[] {
  const bad = (what: string): never => {
    throw new AtomaError('VALIDATION', `journalStorage '${name}': ${what}; the journal is left as it is`)
  }
  if (!(root instanceof Map)) return bad('the journal does not hold memoryBackend rows')
  const rows: MemoryRow[] = []
  for (const [key, entry] of root) {
    let parsed: unknown
    try {
      parsed = typeof key === 'string' ? JSON.parse(key) : undefined
    } catch {
      parsed = undefined
    }
    const [store, id] = Array.isArray(parsed) && parsed.length === 2 ? parsed : []
    const validId =
      (typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isFinite(id))
    if (typeof store !== 'string' || !validId)
      bad(`entry ${JSON.stringify(key)} does not name a store and an id`)
    if (!isPlainObject(entry) || !Number.isSafeInteger(entry.version) || !Object.hasOwn(entry, 'value'))
      bad(`entry ${String(key)} is not a row with a value and a version`)
    const row = entry as { value: unknown; version: number }
    rows.push({ store: store as string, id: id as Id, value: row.value, version: row.version })
  }
  return rows
}
