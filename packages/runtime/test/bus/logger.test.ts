import { afterEach, describe, expect, it, vi } from 'vitest'
import { composeMiddleware } from '../../src/bus/composeMiddleware.js'
import type { EffectOp } from '../../src/bus/effectOp.js'
import { logger } from '../../src/bus/logger.js'

afterEach(() => {
  vi.restoreAllMocks()
})

const op = <R>(run: () => R, extra: Partial<EffectOp<R>> = {}): EffectOp<R> => ({
  id: 'op:1',
  kind: 'state',
  name: 'optimistic',
  meta: { store: 'todos' },
  run,
  ...extra,
})

/** Makes the measured duration exact: the first `now()` starts the clock, the second stops it. */
function clock(durationMs: number) {
  vi.spyOn(performance, 'now')
    .mockReturnValueOnce(1000)
    .mockReturnValueOnce(1000 + durationMs)
}

describe('logger', () => {
  it('logs one line per settled op with kind, store/name, duration and status', () => {
    const lines: string[] = []
    const ops: EffectOp[] = []
    const run = composeMiddleware([
      logger({
        log: (line, loggedOp) => {
          lines.push(line)
          ops.push(loggedOp)
        },
      }),
    ])
    clock(0.3)
    const subject = op(() => 1)
    run(subject)
    expect(lines).toEqual(['[atoma] state todos/optimistic 0.3ms ok'])
    expect(ops).toEqual([subject])
  })

  it('logs errors with their message, for sync throws and async rejections', async () => {
    const lines: string[] = []
    const run = composeMiddleware([logger({ log: (line) => lines.push(line) })])
    clock(2)
    expect(() =>
      run(
        op(() => {
          throw new Error('bad recipe')
        }),
      ),
    ).toThrow('bad recipe')
    clock(12.25)
    await expect(
      run(op(() => Promise.reject(new Error('timeout')), { kind: 'service', name: 'fetch', meta: {} })),
    ).rejects.toThrow('timeout')
    expect(lines).toEqual([
      '[atoma] state todos/optimistic 2.0ms error: bad recipe',
      '[atoma] service fetch 12.3ms error: timeout',
    ])
  })

  it('lets the filter skip ops entirely', () => {
    const log = vi.fn()
    const run = composeMiddleware([logger({ log, filter: (candidate) => candidate.kind !== 'state' })])
    expect(run(op(() => 'skipped'))).toBe('skipped')
    run(op(() => 'logged', { kind: 'action' }))
    expect(log).toHaveBeenCalledTimes(1)
    expect(log.mock.calls[0]?.[0]).toMatch(/^\[atoma\] action todos\/optimistic \d+\.\dms ok$/)
  })

  it('writes to console.debug by default', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    composeMiddleware([logger()])(op(() => undefined))
    expect(debug).toHaveBeenCalledExactlyOnceWith(
      expect.stringMatching(/^\[atoma\] state todos\/optimistic /),
    )
  })
})
