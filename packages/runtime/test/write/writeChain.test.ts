import { AtomaError, createRuntime, defineCollection, type WriteResult } from '@atoma/runtime'
import { describe, expect, it, vi } from 'vitest'
import { controllableBackend, flush } from './controllableBackend.js'

interface Task {
  id: string
  title: string
  done: boolean
  note?: string
}
const tasks = defineCollection<Task>('tasks', { key: 'id', policy: 'controlled' })

function setup() {
  const backend = controllableBackend()
  const runtime = createRuntime({ stores: [tasks], plugins: [backend.plugin] })
  return { backend, runtime, handle: runtime.store(tasks) }
}

async function seed(setupResult: ReturnType<typeof setup>, items: Task[]) {
  const { backend, handle } = setupResult
  for (const item of items) backend.table('tasks').set(item.id, { value: { ...item }, version: 1 })
  const read = handle.query({})
  await flush()
  backend.take().confirm()
  await read
}

describe('the write chain', () => {
  it('is optimistic: visible at once, with the optimistic txnId, then confirmed by writeback', async () => {
    const s = setup()
    const listener = vi.fn()
    s.handle.subscribeEntity('a', listener)
    const handle = s.handle.write.create({ id: 'a', title: 'first', done: false })
    expect(s.handle.get('a')?.title).toBe('first')
    expect(listener).toHaveBeenCalledTimes(1)
    expect(s.runtime.history(tasks).at(-1)).toMatchObject({
      txnId: handle.txnId,
      origin: { kind: 'optimistic', name: 'create' },
      changedIds: ['a'],
    })
    expect(s.handle.pendingCount()).toBe(1)
    await flush()
    const call = s.backend.take()
    expect(call.entries).toMatchObject([
      { op: 'create', id: 'a', value: { id: 'a', title: 'first', done: false } },
    ])
    call.confirm()
    const result = await handle
    expect(result.status).toBe('confirmed')
    expect(result.items[0]).toMatchObject({ status: 'confirmed', version: 1 })
    expect(result.writebackTxnId).toBeGreaterThan(handle.txnId!)
    expect(s.handle.pendingCount()).toBe(0)
    // The server said nothing new: the entity keeps its identity, its listener is not called again.
    expect(listener).toHaveBeenCalledTimes(1)
    const writeback = s.runtime.history(tasks).at(-1)
    expect(writeback?.origin.kind).toBe('writeback')
    // One opId links the optimistic commit and its writeback.
    const optimistic = s.runtime.history(tasks).find((r) => r.txnId === handle.txnId)
    expect(writeback?.origin.opId).toBeTruthy()
    expect(writeback?.origin.opId).toBe(optimistic?.origin.opId)
  })

  it('applies server-normalized fields in writeback, with the patches of that same pass', async () => {
    const s = setup()
    await seed(s, [{ id: 'a', title: 'x', done: false }])
    const handle = s.handle.write.patch('a', { title: '  spaced  ' })
    await flush()
    const call = s.backend.take()
    expect(call.entries[0]).toMatchObject({
      op: 'patch',
      baseVersion: 1,
      patches: [{ op: 'replace', path: ['title'], value: '  spaced  ' }],
    })
    call.confirm((value) => ({ ...value, title: String(value.title).trim() }))
    const result = await handle
    expect(result.items[0]?.version).toBe(2)
    expect(s.handle.get('a')?.title).toBe('spaced')
    const writeback = s.runtime.history(tasks).find((r) => r.txnId === result.writebackTxnId)!
    expect(writeback.origin.kind).toBe('writeback')
    expect(writeback.patches).toEqual([{ op: 'replace', path: ['a', 'title'], value: 'spaced' }])
    // Recorded payload: optimistic ++ writeback; inverse: writeback-inverse ++ optimistic-inverse.
    expect(result.patches).toEqual([
      ...s.runtime.history(tasks).find((r) => r.txnId === handle.txnId)!.patches,
      ...writeback.patches,
    ])
  })

  it('a rejected write rolls back, and unwrap() rejects with an AtomaError naming store and id', async () => {
    const s = setup()
    await seed(s, [{ id: 'a', title: 'old', done: false }])
    const handle = s.handle.write.update('a', (draft) => {
      draft.title = 'new'
    })
    expect(s.handle.get('a')?.title).toBe('new')
    await flush()
    s.backend.take().reject('VALIDATION')
    const result = await handle
    expect(result.status).toBe('rejected')
    expect(result.failed).toHaveLength(1)
    expect(result.rollbackTxnId).toBeDefined()
    expect(s.handle.get('a')?.title).toBe('old')
    const error = await handle.unwrap().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AtomaError)
    expect(error).toMatchObject({ code: 'VALIDATION', store: 'tasks', id: 'a' })
    expect((error as Error).message).toMatch(/collection 'tasks': update of 'a' was rejected/)
  })

  it('overlapping writes: rejecting the first keeps the second (a rebase, not a restore)', async () => {
    const s = setup()
    await seed(s, [{ id: 'a', title: 'v0', done: false }])
    const first = s.handle.write.patch('a', { title: 'v1' })
    const second = s.handle.write.patch('a', { done: true })
    expect(s.handle.get('a')).toMatchObject({ title: 'v1', done: true })
    await flush()
    // The second waits for the first: it is sent with the version the first leaves.
    expect(s.backend.calls).toHaveLength(1)
    s.backend.take().reject()
    await first
    expect(s.handle.get('a')).toMatchObject({ title: 'v0', done: true })
    await flush()
    const call = s.backend.take()
    expect(call.entries[0]).toMatchObject({
      baseVersion: 1,
      patches: [{ op: 'replace', path: ['done'], value: true }],
    })
    call.confirm()
    expect((await second).status).toBe('confirmed')
    expect(s.handle.get('a')).toMatchObject({ title: 'v0', done: true })
    expect(s.backend.table('tasks').get('a')?.value).toMatchObject({ title: 'v0', done: true })
  })

  it('two quick edits where the first fails and the second succeeds keep the second value, locally and on the server', async () => {
    const s = setup()
    await seed(s, [{ id: 'a', title: 'v0', done: false }])
    const first = s.handle.write.patch('a', { title: 'first' })
    const second = s.handle.write.patch('a', { title: 'second' })
    await flush()
    s.backend.take().reject()
    await first
    expect(s.handle.get('a')?.title).toBe('second')
    await flush()
    s.backend.take().confirm()
    await second
    expect(s.handle.get('a')?.title).toBe('second')
    expect(s.backend.table('tasks').get('a')?.value.title).toBe('second')
  })

  it('a partial batch keeps confirmed entries and rolls back the rejected ones, listing them', async () => {
    const s = setup()
    await seed(s, [{ id: 'a', title: 'a', done: false }])
    s.backend.table('tasks').set('b', { value: { id: 'b', title: 'server b', done: false }, version: 1 })
    const handle = s.handle.write.patches([
      { op: 'replace', path: ['a', 'title'], value: 'A' },
      { op: 'add', path: ['b'], value: { id: 'b', title: 'mine', done: false } },
    ])
    expect(s.handle.get('b')?.title).toBe('mine')
    await flush()
    const call = s.backend.take()
    expect(call.entries.map((e) => [e.op, e.id])).toEqual([
      ['patch', 'a'],
      ['create', 'b'],
    ])
    call.confirm()
    const result: WriteResult<Task> = await handle
    expect(result.status).toBe('partial')
    expect(result.failed.map((f) => [f.id, f.error?.code])).toEqual([['b', 'CONFLICT']])
    expect(s.handle.get('a')?.title).toBe('A')
    // The conflict carried the server's item: it lands on the base instead of the rolled-back create.
    expect(s.handle.get('b')).toEqual({ id: 'b', title: 'server b', done: false })
    expect(result.writebackTxnId).toBeDefined()
    expect(result.rollbackTxnId).toBeDefined()
    // The raw patches are the recorded payload of write.patches.
    expect(s.runtime.history(tasks).find((r) => r.txnId === handle.txnId)?.patches).toEqual([
      { op: 'replace', path: ['a', 'title'], value: 'A' },
      { op: 'add', path: ['b'], value: { id: 'b', title: 'mine', done: false } },
    ])
  })

  it('a transport failure rejects every entry with TRANSPORT and rolls back', async () => {
    const s = setup()
    const handle = s.handle.write.create({ id: 'z', title: 'z', done: false })
    await flush()
    s.backend.take().fail('socket hang up')
    const result = await handle
    expect(result.status).toBe('rejected')
    expect(result.failed[0]?.error).toMatchObject({ code: 'TRANSPORT' })
    expect(s.handle.get('z')).toBeUndefined()
  })

  it('a refetch never flickers a pending write away: server data lands under it', async () => {
    const s = setup()
    await seed(s, [{ id: 'a', title: 'v0', done: false }])
    const pending = s.handle.write.patch('a', { done: true })
    const refetch = s.handle.query({})
    await flush()
    const states: Array<Task | undefined> = []
    s.handle.subscribeEntity('a', (t) => states.push(t))
    // Another client renamed it meanwhile.
    s.backend.table('tasks').set('a', { value: { id: 'a', title: 'theirs', done: false }, version: 2 })
    const queryCall = s.backend.calls.findIndex((c) => c.kind === 'query')
    // The query snapshot was taken before the rename; take a fresh one.
    s.backend.take(queryCall).confirm()
    await refetch
    const again = s.handle.query({})
    await flush()
    s.backend.take(s.backend.calls.findIndex((c) => c.kind === 'query')).confirm()
    await again
    expect(s.handle.get('a')).toMatchObject({ title: 'theirs', done: true })
    expect(states.every((t) => t?.done === true)).toBe(true)
    s.backend.take().reject('CONFLICT')
    await pending
    expect(s.handle.get('a')).toMatchObject({ title: 'theirs', done: false })
  })

  it('a write the data refuses resolves rejected at once, commits nothing and sends nothing', async () => {
    const s = setup()
    const refusals = [
      [
        s.handle.write.update('ghost', (d) => {
          d.title = 'x'
        }),
        'NOT_FOUND',
        /collection 'tasks': cannot update 'ghost', it does not exist/,
      ],
      [s.handle.write.delete('ghost'), 'NOT_FOUND', /does not exist/],
      [
        s.handle.write.patches([{ op: 'add', path: ['x', '__proto__', 'p'], value: 1 }]),
        'UNSAFE_PATCH',
        /__proto__/,
      ],
      [s.handle.write.create({ title: 'no id' } as Task), 'VALIDATION', /no valid id/],
      [
        s.handle.write.create(JSON.parse('{"id":"p","title":"t","done":false,"__proto__":{}}')),
        'VALIDATION',
        /__proto__/,
      ],
      [
        s.handle.write.create({
          id: 'n',
          title: 't',
          done: false,
          note: Number.POSITIVE_INFINITY,
        } as unknown as Task),
        'VALIDATION',
        /Infinity/,
      ],
      [s.handle.write.patch('ghost', { title: 'x' }), 'NOT_FOUND', /ghost/],
    ] as const
    for (const [write, code, message] of refusals) {
      expect(write.txnId).toBeUndefined()
      const result = await write
      expect(result).toMatchObject({ status: 'rejected', items: [], error: { code, store: 'tasks' } })
      expect(result.error?.message).toMatch(message)
      await expect(write.unwrap()).rejects.toMatchObject({ code })
    }
    await flush()
    expect(s.backend.calls).toEqual([])
    expect(s.runtime.history(tasks)).toEqual([])
  })

  it('a recipe that throws is RECIPE_FAILED naming the store and id, whatever it threw', async () => {
    const s = setup()
    await seed(s, [{ id: 'a', title: 'a', done: false }])
    const before = s.handle.get('a')
    for (const thrown of [new Error('boom'), 'a string', { weird: true }]) {
      const result = await s.handle.write.update('a', (d) => {
        d.title = 'x'
        throw thrown
      })
      expect(result.error).toBeInstanceOf(AtomaError)
      expect(result.error).toMatchObject({ code: 'RECIPE_FAILED', store: 'tasks', id: 'a' })
      expect(result.error?.message).toMatch(/collection 'tasks': the update recipe of 'a' threw/)
    }
    expect(s.handle.get('a')).toBe(before)
  })

  it('misuse no data can cause throws at once: arguments of the wrong type', () => {
    const s = setup()
    expect(() => s.handle.write.update('a', 'not a function' as never)).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
    expect(() => s.handle.write.patches('nope' as never)).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
    expect(() => s.handle.write.patch('a', null as never)).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
  })
})
