import { isAtomaError } from '@atoma/runtime'

/**
 * How a watcher's runs overlap (the seed's `runParallel | runLatest | runExhaust | run`):
 * `parallel` starts every trigger; `latest` aborts the running one and starts the new one;
 * `exhaust` ignores triggers while a run is active; `sequence` queues them and runs them in order.
 */
export type Mode = 'parallel' | 'latest' | 'exhaust' | 'sequence'

export const MODES: readonly Mode[] = ['parallel', 'latest', 'exhaust', 'sequence']

/** A watcher's counters: runs started and how each ended, triggers ignored or waiting. */
export interface RunCounts {
  started: number
  finished: number
  /** Ended after their signal was aborted (a newer trigger under `latest`, or dispose). */
  aborted: number
  failed: number
  /** Triggers ignored by `exhaust` while a run was active. */
  dropped: number
  /** Runs not settled yet, aborted ones included. */
  running: number
  /** Triggers waiting under `sequence`. */
  queued: number
}

export type Outcome = 'finished' | 'aborted' | 'failed'

export interface Runner<T> {
  readonly counts: Readonly<RunCounts>
  trigger(input: T): void
  /** Aborts every run with `reason`, drops the queue and ignores later triggers. */
  stop(reason: unknown): void
}

export interface RunHooks<T> {
  /** Begins one run with its own signal; returns what the handler returned (a value or a promise). */
  start(input: T, signal: AbortSignal): unknown
  settled(outcome: Outcome, error: unknown, input: T, signal: AbortSignal): void
  /** A trigger `exhaust` ignored. */
  dropped?(input: T): void
  /** A trigger `sequence` queued. */
  queued?(input: T): void
}

/**
 * Runs a watcher's triggers under its mode. A run that throws after its signal was aborted with
 * the abort itself (`AbortError`) counts as aborted, any other error as failed: errors are never
 * taken for cancellations. A synchronous run settles synchronously.
 */
export function createRunner<T>(mode: Mode, { start, settled, dropped, queued }: RunHooks<T>): Runner<T> {
  const counts: RunCounts = {
    started: 0,
    finished: 0,
    aborted: 0,
    failed: 0,
    dropped: 0,
    running: 0,
    queued: 0,
  }
  // Runs not aborted yet. An aborted run leaves at once, so `latest` under a burst of triggers
  // aborts one run per trigger, never all the stale ones again.
  const active = new Set<AbortController>()
  const queue: T[] = []
  let stopped = false

  const end = (controller: AbortController, input: T, failure: { error: unknown } | undefined) => {
    active.delete(controller)
    counts.running--
    const { signal } = controller
    const outcome: Outcome =
      failure && !(signal.aborted && isAbort(failure.error, signal))
        ? 'failed'
        : signal.aborted
          ? 'aborted'
          : 'finished'
    counts[outcome]++
    settled(outcome, failure?.error, input, signal)
    if (mode === 'sequence' && !stopped && active.size === 0 && queue.length > 0) {
      counts.queued--
      begin(queue.shift() as T)
    }
  }

  const begin = (input: T) => {
    const controller = new AbortController()
    active.add(controller)
    counts.started++
    counts.running++
    let result: unknown
    try {
      result = start(input, controller.signal)
    } catch (error) {
      end(controller, input, { error })
      return
    }
    if (isThenable(result))
      result.then(
        () => end(controller, input, undefined),
        (error: unknown) => end(controller, input, { error }),
      )
    else end(controller, input, undefined)
  }

  return {
    counts,
    trigger(input) {
      if (stopped) return
      if (active.size > 0) {
        if (mode === 'exhaust') {
          counts.dropped++
          dropped?.(input)
          return
        }
        if (mode === 'sequence') {
          queue.push(input)
          counts.queued++
          queued?.(input)
          return
        }
        if (mode === 'latest') abortAll(superseded())
      }
      begin(input)
    },
    stop(reason) {
      stopped = true
      counts.queued -= queue.length
      queue.length = 0
      abortAll(reason)
    },
  }

  function abortAll(reason: unknown) {
    const runs = [...active]
    active.clear()
    for (const controller of runs) controller.abort(reason)
  }
}

// One reason for every superseded run: a DOMException costs microseconds to build (it captures a
// stack), and under `latest` every trigger aborts a run; its stack would say nothing anyway.
let supersededReason: DOMException | undefined
const superseded = () => {
  supersededReason ??= new DOMException('superseded by a newer trigger', 'AbortError')
  return supersededReason
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * The abort itself, what an aborted `fetch` or timer rejects with (`AbortError`), or an error
 * wrapping it (the kernel's `ABORTED`, whose cause is the signal's reason).
 */
export function isAbort(error: unknown, signal: AbortSignal): boolean {
  if (error === signal.reason) return true
  if (typeof error !== 'object' || error === null) return false
  const { name, cause, code } = error as { name?: unknown; cause?: unknown; code?: unknown }
  return name === 'AbortError' || cause === signal.reason || (isAtomaError(error) && code === 'ABORTED')
}
