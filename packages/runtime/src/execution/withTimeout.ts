import { AtomaError } from '../errors.js'

/** Why an attempt was cut short, as the reason of its signal and the error it rejects with. */
export interface AttemptLimits {
  /** The caller's signal: its abort ends the attempt with `ABORTED`. */
  caller: AbortSignal | undefined
  /** 0 = no limit; otherwise the attempt ends with `TIMEOUT` after this many ms. */
  timeoutMs: number
  /** Names the attempt in the errors (e.g. `node 'remote'`). */
  label: string
}

/**
 * Runs one attempt with its own AbortSignal, aborted on timeout or when the caller aborts.
 * The attempt settles as soon as its signal aborts even if `run` ignores the signal, so a node
 * that never answers cannot hang an operation; its late result or rejection is dropped.
 */
export function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, limits: AttemptLimits): Promise<T> {
  const controller = new AbortController()
  const { caller, timeoutMs, label } = limits
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer)
      caller?.removeEventListener('abort', onCallerAbort)
    }
    const stop = (error: AtomaError) => {
      cleanup()
      controller.abort(error)
      reject(error)
    }
    function onCallerAbort() {
      stop(new AtomaError('ABORTED', `${label}: aborted by the caller`, { cause: caller?.reason }))
    }
    if (caller?.aborted) return onCallerAbort()
    caller?.addEventListener('abort', onCallerAbort, { once: true })
    if (timeoutMs > 0)
      timer = setTimeout(
        () => stop(new AtomaError('TIMEOUT', `${label}: timed out after ${timeoutMs} ms`)),
        timeoutMs,
      )

    // `new Promise` + `resolve(run(...))` also turns a synchronous throw into a rejection.
    new Promise<T>((res) => res(run(controller.signal))).then(
      (value) => {
        cleanup()
        resolve(value)
      },
      (error: unknown) => {
        cleanup()
        reject(error)
      },
    )
  })
}
