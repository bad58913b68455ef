import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { RuntimeProvider, useEntity, useQuery, useStore } from '@atoma/react'
import { act, render, renderHook, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { describe, expect, it } from 'vitest'
import { makeRuntime, seedLocal, sleep, strictWrapper, todo, todos, ui, useCommitCounter } from './helpers.js'

const ids = Array.from({ length: 1000 }, (_, i) => String(i))

describe('useEntity', () => {
  it('follows one entity through create, update and delete', () => {
    const runtime = makeRuntime()
    const { result } = renderHook(() => useEntity(todos, '1'), { wrapper: strictWrapper(runtime) })
    expect(result.current).toBeUndefined()
    act(() => {
      runtime.store(todos).write.create(todo('1', 'one'))
    })
    expect(result.current).toEqual(todo('1', 'one'))
    act(() => {
      runtime.store(todos).write.patch('1', { done: true })
    })
    expect(result.current?.done).toBe(true)
    act(() => {
      runtime.store(todos).write.delete('1')
    })
    expect(result.current).toBeUndefined()
  })

  it('among 1,000 rows, an update re-renders exactly the row of that entity', () => {
    const runtime = makeRuntime()
    seedLocal(
      runtime,
      ids.map((id) => todo(id)),
    )
    const commits = new Map<string, number>()
    function Row({ id }: { id: string }) {
      const item = useEntity(todos, id)
      useCommitCounter(commits, id)
      return <li>{item?.title}</li>
    }
    render(
      <ul>
        {ids.map((id) => (
          <Row key={id} id={id} />
        ))}
      </ul>,
      { wrapper: strictWrapper(runtime) },
    )
    const before = new Map(commits)
    act(() => {
      runtime.store(todos).write.patch('500', { title: 'changed' })
    })
    const rendered = ids.filter((id) => commits.get(id) !== before.get(id))
    expect(rendered).toEqual(['500'])
    expect(commits.get('500')).toBe((before.get('500') ?? 0) + 1)
    expect(screen.getByText('changed')).toBeDefined()
  })

  it('switches its subscription when the id changes', () => {
    const runtime = makeRuntime()
    seedLocal(runtime, [todo('a', 'A'), todo('b', 'B')])
    const { result, rerender } = renderHook(({ id }) => useEntity(todos, id), {
      wrapper: strictWrapper(runtime),
      initialProps: { id: 'a' },
    })
    expect(result.current?.title).toBe('A')
    rerender({ id: 'b' })
    expect(result.current?.title).toBe('B')
    act(() => {
      runtime.store(todos).write.patch('b', { title: 'B2' })
    })
    expect(result.current?.title).toBe('B2')
    // One entity subscription: the old id's listener is gone.
    expect(runtime.listenerCount()).toBe(1)
  })
})

describe('subscriptions are released', () => {
  it('mounting and unmounting 1,000 subscribed components returns listenerCount to 0', () => {
    const runtime = makeRuntime()
    seedLocal(
      runtime,
      ids.map((id) => todo(id)),
    )
    function Row({ id }: { id: string }) {
      const item = useEntity(todos, id)
      const filter = useStore(ui, (s) => s.filter)
      return (
        <li>
          {item?.title} {filter}
        </li>
      )
    }
    function Open() {
      const { data } = useQuery(todos, { where: { done: false }, limit: 3 })
      return <p>{data.length}</p>
    }
    const { unmount } = render(
      <StrictMode>
        <RuntimeProvider runtime={runtime}>
          <Open />
          <ul>
            {ids.map((id) => (
              <Row key={id} id={id} />
            ))}
          </ul>
        </RuntimeProvider>
      </StrictMode>,
    )
    // Two per row (entity + store), and the query's store subscription.
    expect(runtime.listenerCount()).toBe(2001)
    unmount()
    expect(runtime.listenerCount()).toBe(0)
  })
})

describe('memory', () => {
  it('an unmounted component is not kept alive by the runtime it subscribed to', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const runtime = makeRuntime()
    seedLocal(runtime, [todo('1')])
    let held: WeakRef<object> | undefined
    function Subscriber() {
      // Captured by the selector, which the store subscription reaches while it is subscribed.
      const payload = { data: new Array(10_000).fill(1) }
      held ??= new WeakRef(payload)
      useStore(ui, (s) => (payload.data.length > 0 ? s.filter : 'none'))
      useEntity(todos, '1')
      useQuery(todos, { where: { id: '1' } })
      return null
    }
    const root = createRoot(document.createElement('div'))
    act(() => {
      root.render(
        <StrictMode>
          <RuntimeProvider runtime={runtime}>
            <Subscriber />
          </RuntimeProvider>
        </StrictMode>,
      )
    })
    act(() => {
      root.unmount()
    })
    for (let i = 0; i < 5 && held?.deref() !== undefined; i++) {
      await sleep(10)
      gc()
    }
    expect(held).toBeDefined()
    expect(held?.deref()).toBeUndefined()
    expect(runtime.listenerCount()).toBe(0)
  })
})
