import { AtomaError, dataProblem } from '@atoma/runtime'
import type { PullChange, PullResponse } from '@atoma/runtime/protocol'

/** The server's cursors stay far below this (it accepts 16 KiB); longer is not a cursor. */
const MAX_CURSOR = 16 * 1024

/**
 * Checks a pull answer whole before any of it is applied: a cursor, and changes each naming a store
 * that was asked for, a usable id, an integer version, and either `deleted` or an object value with
 * safe keys and finite numbers. Anything else is a `TRANSPORT` error (retried like a network
 * failure: the server may answer well next time), and nothing lands.
 */
export function parsePull(raw: unknown, stores: ReadonlySet<string>): PullResponse {
  const bad = (why: string) => new AtomaError('TRANSPORT', `the pull answer is malformed: ${why}`)
  if (typeof raw !== 'object' || raw === null) throw bad('it is not an object')
  const { cursor, changes, more, through } = raw as Partial<PullResponse>
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR)
    throw bad('no usable cursor')
  if (!Array.isArray(changes)) throw bad('changes is not a list')
  if (more !== undefined && typeof more !== 'boolean') throw bad('more is not a boolean')
  if (through !== undefined) {
    if (typeof through !== 'object' || through === null || Array.isArray(through))
      throw bad('through is not an object')
    for (const [store, version] of Object.entries(through)) {
      if (!stores.has(store)) throw bad(`through names a store that was not asked for (${store})`)
      if (!Number.isSafeInteger(version) || version < 0) throw bad(`through of ${store} is no version`)
    }
  }
  for (const [index, change] of (changes as unknown[]).entries()) {
    const problem = changeProblem(change, stores)
    if (problem) throw bad(`change ${index} ${problem}`)
  }
  return { cursor, changes: changes as PullChange[], more: more === true, ...(through ? { through } : {}) }
}

function changeProblem(change: unknown, stores: ReadonlySet<string>): string | undefined {
  if (typeof change !== 'object' || change === null) return 'is not an object'
  const { store, id, version, value, deleted } = change as Record<string, unknown>
  if (typeof store !== 'string' || !stores.has(store))
    return `names a store that was not asked for (${String(store)})`
  if (!((typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isFinite(id))))
    return 'has no usable id'
  if (!Number.isSafeInteger(version) || (version as number) < 1)
    return `(${store}/${String(id)}) has no usable version`
  if (deleted !== undefined)
    return deleted === true && value === undefined
      ? undefined
      : `(${store}/${String(id)}) is deleted with a value`
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `(${store}/${String(id)}) has no object value`
  const unsafe = dataProblem(value)
  return unsafe ? `(${store}/${String(id)}) is refused: ${unsafe}` : undefined
}
