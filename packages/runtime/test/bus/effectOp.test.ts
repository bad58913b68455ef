import { describe, expect, it, vi } from 'vitest'
import { nextOpId } from '../../src/bus/effectOp.js'

describe('nextOpId', () => {
  it('returns a new id each call', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => nextOpId()))
    expect(ids.size).toBe(1000)
  })

  it('continues one page-wide sequence across copies of the module', async () => {
    const first = nextOpId()
    vi.resetModules()
    const copy = await import('../../src/bus/effectOp.js')
    expect(copy.nextOpId).not.toBe(nextOpId)
    const second = copy.nextOpId()
    expect(Number(second.slice('op:'.length))).toBe(Number(first.slice('op:'.length)) + 1)
  })
})
