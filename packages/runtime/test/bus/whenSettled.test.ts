import { describe, expect, it, vi } from 'vitest'
import { isThenable, type SettleOutcome, whenSettled } from '../../src/bus/whenSettled.js'

/** Defined, not written literally: a `then` key in a literal trips Biome's noThenProperty. */
const withThen = (target: object, then: unknown): object =>
  Object.defineProperty(target, 'then', { value: then })

describe('whenSettled', () => {
  it('reports a synchronous result at once and returns it unchanged', () => {
    const done = vi.fn<(outcome: SettleOutcome) => void>()
    const value = { id: 1 }
    expect(whenSettled(value, done)).toBe(value)
    expect(done).toHaveBeenCalledExactlyOnceWith({ status: 'ok' })
  })

  it('treats undefined and null as synchronous results', () => {
    const done = vi.fn<(outcome: SettleOutcome) => void>()
    expect(whenSettled(undefined, done)).toBeUndefined()
    expect(whenSettled(null, done)).toBeNull()
    expect(done).toHaveBeenCalledTimes(2)
  })

  it('reports a promise when it resolves, and resolves with the same value', async () => {
    const done = vi.fn<(outcome: SettleOutcome) => void>()
    const result = whenSettled(Promise.resolve('value'), done)
    expect(done).not.toHaveBeenCalled()
    await expect(result).resolves.toBe('value')
    expect(done).toHaveBeenCalledExactlyOnceWith({ status: 'ok' })
  })

  it('reports a rejection and still rejects with the same error', async () => {
    const done = vi.fn<(outcome: SettleOutcome) => void>()
    const failure = new Error('nope')
    await expect(whenSettled(Promise.reject(failure), done)).rejects.toBe(failure)
    expect(done).toHaveBeenCalledExactlyOnceWith({ status: 'error', error: failure })
  })

  it('accepts any thenable and returns a real promise for it', async () => {
    const done = vi.fn<(outcome: SettleOutcome) => void>()
    const thenable = withThen({}, (resolve: (value: number) => void) => resolve(5)) as PromiseLike<number>
    const result = whenSettled(thenable, done)
    expect(result).toBeInstanceOf(Promise)
    await expect(result).resolves.toBe(5)
    expect(done).toHaveBeenCalledWith({ status: 'ok' })
  })

  it('lets an error thrown by done propagate', () => {
    const broken = new Error('observer broke')
    expect(() =>
      whenSettled(1, () => {
        throw broken
      }),
    ).toThrow(broken)
  })
})

describe('isThenable', () => {
  it('recognises objects and functions with a then method only', () => {
    expect(isThenable(Promise.resolve())).toBe(true)
    expect(isThenable(withThen({}, () => {}))).toBe(true)
    expect(
      isThenable(
        withThen(
          () => {},
          () => {},
        ),
      ),
    ).toBe(true)
    expect(isThenable(withThen({}, 1))).toBe(false)
    expect(isThenable(null)).toBe(false)
    expect(isThenable('then')).toBe(false)
  })
})
