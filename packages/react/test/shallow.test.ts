import { shallow } from '@atoma/react'
import { describe, expect, it } from 'vitest'
import { makeRuntime, seedLocal, todo, todos } from './helpers.js'

describe('shallow', () => {
  it('compares objects and arrays one level deep', () => {
    const inner = { x: 1 }
    expect(shallow({ a: 1, b: inner }, { a: 1, b: inner })).toBe(true)
    expect(shallow({ a: 1, b: inner }, { a: 1, b: { x: 1 } })).toBe(false)
    expect(shallow({ a: 1 }, { a: 1, b: undefined })).toBe(false)
    expect(shallow([1, inner], [1, inner])).toBe(true)
    expect(shallow([1, 2], [1, 2, 3])).toBe(false)
    expect(shallow<unknown>([1], { 0: 1 })).toBe(false)
  })

  it('compares primitives with Object.is', () => {
    expect(shallow(Number.NaN, Number.NaN)).toBe(true)
    expect(shallow(0, -0)).toBe(false)
    expect(shallow<unknown>(null, {})).toBe(false)
    expect(shallow('a', 'a')).toBe(true)
  })

  it('compares Maps, Sets and collection states entry by entry', () => {
    const inner = { x: 1 }
    expect(shallow(new Map([['a', inner]]), new Map([['a', inner]]))).toBe(true)
    expect(shallow(new Map([['a', inner]]), new Map([['a', { x: 1 }]]))).toBe(false)
    expect(shallow(new Set([1, inner]), new Set([inner, 1]))).toBe(true)
    expect(shallow(new Set([1]), new Set([2]))).toBe(false)
    const runtime = makeRuntime()
    seedLocal(runtime, [todo('1'), todo('2')])
    const before = runtime.store(todos).getState()
    // A write that leaves every entity as it was, then one that replaces an entity.
    runtime.store(todos).write.upsert(before.get('1') as ReturnType<typeof todo>)
    runtime.store(todos).write.upsert(todo('3'))
    runtime.store(todos).write.delete('3')
    const same = runtime.store(todos).getState()
    expect(shallow(before, same)).toBe(true)
    runtime.store(todos).write.patch('2', { done: true })
    expect(shallow(before, runtime.store(todos).getState())).toBe(false)
  })
})
