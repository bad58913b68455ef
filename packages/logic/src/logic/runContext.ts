import type {
  AnyDef,
  CollectionHandle,
  CollectionWriter,
  MergePolicy,
  Query,
  TxnRecord,
  WriteHandle,
} from '@atoma/runtime'
import type { Logic, Reader, Source } from './types.js'

/** What a trigger hands its run: the context's fields, and the commit that caused it. */
export interface Trigger {
  action?: string
  payload?: unknown
  value?: unknown
  previous?: unknown
  txnId?: number
}

/** Who may use a capability now, and where its commits are noted (devtools' causal chain). */
export interface Scope {
  /** Throws unless a run-phase capability may be used now (and, for a change, while the run is live). */
  check(capability: string, mutates: boolean): void
  note(txnId: number | undefined): void
}

/** What a run's context asks its logic for. */
export interface RunHost {
  require(capability: string, required: 'run'): void
  reader(target: AnyDef | Logic, scope: Scope): Reader<unknown>
  collection(def: AnyDef, capability: string): CollectionHandle<unknown>
}

interface Dispatcher {
  dispatch(action: string, ...payload: unknown[]): TxnRecord
}

/**
 * One run's context (or `onInit`'s): its signal, its trigger's fields, and the run-phase
 * capabilities, refused once the signal is aborted. The capabilities are made on first use: under
 * `latest`, a burst of triggers starts thousands of runs that mostly only wait on their signal.
 */
export class Run {
  declare readonly action?: string
  declare readonly payload?: unknown
  declare readonly value?: unknown
  declare readonly previous?: unknown
  readonly signal: AbortSignal
  readonly #host: RunHost
  readonly #writes: number[] | undefined
  #scope: Scope | undefined

  constructor(
    signal: AbortSignal,
    host: RunHost,
    writes: number[] | undefined,
    trigger: Trigger | undefined,
  ) {
    this.signal = signal
    this.#host = host
    this.#writes = writes
    if (!trigger) return
    const fields = this as { -readonly [K in keyof Trigger]: Trigger[K] }
    if (trigger.action !== undefined) {
      fields.action = trigger.action
      fields.payload = trigger.payload
    } else {
      fields.value = trigger.value
      if ('previous' in trigger) fields.previous = trigger.previous
    }
  }

  get dispatch() {
    return (store: AnyDef, action: string, ...payload: unknown[]) =>
      (this.#host.reader(store, this.scope()) as unknown as Dispatcher).dispatch(action, ...payload)
  }

  get store() {
    return (def: AnyDef) => this.#host.reader(def, this.scope())
  }

  get query() {
    return (collection: AnyDef, query: Query<unknown>, options?: { merge?: MergePolicy }) => {
      this.scope().check('query', true)
      return this.#host.collection(collection, 'query').query(query, { ...options, signal: this.signal })
    }
  }

  get write() {
    return (collection: AnyDef) => {
      const scope = this.scope()
      scope.check('write', false)
      return guardWriter(this.#host.collection(collection, 'write').write, scope)
    }
  }

  private scope(): Scope {
    this.#scope ??= {
      check: (capability, mutates) => {
        if (mutates) this.signal.throwIfAborted()
        this.#host.require(capability, 'run')
      },
      note: (txnId) => {
        if (this.#writes && txnId !== undefined) this.#writes.push(txnId)
      },
    }
    return this.#scope
  }
}

/** A reader over `get` and `subscribe`: reads and subscriptions in the run phase only. */
export function readerOf<S>(
  get: () => S,
  subscribe: (listener: () => void) => () => void,
  scope: Scope,
): Reader<S> {
  return {
    read<U>(selector?: (state: S) => U) {
      scope.check('read()', false)
      const state = get()
      return selector ? selector(state) : state
    },
    changes<U>(selector: (state: S) => U, isEqual: (a: U, b: U) => boolean = Object.is): Source<U> {
      return (emit) => {
        scope.check('changes()', false)
        let last = selector(get())
        return subscribe(() => {
          const next = selector(get())
          if (isEqual(last, next)) return
          last = next
          emit(next)
        })
      }
    },
  } as Reader<S>
}

/** A collection's writer whose writes are refused once the run is aborted, and noted for devtools. */
function guardWriter<T>(writer: CollectionWriter<T>, scope: Scope): CollectionWriter<T> {
  const guarded = {} as Record<string, unknown>
  for (const [method, write] of Object.entries(writer) as [string, (...args: unknown[]) => WriteHandle<T>][])
    guarded[method] = (...args: unknown[]) => {
      scope.check(`write.${method}`, true)
      const handle = write(...args)
      scope.note(handle.txnId)
      return handle
    }
  return guarded as unknown as CollectionWriter<T>
}
