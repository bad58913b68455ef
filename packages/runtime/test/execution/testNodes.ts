import { AtomaError, type AtomaErrorCode } from '../../src/errors.js'
import { ExecutionError } from '../../src/execution/executionError.js'
import type {
  ExecutionNode,
  QueryExecutionInput,
  Source,
  WriteEntry,
  WriteExecutionInput,
} from '../../src/execution/ports.js'

/*
 * Tiny hand-written backends for the kernel tests: real nodes speaking the node contract, whose
 * answers the test scripts call by call, and a clock in the test's hands (sleep advances it).
 */

export type Call =
  | { kind: 'query'; input: QueryExecutionInput & { signal: AbortSignal } }
  | { kind: 'write'; input: WriteExecutionInput & { signal: AbortSignal } }

/** One scripted answer: what the node does on one call. */
export type Answer = (call: Call) => unknown

export interface TestNode extends ExecutionNode {
  readonly calls: Call[]
  /** Answers for the next calls, consumed in order; when empty the node answers normally. */
  readonly script: Answer[]
}

/** The normal answer: a query returns one item naming the node; a write confirms every entry. */
export const answer: Answer = (call) =>
  call.kind === 'query'
    ? { items: [{ from: call.input.store }] }
    : {
        status: 'confirmed',
        items: call.input.entries.map((e) => ({ entryId: e.entryId, status: 'confirmed', version: 1 })),
      }

export const fails =
  (error: unknown): Answer =>
  () => {
    throw error
  }

export const failsWith = (
  code: AtomaErrorCode,
  options: { retryable?: boolean; current?: unknown } = {},
): Answer => fails(new AtomaError(code, `said ${code}`, options))

/** A network failure, as fetch reports it. */
export const networkDown: Answer = fails(new TypeError('fetch failed'))

/** Returns `value` verbatim (for malformed results). */
export const returns =
  (value: unknown): Answer =>
  () =>
    value

/** Never answers; rejects like fetch (AbortError) when its signal aborts. */
export const hangs: Answer = (call) =>
  new Promise((_, reject) => {
    call.input.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
  })

/** Never answers and ignores its signal (a badly written backend). */
export const ignoresSignal: Answer = () => new Promise(() => {})

/** An answer the test settles later: `release()` answers normally. */
export function deferred(): Answer & { release: () => void; fail: (error: unknown) => void } {
  let settle: ((how: { ok: true } | { ok: false; error: unknown }) => void) | undefined
  const gate = new Promise<{ ok: true } | { ok: false; error: unknown }>((resolve) => {
    settle = resolve
  })
  const run = async (call: Call) => {
    const how = await gate
    if (!how.ok) throw how.error
    return answer(call)
  }
  return Object.assign(run, {
    release: () => settle?.({ ok: true }),
    fail: (error: unknown) => settle?.({ ok: false, error }),
  })
}

export function testNode(
  id: string,
  source: Source,
  options: { kinds?: ReadonlyArray<'query' | 'write'>; script?: Answer[] } = {},
): TestNode {
  const kinds = options.kinds ?? ['query', 'write']
  const calls: Call[] = []
  const script = [...(options.script ?? [])]
  const run = async (call: Call): Promise<never> => {
    calls.push(call)
    // The kernel checks what nodes return; the tests feed it anything, hence `never`.
    return (script.shift() ?? answer)(call) as never
  }
  const node: TestNode = { id, source, calls, script }
  if (kinds.includes('query')) node.query = (input) => run({ kind: 'query', input })
  if (kinds.includes('write')) node.write = (input) => run({ kind: 'write', input })
  return node
}

/** A clock whose time moves only when the test (or a backoff sleep) says so. */
export function testClock() {
  let time = 1_000
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => time,
    advance: (ms: number) => {
      time += ms
    },
    sleep: async (ms: number) => {
      sleeps.push(ms)
      time += ms
    },
    random: () => 0.5,
  }
}

export function entries(count: number): WriteEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    entryId: `e${i + 1}`,
    op: 'create' as const,
    id: `item-${i + 1}`,
    value: { id: `item-${i + 1}` },
    idempotencyKey: `key-${i + 1}`,
    clientTimeMs: 0,
  }))
}

/** Awaits a rejection and returns the error, failing the test if the promise resolves. */
export async function rejection(promise: Promise<unknown>): Promise<AtomaError> {
  const result = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`)
  if (!(result.error instanceof AtomaError)) throw result.error
  return result.error
}

/** Like `rejection`, for the failures of an operation, which carry their route. */
export async function failure(promise: Promise<unknown>): Promise<ExecutionError> {
  const error = await rejection(promise)
  if (!(error instanceof ExecutionError))
    throw new Error(`expected an ExecutionError, got ${error.code}: ${error.message}`)
  return error
}

/** A route step reduced to what tests compare (no timings). */
export const steps = (
  route: ReadonlyArray<{ node: string; attempt: number; outcome: string; error?: { code: string } }>,
) => route.map((s) => `${s.node}#${s.attempt}:${s.outcome}${s.error ? `:${s.error.code}` : ''}`)
