import { JournalError } from './journalError.js'

/**
 * One implementation for synchronous and asynchronous storages: the journal's operations are
 * generators that `yield` only when a storage call returned a promise. `runSync` drives them with
 * plain calls (a synchronous driver never yields), `runAsync` awaits what they yield — the
 * technique of `gensync`, without the dependency.
 */
export type Op<R> = Generator<unknown, R, never>

export function runSync<R>(op: Op<R>): R {
  const step = op.next()
  if (!step.done) throw new Error('a synchronous storage returned a promise')
  return step.value
}

export async function runAsync<R>(op: Op<R>): Promise<R> {
  let step = op.next()
  while (!step.done) {
    let value: unknown
    try {
      value = await step.value
    } catch (error) {
      step = op.throw(error)
      continue
    }
    step = op.next(value as never)
  }
  return step.value
}

/** Calls the storage; its failures become `JOURNAL_STORAGE` naming the journal, the medium and the call. */
export function* io<T>(journal: string, label: string, what: string, call: () => T | Promise<T>): Op<T> {
  const fail = (error: unknown): never => {
    if (error instanceof JournalError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new JournalError('JOURNAL_STORAGE', `journal '${journal}': ${label}: ${what} failed: ${reason}`, {
      journal,
      cause: error,
    })
  }
  let result: T | Promise<T>
  try {
    result = call()
  } catch (error) {
    return fail(error)
  }
  if (!(result instanceof Promise)) return result
  try {
    return (yield result) as T
  } catch (error) {
    return fail(error)
  }
}
