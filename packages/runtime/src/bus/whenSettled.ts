export interface SettleOutcome {
  status: 'ok' | 'error'
  error?: unknown
}

/** Promise-like, by the same test the language uses for `await`. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * For middleware that must observe when an op finishes without changing how it finishes.
 * A synchronous result: `done` runs now and the same value is returned, so a sync op stays sync.
 * A thenable: `done` runs when it settles and a promise that settles the same way is returned in
 * its place. The caller still receives the rejection; because this promise replaces the original
 * rather than branching off it, a rejection is reported as unhandled at most once (if the caller
 * ignores it) and never by this helper.
 *
 * A sync throw from `run` never reaches here (there is no result): catch it around `next`.
 * If `done` itself throws, that error propagates (synchronously, or as the returned rejection).
 */
export function whenSettled<R>(result: R, done: (outcome: SettleOutcome) => void): R {
  if (!isThenable(result)) {
    done({ status: 'ok' })
    return result
  }
  const settled = Promise.resolve(result).then(
    (value) => {
      done({ status: 'ok' })
      return value
    },
    (error: unknown) => {
      done({ status: 'error', error })
      throw error
    },
  )
  // R is a thenable here; a native promise settling the same way stands in for it.
  return settled as R
}
