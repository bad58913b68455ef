import { describe, expect, it } from 'vitest'
import { decodePayload, encodePayload } from '../../src/value/codec.js'

const roundTrip = (value: unknown) => decodePayload(encodePayload({ value })).value

describe('payload codec', () => {
  it('leaves plain JSON exactly as JSON.stringify writes it', () => {
    const value = { a: [1, 'x', null, true, { $: 1, $t: 'date' }], b: {} }
    expect(encodePayload({ value })).toBe(JSON.stringify({ value }))
    expect(roundTrip(value)).toEqual(value)
  })

  it('encodes what JSON cannot carry, and gets it back', () => {
    const when = new Date(Date.UTC(2024, 1, 29, 12))
    const value = {
      missing: undefined,
      numbers: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1],
      big: 12345678901234567890n,
      when,
      invalid: new Date(Number.NaN),
      map: new Map<unknown, unknown>([
        ['k', new Set([1, when])],
        [2, { deep: undefined }],
      ]),
      // biome-ignore lint/suspicious/noSparseArray: the hole is the point.
      holes: [1, , 3],
    }
    const back = roundTrip(value) as typeof value
    expect(Object.hasOwn(back, 'missing')).toBe(true)
    expect(back.missing).toBeUndefined()
    expect(back.numbers).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1])
    expect(Object.is(back.numbers[3], -0)).toBe(true)
    expect(back.big).toBe(12345678901234567890n)
    expect(back.when).toEqual(when)
    expect(Number.isNaN(back.invalid.getTime())).toBe(true)
    expect(back.map).toEqual(value.map)
    expect(back.holes).toEqual([1, undefined, 3])
  })

  it('does not touch the value it encodes', () => {
    const value = { list: [undefined, { d: new Date(0) }] }
    encodePayload({ value })
    expect(value.list[1]).toEqual({ d: new Date(0) })
    expect(value.list[0]).toBeUndefined()
  })

  it('refuses what it cannot store, naming the path', () => {
    class Point {
      x = 1
    }
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(() => encodePayload({ value: { a: [() => 1] } })).toThrow('cannot store a function at value.a[0]')
    expect(() => encodePayload({ value: { p: new Point() } })).toThrow(
      'cannot store an instance of Point at value.p',
    )
    expect(() => encodePayload({ value: { s: Symbol('x') } })).toThrow('cannot store a symbol at value.s')
    expect(() => encodePayload({ value: cycle })).toThrow('cannot store a cycle at value.self')
    expect(() => encodePayload({ value: /x/ })).toThrow('an instance of RegExp')
  })

  it('rejects a side table that reaches outside the payload', () => {
    expect(() => decodePayload('{"a":{},"$":[[["a","__proto__","x"],"nan"]]}')).toThrow('does not resolve')
    expect(() => decodePayload('{"a":1,"$":[[["a"],"what"]]}')).toThrow('unknown encoded value tag')
    expect(() => decodePayload('{"a":"x","$":[[["a"],"map"]]}')).toThrow('malformed placeholder')
    expect(() => decodePayload('[1]')).toThrow('not an object')
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
})
