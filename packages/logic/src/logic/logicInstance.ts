import {
  type AnyDef,
  AtomaError,
  type CollectionDef,
  type CollectionHandle,
  type EffectOpMeta,
  isAtomaError,
  type PluginRuntime,
  type StoreDef,
  type StoreHandle,
} from '@atoma/runtime'
import { handleOf } from '../handleOf.js'
import {
  exposeLogic,
  type LogicEntry,
  type LogicStatus,
  type Phase,
  type WatcherStatus,
} from '../inspect/registry.js'
import { messageOf } from '../messageOf.js'
import { createRunner, isAbort, MODES, type Mode, type Outcome, type Runner } from '../watch/runner.js'
import { LogicPhaseError } from './LogicPhaseError.js'
import { Run, type RunHost, readerOf, type Scope, type Trigger } from './runContext.js'
import type {
  ActionEvent,
  Logic,
  LogicApi,
  LogicOptions,
  Reader,
  RunContext,
  Source,
  StateWatchOptions,
  WatchOptions,
} from './types.js'

interface Watcher {
  status: Omit<WatcherStatus, keyof Runner<unknown>['counts']>
  /** Its runs' EffectOp name: `<logic>/<label>`. */
  op: string
  subscribe: Source<Trigger>
  handler: (ctx: never) => unknown
  runner: Runner<Trigger>
  unsubscribe?: () => void
}

/** A run as devtools see it (kept only with devtools on): its op, when it started, what caused it, what it wrote. */
interface RunRecord {
  opId: string
  startedAt: number
  txnId: number | undefined
  writes: number[]
}

const LOGIC = Symbol.for('atoma.logic')

/** The brand `$.use` tells a logic from a store by. */
export function isLogic(value: unknown): value is Logic {
  return typeof value === 'object' && value !== null && (value as { [LOGIC]?: unknown })[LOGIC] === true
}
export const logicBrand = { [LOGIC]: true } as const

/**
 * One logic in one runtime: the setup phase (the body of `defineLogic`, registrations only), then
 * the run phase (watchers subscribed, `onInit`), then disposal (every run aborted, `onDestroy`).
 */
export class LogicInstance implements LogicEntry, RunHost {
  phase: Phase = 'setup'
  private readonly watchers: Watcher[] = []
  private readonly inits: ((ctx: RunContext) => unknown)[] = []
  private readonly destroys: (() => unknown)[] = []
  private readonly lifecycle = new AbortController()
  private readonly listeners = new Set<() => void>()
  private snapshot: LogicStatus | undefined
  private readonly runs = new Map<AbortSignal, RunRecord>()
  /** Actions heard before the run phase, delivered when it starts. */
  private readonly early: [Watcher, Trigger][] = []
  private readonly debug: boolean

  constructor(
    readonly name: string,
    private readonly host: PluginRuntime,
    private readonly registry: ReadonlyMap<string, LogicEntry>,
    private readonly options: LogicOptions,
  ) {
    this.debug = host.runtime.debug !== null
    exposeLogic(host.runtime)
  }

  /** The setup phase: `build` registers; IO started here is diagnosed (`logic::setup_unsafe_effect`). */
  setup(build: ($: LogicApi) => unknown): void {
    const unsafe = (effect: string) =>
      this.host.diagnostic(
        'logic::setup_unsafe_effect',
        `logic '${this.name}': ${effect} during setup; setup only registers, so start IO in $.lifecycle.onInit or a watcher`,
        { logic: this.name, effect },
      )
    const global = globalThis as { fetch?: (...args: unknown[]) => unknown }
    const fetch = global.fetch
    if (typeof fetch === 'function')
      global.fetch = function (this: unknown, ...args: unknown[]) {
        unsafe('fetch() was called')
        return fetch.apply(this, args)
      }
    let result: unknown
    try {
      result = build(this.api())
    } finally {
      if (typeof fetch === 'function') global.fetch = fetch
    }
    if (typeof (result as { then?: unknown } | undefined)?.then === 'function') {
      unsafe('the setup function returned a promise (an async setup)')
      ;(result as Promise<unknown>).then(undefined, (error: unknown) => this.report(error, 'setup'))
    }
    this.phase = 'pending'
    this.listen(true)
    this.changed()
    this.emit('logic:setup', this.status())
    // The run phase starts once every plugin has started (a failed one is reported by the runtime).
    Promise.resolve()
      .then(() => this.host.runtime.ready())
      .catch(() => {})
      .then(() => this.run())
  }

  dispose(): void {
    if (this.phase === 'disposed') return
    this.phase = 'disposed'
    this.early.length = 0
    const reason = new DOMException(`the runtime was disposed (logic '${this.name}')`, 'AbortError')
    for (const watcher of this.watchers) {
      watcher.unsubscribe?.()
      watcher.runner.stop(reason)
    }
    this.lifecycle.abort(reason)
    for (const fn of this.destroys) this.hook('onDestroy', () => fn())
    this.changed()
  }

  status(): LogicStatus {
    this.snapshot ??= {
      name: this.name,
      phase: this.phase,
      watchers: this.watchers.map((w) => ({ ...w.status, ...w.runner.counts })),
    }
    return this.snapshot
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /**
   * Actions are events: an action watcher listens from the end of setup, and what it hears before
   * the run phase waits for it, in order (an action dispatched right after `createRuntime` is not
   * lost). State and other sources are subscribed when the run phase starts, so the state the
   * runtime was ready with (hydrated, restored) is their baseline, not a change.
   */
  private listen(early: boolean): void {
    for (const watcher of this.watchers) {
      if ((watcher.status.trigger === 'action') !== early) continue
      try {
        const unsubscribe = watcher.subscribe((trigger) => {
          if (this.phase === 'run') watcher.runner.trigger(trigger)
          else if (this.phase === 'pending') this.early.push([watcher, trigger])
        })
        if (typeof unsubscribe !== 'function')
          throw new AtomaError('INVALID_ARGUMENT', 'a source must return its unsubscribe function')
        watcher.unsubscribe = unsubscribe
      } catch (error) {
        this.report(error, watcher.status.label)
      }
    }
  }

  private run(): void {
    if (this.phase !== 'pending') return
    this.phase = 'run'
    this.changed()
    this.listen(false)
    for (const [watcher, trigger] of this.early.splice(0)) watcher.runner.trigger(trigger)
    const signal = this.lifecycle.signal
    for (const fn of this.inits)
      this.hook('onInit', () => fn(new Run(signal, this, undefined, undefined) as never))
  }

  private api(): LogicApi {
    const during = (capability: string) => this.require(capability, 'setup')
    const api = {
      name: this.name,
      onAction: (
        store: StoreDef,
        action: string | ((event: ActionEvent<never>) => boolean),
        handler: unknown,
        options?: WatchOptions,
      ) => {
        during('$.onAction')
        const who = `logic '${this.name}': $.onAction(${store?.name})`
        if (store?.kind !== 'store')
          throw new AtomaError(
            'INVALID_ARGUMENT',
            `${who}: actions belong to stores (defineStore); watch a collection with $.onState`,
          )
        handleOf(this.host.runtime, store, who)
        if (typeof action === 'string' && !Object.hasOwn(store.actions, action))
          throw new AtomaError(
            'UNKNOWN_ACTION',
            `${who}: store '${store.name}' has no action '${action}' (actions: ${Object.keys(store.actions).join(', ') || 'none'})`,
            { store: store.name },
          )
        const matches =
          typeof action === 'string'
            ? (name: string) => name === action
            : (name: string, payload: unknown) => action({ action: name, payload } as never)
        this.watch(
          {
            label: `onAction ${store.name}/${typeof action === 'string' ? action : action.name || '(predicate)'}`,
            trigger: 'action',
            store: store.name,
            ...(typeof action === 'string' ? { action } : {}),
          },
          (emit) =>
            this.host.onAction(store.name, (name, payload, record) => {
              if (matches(name, payload)) emit({ action: name, payload, txnId: record.txnId })
            }),
          handler,
          options,
        )
      },
      onState: (
        store: AnyDef,
        selector: (state: unknown) => unknown,
        handler: unknown,
        options?: StateWatchOptions<unknown>,
      ) => {
        during('$.onState')
        const handle = handleOf(this.host.runtime, store, `logic '${this.name}': $.onState(${store?.name})`)
        this.watch(
          { label: `onState ${store.name}`, trigger: 'state', store: store.name },
          (emit) =>
            handle.select(
              selector,
              (value, previous) =>
                emit({ value, previous, txnId: this.host.runtime.debug?.lastTxnId(store.name) }),
              options?.isEqual,
            ),
          handler,
          options,
        )
      },
      on: (source: Source<unknown>, handler: unknown, options?: WatchOptions) => {
        during('$.on')
        if (typeof source !== 'function')
          throw new AtomaError(
            'INVALID_ARGUMENT',
            `logic '${this.name}': $.on(source): source must be a function`,
          )
        this.watch(
          { label: `on ${source.name || 'source'}`, trigger: 'source' },
          (emit) => source((value) => emit({ value })),
          handler,
          options,
        )
      },
      use: (target: AnyDef | Logic) => {
        during('$.use')
        return this.reader(target, {
          check: (capability) => this.require(capability, 'run'),
          note() {},
        })
      },
      lifecycle: {
        onInit: (fn: (ctx: RunContext) => unknown) => {
          during('$.lifecycle.onInit')
          this.inits.push(this.checkFunction(fn, 'onInit'))
        },
        onDestroy: (fn: () => unknown) => {
          during('$.lifecycle.onDestroy')
          this.destroys.push(this.checkFunction(fn, 'onDestroy'))
        },
      },
    }
    return api as unknown as LogicApi
  }

  private watch(
    status: Pick<WatcherStatus, 'label' | 'trigger' | 'store' | 'action'>,
    subscribe: Source<Trigger>,
    handler: unknown,
    options: WatchOptions | undefined,
  ): void {
    const mode: Mode = options?.mode ?? 'parallel'
    if (!MODES.includes(mode))
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `logic '${this.name}': unknown mode '${String(mode)}' (modes: ${MODES.join(', ')})`,
      )
    const run = this.checkFunction(handler, status.label) as (ctx: never) => unknown
    const id = `${this.name}#${this.watchers.length + 1}`
    const label = options?.name ?? status.label
    const watcher: Watcher = {
      status: { id, mode, ...status, label },
      op: `${this.name}/${label}`,
      subscribe,
      handler: run,
      runner: createRunner<Trigger>(mode, {
        start: (trigger, signal) => this.start(watcher, trigger, signal),
        settled: (outcome, error, trigger, signal) => this.settled(watcher, outcome, error, trigger, signal),
        dropped: (trigger) => {
          this.changed()
          this.emitRun(watcher, 'dropped', trigger.txnId, undefined, undefined)
        },
        queued: () => this.changed(),
      }),
    }
    this.watchers.push(watcher)
  }

  private start(watcher: Watcher, trigger: Trigger, signal: AbortSignal): unknown {
    // One id per run (`flow:<logic>#<watcher>.<run>`): devtools show each run as its own op, and
    // its `logic:run` event names it, so the panel links the run to its op.
    const id = `flow:${watcher.status.id}.${watcher.runner.counts.started}`
    let record: RunRecord | undefined
    if (this.debug) {
      record = { opId: id, startedAt: performance.now(), txnId: trigger.txnId, writes: [] }
      this.runs.set(signal, record)
    }
    this.changed()
    const ctx = new Run(signal, this, record?.writes, trigger)
    const meta: EffectOpMeta = {}
    if (watcher.status.store !== undefined) meta.store = watcher.status.store
    // The trigger's commit: an op trace links action → watcher run.
    if (trigger.txnId !== undefined) meta.txnId = trigger.txnId
    return this.host.runOp({
      id,
      kind: 'flow',
      name: watcher.op,
      payload: trigger.action === undefined ? trigger.value : trigger.payload,
      meta,
      run: record ? () => abortsAsAborted(watcher, signal, ctx) : () => watcher.handler(ctx as never),
    })
  }

  private settled(
    watcher: Watcher,
    outcome: Outcome,
    error: unknown,
    trigger: Trigger,
    signal: AbortSignal,
  ): void {
    const record = this.runs.get(signal)
    this.runs.delete(signal)
    if (outcome === 'failed') {
      watcher.status.lastError = messageOf(error)
      this.report(error, watcher.status.label)
    }
    this.changed()
    this.emitRun(watcher, outcome, trigger.txnId, record, outcome === 'failed' ? error : undefined)
  }

  /** `$.use` / `ctx.store`: a store's or collection's read-only view, or another logic's status. */
  reader(target: AnyDef | Logic, scope: Scope): Reader<unknown> {
    if (isLogic(target)) {
      const entry = this.registry.get(target.name)
      if (!entry)
        throw new AtomaError(
          'INVALID_ARGUMENT',
          `logic '${this.name}': $.use(logic '${target.name}'): it is not part of this runtime, or is listed after '${this.name}' (logic so far: ${[...this.registry.keys()].join(', ')}); list the logic another one uses before it`,
        )
      return readerOf(
        () => entry.status(),
        (listener) => entry.subscribe(listener),
        scope,
      )
    }
    const handle = handleOf(
      this.host.runtime,
      target,
      `logic '${this.name}': use(${target?.name})`,
    ) as StoreHandle<unknown, Record<string, unknown>>
    const reader = readerOf(
      () => handle.getState(),
      (listener) => handle.subscribe(listener),
      scope,
    )
    if (target.kind !== 'store') return reader
    return Object.assign(reader, {
      dispatch(action: string, ...payload: unknown[]) {
        scope.check(`dispatch(${target.name}/${action})`, true)
        const record = (handle.dispatch as (a: string, ...p: unknown[]) => { txnId: number })(
          action,
          ...payload,
        )
        scope.note(record.txnId)
        return record
      },
    })
  }

  collection(def: AnyDef, capability: string): CollectionHandle<unknown> {
    if (def?.kind !== 'collection')
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `logic '${this.name}': ${capability}(${String(def?.name)}): not a collection definition`,
      )
    return handleOf(
      this.host.runtime,
      def as CollectionDef,
      `logic '${this.name}': ${capability}(${def.name})`,
    )
  }

  require(capability: string, required: 'setup' | 'run'): void {
    const allowed = required === 'setup' ? this.phase === 'setup' : this.phase === 'run'
    if (allowed) return
    const error = new LogicPhaseError(this.name, capability, this.phase, required)
    this.host.diagnostic('logic::invalid_phase', error.message, {
      logic: this.name,
      capability,
      phase: this.phase,
    })
    throw error
  }

  private checkFunction<F>(fn: F, where: string): F {
    if (typeof fn !== 'function')
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `logic '${this.name}': ${where}: the handler must be a function`,
      )
    return fn
  }

  /** A lifecycle hook as an op of kind `lifecycle`; its errors (thrown or rejected) are reported. */
  private hook(where: 'onInit' | 'onDestroy', fn: () => unknown): void {
    try {
      const result = this.host.runOp({
        id: `lifecycle:${this.name}/${where}`,
        kind: 'lifecycle',
        name: `${this.name}/${where}`,
        run: fn,
      })
      if (typeof (result as { then?: unknown } | undefined)?.then === 'function')
        (result as Promise<unknown>).then(undefined, (error: unknown) => {
          if (!(where === 'onInit' && this.lifecycle.signal.aborted)) this.report(error, where)
        })
    } catch (error) {
      this.report(error, where)
    }
  }

  /** Never swallowed: a `logic::handler_failed` diagnostic, and `onError` (or the console). */
  private report(error: unknown, where: string): void {
    const message = messageOf(error)
    this.host.diagnostic('logic::handler_failed', `logic '${this.name}': ${where} failed: ${message}`, {
      logic: this.name,
      where,
    })
    const { onError } = this.options
    try {
      if (onError) onError(error, { logic: this.name, where })
      else console.error(`[atoma] logic '${this.name}': ${where} failed:`, error)
    } catch (failure) {
      console.error(`[atoma] logic '${this.name}': onError threw:`, failure)
    }
  }

  private changed(): void {
    this.snapshot = undefined
    if (this.listeners.size > 0) for (const listener of [...this.listeners]) listener()
  }

  private emit(name: string, data: unknown, txnId?: number): void {
    this.host.runtime.debug?.emit({
      kind: 'lifecycle',
      name,
      ...(txnId === undefined ? {} : { txnId }),
      data,
    })
  }

  private emitRun(
    watcher: Watcher,
    status: Outcome | 'dropped',
    txnId: number | undefined,
    record: RunRecord | undefined,
    error: unknown,
  ): void {
    if (!this.debug) return
    this.emit(
      'logic:run',
      {
        logic: this.name,
        watcher: watcher.status.id,
        label: watcher.status.label,
        mode: watcher.status.mode,
        status,
        ...(record
          ? { opId: record.opId, durationMs: performance.now() - record.startedAt, writes: record.writes }
          : {}),
        ...(error === undefined ? {} : { error: messageOf(error) }),
        counts: { ...watcher.runner.counts },
      },
      txnId,
    )
  }
}

/**
 * With devtools on, a run that ends by its abort fails its op with the kernel's `ABORTED` (the
 * abort as its cause), so the panel shows it as cancelled, not as an error, like an aborted query.
 * Without devtools the handler's own error passes untouched: nothing to show, nothing to pay.
 */
function abortsAsAborted(watcher: Watcher, signal: AbortSignal, ctx: Run): unknown {
  const aborted = (error: unknown) =>
    signal.aborted && isAbort(error, signal) && !(isAtomaError(error) && error.code === 'ABORTED')
      ? new AtomaError('ABORTED', `${watcher.op}: ${messageOf(signal.reason)}`, { cause: signal.reason })
      : error
  let result: unknown
  try {
    result = watcher.handler(ctx as never)
  } catch (error) {
    throw aborted(error)
  }
  return typeof (result as { then?: unknown } | undefined)?.then === 'function'
    ? (result as Promise<unknown>).then(undefined, (error: unknown) => {
        throw aborted(error)
      })
    : result
}
