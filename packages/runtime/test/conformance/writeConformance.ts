import type { AtomaErrorCode, EntryResult, Patch, WriteEntry } from '@atoma/runtime'
import { enablePatches, Immer } from 'immer'
import { describe, expect, it } from 'vitest'
import { entry, type Harness, isAbortLike, resend } from './harness.js'

enablePatches()
const immer = new Immer({ autoFreeze: false })

const TODOS = 'todos'

interface Todo {
  id: string
  title: string
  done: boolean
  [field: string]: unknown
}

const todo = (id: string, extra: Partial<Todo> = {}): Todo => ({
  id,
  title: `task ${id}`,
  done: false,
  ...extra,
})

/** The rejection every backend gives: the code, not retryable, a message naming what failed. */
/** With `current`: the stored item and its version, which a conflict carries so the client can heal. */
function rejection(
  e: WriteEntry,
  code: AtomaErrorCode,
  current?: { value: unknown; version: number },
): EntryResult {
  const named = code === 'VALIDATION' ? e.entryId : String(e.id)
  const error = { code, message: expect.stringContaining(named), retryable: false }
  return {
    entryId: e.entryId,
    status: 'rejected',
    error:
      current === undefined ? error : { ...error, current: current.value, currentVersion: current.version },
  }
}

export function describeWriteConformance(backend: Harness): void {
  async function seed(...items: Todo[]): Promise<void> {
    for (const item of items) {
      const result = await backend.apply(TODOS, entry('create', item.id, { value: item }))
      expect(result.status).toBe('confirmed')
    }
  }
  const confirmed = (e: WriteEntry, value: unknown, version: number): EntryResult => ({
    entryId: e.entryId,
    status: 'confirmed',
    value,
    version,
  })

  describe('create', () => {
    it('stores the value at version 1 and answers with it', async () => {
      const e = entry('create', 't1', { value: todo('t1') })
      expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, todo('t1'), 1))
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t1'), version: 1 }])
    })

    it('on an existing id is a CONFLICT carrying the stored item, and changes nothing', async () => {
      await seed(todo('t1'))
      const e = entry('create', 't1', { value: todo('t1', { title: 'again' }) })
      expect(await backend.apply(TODOS, e)).toEqual(
        rejection(e, 'CONFLICT', { value: todo('t1'), version: 1 }),
      )
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t1'), version: 1 }])
    })
  })

  describe('update and patch', () => {
    it('update without patches replaces the item with value', async () => {
      await seed(todo('t1', { extra: 'dropped' }))
      const e = entry('update', 't1', { value: todo('t1', { title: 'renamed' }) })
      expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, todo('t1', { title: 'renamed' }), 2))
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t1', { title: 'renamed' }), version: 2 }])
    })

    it.each(['update', 'patch'] as const)(
      '%s accepts a baseVersion equal to the stored version',
      async (op) => {
        await seed(todo('t1'))
        const patches: Patch[] = [{ op: 'replace', path: ['done'], value: true }]
        const e = entry(op, 't1', { baseVersion: 1, patches, value: todo('t1', { done: true }) })
        expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, todo('t1', { done: true }), 2))
      },
    )

    it.each(['update', 'patch'] as const)('%s of a missing id is NOT_FOUND', async (op) => {
      await seed(todo('t1'))
      const patches: Patch[] = [{ op: 'replace', path: ['done'], value: true }]
      const e = entry(op, 'ghost', { patches, value: todo('ghost', { done: true }) })
      expect(await backend.apply(TODOS, e)).toEqual(rejection(e, 'NOT_FOUND'))
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t1'), version: 1 }])
    })

    it.each(['update', 'patch'] as const)(
      '%s with a stale baseVersion is a CONFLICT with the current item',
      async (op) => {
        await seed(todo('t1'))
        await backend.apply(TODOS, entry('update', 't1', { value: todo('t1', { title: 'theirs' }) }))
        const patches: Patch[] = [{ op: 'replace', path: ['done'], value: true }]
        const e = entry(op, 't1', { baseVersion: 1, patches, value: todo('t1', { done: true }) })
        expect(await backend.apply(TODOS, e)).toEqual(
          rejection(e, 'CONFLICT', { value: todo('t1', { title: 'theirs' }), version: 2 }),
        )
        expect(await backend.contents(TODOS)).toEqual([
          { value: todo('t1', { title: 'theirs' }), version: 2 },
        ])
      },
    )

    it.each(['update', 'patch'] as const)(
      '%s applies its patches to the stored item, so an earlier write that never arrived does not leak',
      async (op) => {
        await seed(todo('t1', { title: 'stored' }))
        // On the client, write 1 renamed the item and was rejected before it was sent; write 2
        // was planned on top of it, so its `value` still carries write 1's title.
        const e = entry(op, 't1', {
          patches: [{ op: 'replace', path: ['done'], value: true }],
          value: todo('t1', { title: 'never sent', done: true }),
        })
        const expected = todo('t1', { title: 'stored', done: true })
        expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, expected, 2))
        expect(await backend.contents(TODOS)).toEqual([{ value: expected, version: 2 }])
      },
    )

    it('applies add, replace and remove on nested objects and arrays', async () => {
      await seed(todo('t1', { meta: { owner: 'ann', labels: { a: 1, b: 2 } }, tags: ['a', 'b', 'c'] }))
      const patches: Patch[] = [
        { op: 'replace', path: ['meta', 'owner'], value: 'bob' },
        { op: 'add', path: ['meta', 'due'], value: '2030-01-01' },
        { op: 'remove', path: ['meta', 'labels', 'a'] },
        { op: 'add', path: ['tags', 1], value: 'x' },
        { op: 'remove', path: ['tags', 0] },
        { op: 'replace', path: ['tags', 2], value: 'C' },
        { op: 'add', path: ['tags', 3], value: 'd' },
      ]
      const expected = todo('t1', {
        meta: { owner: 'bob', labels: { b: 2 }, due: '2030-01-01' },
        tags: ['x', 'b', 'C', 'd'],
      })
      const e = entry('patch', 't1', { patches, value: expected })
      expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, expected, 2))
      expect(await backend.contents(TODOS)).toEqual([{ value: expected, version: 2 }])
    })

    it('gives what immer gives for the patches immer generates', async () => {
      const base = todo('t1', {
        tags: ['a', 'b', 'c', 'd'],
        steps: [{ n: 1 }, { n: 2 }],
        trail: [1, 2, 3, 4, 5],
        meta: { owner: 'ann', labels: { x: 1, y: 2 } },
      })
      await seed(base)
      const [next, patches] = immer.produceWithPatches<Record<string, unknown>>(base, (draft) => {
        draft.title = 'renamed'
        const tags = draft.tags as string[]
        tags.splice(1, 1)
        tags.push('e', 'f')
        const steps = draft.steps as Array<{ n: number }>
        steps[1]!.n = 3
        steps.unshift({ n: 0 })
        ;(draft.trail as number[]).length = 2
        const meta = draft.meta as { owner?: string; labels: Record<string, number>; due?: string }
        delete meta.labels.y
        delete meta.owner
        meta.due = 'soon'
        delete draft.done
      })
      const e = entry('update', 't1', { patches, value: next })
      expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, next, 2))
    })

    it('replace at the empty path replaces the whole item', async () => {
      await seed(todo('t1', { extra: 1 }))
      const e = entry('update', 't1', {
        patches: [{ op: 'replace', path: [], value: todo('t1', { title: 'new' }) }],
      })
      expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, todo('t1', { title: 'new' }), 2))
    })

    it.each([
      [['__proto__', 'polluted']],
      [['constructor', 'prototype', 'polluted']],
      [['meta', '__proto__']],
      [['prototype']],
    ])('a path through %j is rejected as VALIDATION and changes nothing', async (path) => {
      const stored = todo('t1', { meta: { owner: 'ann' } })
      await seed(stored)
      const e = entry('patch', 't1', {
        patches: [{ op: 'add', path, value: { polluted: true } }],
        value: stored,
      })
      expect(await backend.apply(TODOS, e)).toEqual(rejection(e, 'VALIDATION'))
      expect(await backend.contents(TODOS)).toEqual([{ value: stored, version: 1 }])
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    })

    it.each<[string, Patch]>([
      ['a path through a missing field', { op: 'replace', path: ['meta', 'missing', 'deep'], value: 1 }],
      ['a path through a string', { op: 'add', path: ['title', 'x'], value: 1 }],
      ['replace past the end of an array', { op: 'replace', path: ['tags', 3], value: 'x' }],
      ['remove past the end of an array', { op: 'remove', path: ['tags', 3] }],
      ['add beyond the end of an array', { op: 'add', path: ['tags', 4], value: 'x' }],
      ['a non-index segment on an array', { op: 'replace', path: ['tags', 'first'], value: 'x' }],
      ['add at the empty path', { op: 'add', path: [], value: {} }],
    ])('a patch that does not apply (%s) is rejected as VALIDATION and changes nothing', async (_, patch) => {
      const stored = todo('t1', { meta: { owner: 'ann' }, tags: ['a', 'b', 'c'] })
      await seed(stored)
      const fine: Patch = { op: 'replace', path: ['done'], value: true }
      const e = entry('patch', 't1', { patches: [fine, patch], value: stored })
      expect(await backend.apply(TODOS, e)).toEqual(rejection(e, 'VALIDATION'))
      expect(await backend.contents(TODOS)).toEqual([{ value: stored, version: 1 }])
    })
  })

  describe('upsert', () => {
    it('creates a missing item at version 1 (a baseVersion has nothing to check against)', async () => {
      const e = entry('upsert', 't1', { value: todo('t1'), baseVersion: 7 })
      expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, todo('t1'), 1))
    })

    it('replaces an existing item at the next version', async () => {
      await seed(todo('t1', { extra: 'dropped' }))
      const e = entry('upsert', 't1', { value: todo('t1', { done: true }), baseVersion: 1 })
      expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, todo('t1', { done: true }), 2))
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t1', { done: true }), version: 2 }])
    })

    it('with a stale baseVersion on an existing item is a CONFLICT', async () => {
      await seed(todo('t1'))
      const e = entry('upsert', 't1', { value: todo('t1', { done: true }), baseVersion: 3 })
      expect(await backend.apply(TODOS, e)).toEqual(
        rejection(e, 'CONFLICT', { value: todo('t1'), version: 1 }),
      )
    })
  })

  describe('delete', () => {
    it('removes the item and confirms with the next version and no value', async () => {
      await seed(todo('t1'), todo('t2'))
      const e = entry('delete', 't1', { baseVersion: 1 })
      // t1 and t2 took versions 1 and 2 of the store's sequence; the delete takes the next.
      expect(await backend.apply(TODOS, e)).toEqual({ entryId: e.entryId, status: 'confirmed', version: 3 })
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t2'), version: 2 }])
    })

    it('of a missing id is NOT_FOUND', async () => {
      const e = entry('delete', 'ghost')
      expect(await backend.apply(TODOS, e)).toEqual(rejection(e, 'NOT_FOUND'))
    })

    it('with a stale baseVersion is a CONFLICT with the current item', async () => {
      await seed(todo('t1'))
      const e = entry('delete', 't1', { baseVersion: 2 })
      expect(await backend.apply(TODOS, e)).toEqual(
        rejection(e, 'CONFLICT', { value: todo('t1'), version: 1 }),
      )
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t1'), version: 1 }])
    })

    it('leaves the id free: created again, at a version above every earlier one (none is reused)', async () => {
      await seed(todo('t1'))
      await backend.apply(TODOS, entry('delete', 't1'))
      const e = entry('create', 't1', { value: todo('t1', { title: 'reborn' }) })
      expect(await backend.apply(TODOS, e)).toEqual(confirmed(e, todo('t1', { title: 'reborn' }), 3))
    })

    it('so a stale writer never matches a re-created item (no ABA)', async () => {
      await seed(todo('t1'))
      await backend.apply(TODOS, entry('delete', 't1'))
      await backend.apply(TODOS, entry('create', 't1', { value: todo('t1', { title: 'reborn' }) }))
      const stale = entry('update', 't1', { baseVersion: 1, value: todo('t1', { title: 'stale' }) })
      expect(await backend.apply(TODOS, stale)).toEqual(
        rejection(stale, 'CONFLICT', { value: todo('t1', { title: 'reborn' }), version: 3 }),
      )
    })
  })

  it('versions grow by one per change, whatever the op', async () => {
    const steps: WriteEntry[] = [
      entry('create', 't1', { value: todo('t1') }),
      entry('update', 't1', { value: todo('t1', { title: 'b' }) }),
      entry('patch', 't1', {
        patches: [{ op: 'replace', path: ['done'], value: true }],
        value: todo('t1', { title: 'b', done: true }),
      }),
      entry('upsert', 't1', { value: todo('t1', { title: 'c' }) }),
      entry('delete', 't1'),
    ]
    const versions: unknown[] = []
    for (const step of steps) {
      const result = await backend.apply(TODOS, step)
      versions.push(result.status === 'confirmed' ? result.version : result.error.code)
    }
    expect(versions).toEqual([1, 2, 3, 4, 5])
  })

  describe('idempotency', () => {
    it('a replayed create answers with its first result and is not applied again', async () => {
      const first = entry('create', 't1', { value: todo('t1') })
      await backend.apply(TODOS, first)
      const again = resend(first)
      expect(await backend.apply(TODOS, again)).toEqual(confirmed(again, todo('t1'), 1))
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t1'), version: 1 }])
    })

    it('a replayed update answers with its first result, even after later changes', async () => {
      await seed(todo('t1'))
      const first = entry('update', 't1', { value: todo('t1', { title: 'b' }) })
      await backend.apply(TODOS, first)
      await backend.apply(TODOS, entry('update', 't1', { value: todo('t1', { title: 'c' }) }))
      const again = resend(first)
      expect(await backend.apply(TODOS, again)).toEqual(confirmed(again, todo('t1', { title: 'b' }), 2))
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t1', { title: 'c' }), version: 3 }])
    })

    it('a key repeated inside one batch applies once', async () => {
      await seed(todo('t1'))
      const bump = entry('update', 't1', { value: todo('t1', { title: 'once' }) })
      const again = resend(bump)
      expect((await backend.write(TODOS, bump, again)).items).toEqual([
        confirmed(bump, todo('t1', { title: 'once' }), 2),
        confirmed(again, todo('t1', { title: 'once' }), 2),
      ])
      expect(await backend.contents(TODOS)).toEqual([{ value: todo('t1', { title: 'once' }), version: 2 }])
    })

    it('keys belong to their store', async () => {
      const first = entry('create', 't1', { value: todo('t1') })
      await backend.apply(TODOS, first)
      const elsewhere = resend(first)
      expect(await backend.apply('notes', elsewhere)).toEqual(confirmed(elsewhere, todo('t1'), 1))
      expect(await backend.contents('notes')).toEqual([{ value: todo('t1'), version: 1 }])
    })

    it('a rejected entry does not claim its key: retried once the cause is gone, it applies', async () => {
      const first = entry('update', 't1', { value: todo('t1', { title: 'b' }) })
      expect(await backend.apply(TODOS, first)).toEqual(rejection(first, 'NOT_FOUND'))
      await seed(todo('t1'))
      const again = resend(first)
      expect(await backend.apply(TODOS, again)).toEqual(confirmed(again, todo('t1', { title: 'b' }), 2))
    })
  })

  describe('batches', () => {
    it('apply entries in order, each seeing the ones before it', async () => {
      const create = entry('create', 't1', { value: todo('t1') })
      const update = entry('update', 't1', { baseVersion: 1, value: todo('t1', { title: 'b' }) })
      const remove = entry('delete', 't1', { baseVersion: 2 })
      const recreate = entry('create', 't1', { value: todo('t1', { title: 'c' }) })
      expect(await backend.write(TODOS, create, update, remove, recreate)).toEqual({
        status: 'confirmed',
        items: [
          confirmed(create, todo('t1'), 1),
          confirmed(update, todo('t1', { title: 'b' }), 2),
          { entryId: remove.entryId, status: 'confirmed', version: 3 },
          confirmed(recreate, todo('t1', { title: 'c' }), 4),
        ],
      })
    })

    it('are partial when some entries fail: each entry stands alone, results in input order', async () => {
      await seed(todo('t1'))
      const a = entry('create', 'a', { value: todo('a') })
      const missing = entry('update', 'ghost', { value: todo('ghost') })
      const stale = entry('delete', 't1', { baseVersion: 9 })
      const b = entry('create', 'b', { value: todo('b') })
      expect(await backend.write(TODOS, a, missing, stale, b)).toEqual({
        status: 'partial',
        items: [
          confirmed(a, todo('a'), 2),
          rejection(missing, 'NOT_FOUND'),
          rejection(stale, 'CONFLICT', { value: todo('t1'), version: 1 }),
          confirmed(b, todo('b'), 3),
        ],
      })
      expect(await backend.contents(TODOS)).toEqual([
        { value: todo('a'), version: 2 },
        { value: todo('b'), version: 3 },
        { value: todo('t1'), version: 1 },
      ])
    })

    it('are rejected when no entry confirms', async () => {
      const missing = entry('delete', 'ghost')
      const alsoMissing = entry('patch', 'ghost', { patches: [], value: todo('ghost') })
      expect(await backend.write(TODOS, missing, alsoMissing)).toEqual({
        status: 'rejected',
        items: [rejection(missing, 'NOT_FOUND'), rejection(alsoMissing, 'NOT_FOUND')],
      })
    })
  })

  it('keeps 1 and "1" apart, each with its type', async () => {
    const ids = 'ids'
    const byNumber = entry('create', 1, { value: { id: 1, label: 'number' } })
    const byString = entry('create', '1', { value: { id: '1', label: 'string' } })
    await backend.write(ids, byNumber, byString)
    await backend.apply(ids, entry('update', 1, { value: { id: 1, label: 'number, updated' } }))
    const again = entry('create', '1', { value: { id: '1', label: 'again' } })
    expect(await backend.apply(ids, again)).toEqual(
      rejection(again, 'CONFLICT', { value: { id: '1', label: 'string' }, version: 2 }),
    )

    const { items, versions } = await backend.query(ids)
    expect(items).toHaveLength(2)
    expect(items).toEqual(
      expect.arrayContaining([
        { id: 1, label: 'number, updated' },
        { id: '1', label: 'string' },
      ]),
    )
    expect(versions).toEqual(
      new Map<string | number, number>([
        [1, 3],
        ['1', 2],
      ]),
    )

    await backend.apply(ids, entry('delete', '1'))
    expect((await backend.query(ids)).items).toEqual([{ id: 1, label: 'number, updated' }])
  })

  describe('copies', () => {
    it('stores copies of the caller’s value and patch values', async () => {
      const value = todo('t1', { meta: { owner: 'ann' } })
      await backend.apply(TODOS, entry('create', 't1', { value }))
      value.title = 'mutated'
      ;(value.meta as { owner: string }).owner = 'mutated'
      const stored = todo('t1', { meta: { owner: 'ann' } })
      expect(await backend.contents(TODOS)).toEqual([{ value: stored, version: 1 }])

      const labels = { a: 1 }
      const patches: Patch[] = [{ op: 'add', path: ['labels'], value: labels }]
      await backend.apply(TODOS, entry('patch', 't1', { patches, value: { ...stored, labels } }))
      labels.a = 2
      expect(await backend.contents(TODOS)).toEqual([{ value: { ...stored, labels: { a: 1 } }, version: 2 }])
    })

    it('answers with copies: mutating a result, a conflict’s current or a query item changes nothing', async () => {
      const created = await backend.apply(
        TODOS,
        entry('create', 't1', { value: todo('t1', { tags: ['a'] }) }),
      )
      if (created.status !== 'confirmed') throw new Error('create failed')
      ;(created.value as Todo).title = 'mutated'
      const conflict = await backend.apply(TODOS, entry('create', 't1', { value: todo('t1') }))
      if (conflict.status !== 'rejected') throw new Error('expected a conflict')
      ;(conflict.error.current as Todo).title = 'mutated'
      const first = await backend.query(TODOS)
      ;(first.items[0] as { tags: string[] }).tags.push('mutated')
      const second = await backend.query(TODOS)
      expect(second.items).toEqual([todo('t1', { tags: ['a'] })])
      expect(second.items[0]).not.toBe(first.items[0])
    })
  })

  it('does nothing with an aborted signal: the write rejects as aborted', async () => {
    await expect(
      backend.aborted.write(TODOS, entry('create', 't1', { value: todo('t1') })),
    ).rejects.toSatisfy(isAbortLike)
    expect(await backend.contents(TODOS)).toEqual([])
  })
}
