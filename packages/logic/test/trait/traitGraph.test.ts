import { computed, inspectLogic, link, type SourceState, source, sourceIdle } from '@atoma/logic'
import { createRuntime, defineCollection, defineStore, memoryBackend } from '@atoma/runtime'
import { describe, expect, it } from 'vitest'

interface Ab {
  a: number
  b: number
  c: number
}

describe('the trait graph', () => {
  it('a computed cycle fails createRuntime, naming it', () => {
    const loop = defineStore('loop', {
      initial: { a: 0, b: 0, c: 0 },
      traits: {
        a: computed(['b'], (s: Ab) => s.b + 1),
        b: computed(['c'], (s: Ab) => s.c + 1),
        c: computed(['a'], (s: Ab) => s.a + 1),
      },
    })
    expect(() => createRuntime({ stores: [loop] })).toThrow(
      'createRuntime: the traits form a cycle, so a field would depend on itself: loop.a → loop.c → loop.b → loop.a (loop.a is computed from b; loop.c is computed from a; loop.b is computed from c)',
    )
  })

  it('a field computed from itself is a cycle too', () => {
    const self = defineStore('self', {
      initial: { a: 0, b: 0, c: 0 },
      traits: { a: computed(['a'], (s: Ab) => s.a + 1) },
    })
    expect(() => createRuntime({ stores: [self] })).toThrow(
      'cycle, so a field would depend on itself: self.a → self.a',
    )
  })

  it('links that come back to where they started are a cycle, across stores', () => {
    // p.x follows r, q.y follows p, r.z follows q (closed) or nothing (open).
    const chain = (closed: boolean) => {
      const r0 = defineStore('r', { initial: { z: 0 } })
      const p = defineStore('p', { initial: { x: 0 }, traits: { x: link(r0, (s) => s.z) } })
      const q = defineStore('q', { initial: { y: 0 }, traits: { y: link(p, (s) => s.x) } })
      const r = closed ? defineStore('r', { initial: { z: 0 }, traits: { z: link(q, (s) => s.y) } }) : r0
      return [p, q, r]
    }
    expect(() => createRuntime({ stores: chain(false) })).not.toThrow()
    expect(() => createRuntime({ stores: chain(true) })).toThrow(
      "p.x → q.y → r.z → p.x (p.x is a link from 'r'; q.y is a link from 'p'; r.z is a link from 'q')",
    )
  })

  it('a link from its own store is a cycle (use computed)', () => {
    const own = defineStore('own', {
      initial: { x: 0, y: 0 },
      traits: { y: link(defineStore('own', { initial: { x: 0, y: 0 } }), (s) => s.x) },
    })
    expect(() => createRuntime({ stores: [own] })).toThrow("own.y → own.y (own.y is a link from 'own')")
  })

  it('an acyclic graph across kinds is accepted and published for inspection', async () => {
    interface User {
      id: string
      name: string
    }
    const users = defineCollection<User>('users', { key: 'id' })
    const prefs = defineStore('prefs', { initial: { rate: 2 } })
    interface Task {
      assigneeId: string | null
      hours: number
      rate: number
      cost: number
      assignee: SourceState<User>
      assigneeName: string
    }
    const task = defineStore<Task>()('task', {
      initial: { assigneeId: null, hours: 1, rate: 0, cost: 0, assignee: sourceIdle, assigneeName: '' },
      traits: {
        assigneeName: computed(['assignee'], (s: Task) => s.assignee.data?.name ?? ''),
        cost: computed(['hours', 'rate'], (s: Task) => s.hours * s.rate),
        rate: link(prefs, (s) => s.rate),
        assignee: source(users, (s: Task) => s.assigneeId),
      },
    })
    const runtime = createRuntime({ stores: [users, prefs, task], plugins: [memoryBackend()] })
    expect(runtime.store(task).getState().cost).toBe(2)
    expect(inspectLogic(runtime).traits).toEqual([
      { store: 'task', field: 'assigneeName', kind: 'trait-computed', deps: ['assignee'] },
      { store: 'task', field: 'cost', kind: 'trait-computed', deps: ['hours', 'rate'] },
      { store: 'task', field: 'rate', kind: 'trait-link', from: 'prefs' },
      { store: 'task', field: 'assignee', kind: 'trait-source', from: 'users', resourceId: 'users' },
    ])
    runtime.dispose()
  })
})
