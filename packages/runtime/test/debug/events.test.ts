import { beforeEach, describe, expect, it, vi } from 'vitest'
import { debugEvents } from '../../src/debug/events.js'
import { resetDevtoolsHub } from '../../src/debug/hub.js'

beforeEach(() => {
  resetDevtoolsHub()
})

describe('debugEvents.create', () => {
  it('adds a page-wide monotonic eventId, a wall-clock timestamp and the runtime label', () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000)
    const first = debugEvents.create({ kind: 'state:update', store: 'todos', txnId: 4, patchCount: 2 }, 'app')
    const second = debugEvents.create({ kind: 'lifecycle', name: 'init' }, 'other')
    vi.restoreAllMocks()
    expect(first).toEqual({
      kind: 'state:update',
      store: 'todos',
      txnId: 4,
      patchCount: 2,
      eventId: 1,
      timestamp: 1_700_000_000_000,
      runtimeLabel: 'app',
    })
    expect(second.eventId).toBe(2)
    expect(second.runtimeLabel).toBe('other')
  })

  it('never lets input fields override the hub-assigned ones', () => {
    const input = { kind: 'diagnostic' as const, eventId: 999, runtimeLabel: 'spoof' }
    const event = debugEvents.create(input, 'app')
    expect(event.eventId).toBe(1)
    expect(event.runtimeLabel).toBe('app')
  })
})
