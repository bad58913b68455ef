import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { composeMiddleware } from '../../src/bus/composeMiddleware.js'
import { debugObserver } from '../../src/bus/debugObserver.js'
import type { EffectOp, Middleware } from '../../src/bus/effectOp.js'
import { logger } from '../../src/bus/logger.js'
import { whenSettled } from '../../src/bus/whenSettled.js'
import type { DebugEventInput } from '../../src/debug/events.js'

const op = <R>(run: () => R, extra: Partial<EffectOp<R>> = {}): EffectOp<R> => ({
  id: 'op:test',
  kind: 'state',
  name: 'test',
  run,
  ...extra,
})

const tracing =
  (name: string, trace: string[]): Middleware =>
  (current, next) => {
    trace.push(`${name}:before`)
    const result = next(current)
    trace.push(`${name}:after`)
    return result
  }

/** Collects unhandled rejections raised while a test runs, so a test can assert there were none. */
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
beforeEach(() => {
  unhandled.length = 0
  process.on('unhandledRejection', onUnhandled)
})
afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
})
/** Unhandled rejections are reported after the microtask queue drains; a macrotask is past that. */
const afterMacrotask = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('composeMiddleware', () => {
  it('composes outermost-first: stack[0] sees the op first and the result last', () => {
    const trace: string[] = []
    const run = composeMiddleware([tracing('a', trace), tracing('b', trace), tracing('c', trace)])
    const result = run(
      op(() => {
        trace.push('run')
        return 42
      }),
    )
    expect(result).toBe(42)
    expect(trace).toEqual(['a:before', 'b:before', 'c:before', 'run', 'c:after', 'b:after', 'a:after'])
  })

  it('runs the op directly for an empty stack, with one shared runner', () => {
    expect(composeMiddleware([])(op(() => 'direct'))).toBe('direct')
    expect(composeMiddleware([])).toBe(composeMiddleware([]))
  })

  it('is not affected by later changes to the stack array', () => {
    const trace: string[] = []
    const stack = [tracing('a', trace)]
    const run = composeMiddleware(stack)
    stack.push(tracing('late', trace))
    run(op(() => undefined))
    expect(trace).toEqual(['a:before', 'a:after'])
  })

  it('keeps a synchronous op synchronous through a 3-deep stack', () => {
    let settledSynchronously = false
    const events: DebugEventInput[] = []
    const measuring: Middleware = (current, next) =>
      whenSettled(next(current), () => {
        settledSynchronously = true
      })
    const run = composeMiddleware([
      debugObserver({ emit: (event) => events.push(event) }),
      logger({ log: () => {} }),
      measuring,
    ])
    const result = run(op(() => 7))
    expect(result).toBe(7)
    expect(result).not.toBeInstanceOf(Promise)
    expect(settledSynchronously).toBe(true)
    expect(events).toHaveLength(1)
  })

  it('propagates async results and rejections unchanged, without unhandled rejections', async () => {
    const run = composeMiddleware([
      debugObserver({ emit: () => {} }),
      logger({ log: () => {} }),
      (current, next) => whenSettled(next(current), () => {}),
    ])
    await expect(run(op(async () => 'value'))).resolves.toBe('value')

    const failure = new Error('backend down')
    await expect(run(op(() => Promise.reject(failure)))).rejects.toBe(failure)
    await afterMacrotask()
    expect(unhandled).toEqual([])
  })

  it('lets a middleware short-circuit: neither inner middleware nor run are called', () => {
    const trace: string[] = []
    const cache: Middleware = <R>(current: EffectOp<R>, next: (op: EffectOp<R>) => R): R =>
      current.name === 'cached' ? ('from cache' as R) : next(current)
    const run = composeMiddleware([tracing('outer', trace), cache, tracing('inner', trace)])
    const result = run(
      op(
        () => {
          trace.push('run')
          return 'from run'
        },
        { name: 'cached' },
      ),
    )
    expect(result).toBe('from cache')
    expect(trace).toEqual(['outer:before', 'outer:after'])
  })

  it('lets a middleware replace the op it passes on', () => {
    const seen: EffectOp[] = []
    const addTrace: Middleware = (current, next) =>
      next({ ...current, meta: { ...current.meta, trace: ['added'] }, run: () => current.run() })
    const observe: Middleware = (current, next) => {
      seen.push(current)
      return next(current)
    }
    const run = composeMiddleware([addTrace, observe])
    const original = op(() => 'ran', { meta: { store: 'todos' } })
    expect(run(original)).toBe('ran')
    expect(seen[0]).not.toBe(original)
    expect(seen[0]?.meta).toEqual({ store: 'todos', trace: ['added'] })
    expect(original.meta).toEqual({ store: 'todos' })
  })

  it('propagates errors thrown by a middleware or by run', () => {
    const boom = new Error('middleware broke')
    const throwing: Middleware = () => {
      throw boom
    }
    expect(() => composeMiddleware([throwing])(op(() => 1))).toThrow(boom)
    const runError = new Error('run broke')
    expect(() =>
      composeMiddleware([tracing('a', [])])(
        op(() => {
          throw runError
        }),
      ),
    ).toThrow(runError)
  })
})
