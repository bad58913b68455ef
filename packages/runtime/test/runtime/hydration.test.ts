import { AtomaError, createRuntime, defineCollection, defineStore, memoryBackend } from '@atoma/runtime'
import { describe, expect, it, vi } from 'vitest'

const ui = defineStore('ui', { initial: { filter: 'all' } })
const todos = defineCollection<{ id: number; title: string }>('todos', { key: 'id' })

describe('dehydrate / hydrate', () => {
  it('moves every store through JSON into another runtime, one hydrate commit each, with versions', async () => {
    const server = createRuntime({ stores: [ui, todos], plugins: [memoryBackend()] })
    server.transact(ui, (d) => void Object.assign(d, { filter: 'open' }), { kind: 'action' })
    await server.store(todos).write.create({ id: 1, title: 'one' })
    await server.store(todos).write.create({ id: 2, title: 'two' })
    const wire = JSON.parse(JSON.stringify(server.dehydrate()))

    const client = createRuntime({ stores: [ui, todos], plugins: [memoryBackend()] })
    const listener = vi.fn()
    client.store(todos).subscribe(listener)
    client.hydrate(wire)
    expect(client.store(ui).getState()).toEqual({ filter: 'open' })
    expect([...client.store(todos).getState().keys()]).toEqual([1, 2])
    expect(client.store(todos).get(2)).toEqual({ id: 2, title: 'two' })
    expect(listener).toHaveBeenCalledTimes(1)
    expect(client.history(todos).at(-1)?.origin.kind).toBe('hydrate')
    expect(client.dehydrate()).toEqual(wire)
  })

  it('refuses data that is not a dehydrated state, or names unknown stores, changing nothing', () => {
    const runtime = createRuntime({ stores: [ui] })
    expect(() => runtime.hydrate({} as never)).toThrowError(AtomaError)
    expect(() => runtime.hydrate({ atoma: 1, stores: { ghost: { state: 1 } } })).toThrowError(/'ghost'/)
    expect(runtime.history(ui)).toEqual([])
  })
})
