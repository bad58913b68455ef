/**
 * An EffectOp is one crossing of a runtime boundary (docs/architecture.md §7): an action, a state commit, a
 * service call, a lifecycle step, a trait update or a devtools command. Every boundary is
 * described the same way so that one middleware stack can observe, measure or guard all of them.
 */
export type EffectOpKind =
  | 'action'
  | 'flow'
  | 'state'
  | 'service'
  | 'lifecycle'
  | 'trait-computed'
  | 'trait-link'
  | 'trait-source'
  | 'devtools'

/**
 * What an op is about. Fields are deliberately mutable: an op's `run` may learn facts only while it
 * runs (the `txnId` of the commit it makes) and record them here for observers that read `meta`
 * when the op settles.
 */
export interface EffectOpMeta {
  store?: string
  fieldPath?: string
  txnId?: number
  resourceId?: string
  key?: string
  trace?: string[]
}

/** One effect (a backend call, a commit…) as middleware sees it; `run` performs it. */
export interface EffectOp<R = unknown> {
  id: string
  kind: EffectOpKind
  name: string
  payload?: unknown
  meta?: EffectOpMeta
  /** Lazy: nothing happens until the composed stack calls it. May return a value or a Promise. */
  run: () => R
}

/**
 * Wraps one op. Call `next` to run the rest of the stack (optionally with a replaced op, e.g. with
 * extra meta) and return what it returns, or return without calling it to short-circuit.
 * A middleware must not turn a synchronous result into a Promise: see `whenSettled`.
 */
export type Middleware = <R>(op: EffectOp<R>, next: (op: EffectOp<R>) => R) => R

/** The page-wide counter lives on globalThis so two copies of the library never reuse an id. */
const OP_SEQUENCE = Symbol.for('atoma.effectop.sequence')

interface Sequence {
  value: number
}

let sequence: Sequence | undefined

/** A new op id, unique within the page (`op:1`, `op:2`, ...): one increment, one short string. */
export function nextOpId(): string {
  sequence ??= sharedSequence()
  sequence.value += 1
  return `op:${sequence.value}`
}

function sharedSequence(): Sequence {
  const host = globalThis as { [OP_SEQUENCE]?: Sequence }
  host[OP_SEQUENCE] ??= { value: 0 }
  return host[OP_SEQUENCE]
}
