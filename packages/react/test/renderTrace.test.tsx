import { useEntity, useQuery, useStore } from '@atoma/react'
import { clearDevtoolsEvents, getDevtoolsSnapshot, memoryBackend, type Runtime } from '@atoma/runtime'
import { act, render } from '@testing-library/react'
import { useState } from 'react'
import { beforeEach, describe, expect, it } from 'vitest'
import { makeRuntime, seedLocal, strictWrapper, todo, todos, ui } from './helpers.js'

const renderEvents = (label?: string) =>
  getDevtoolsSnapshot().events.filter(
    (event) => event.kind === 'react-render' && (label === undefined || event.runtimeLabel === label),
  )

function devtoolsRuntime(): { runtime: Runtime; label: string } {
  const runtime = makeRuntime({ devtools: { label: `trace-${Math.random()}` } })
  return { runtime, label: runtime.label }
}

function useFilter() {
  return useStore(ui, (s) => s.filter)
}

function FilterLabel({ suffix }: { suffix: string }) {
  const filter = useFilter()
  return (
    <p>
      {filter}
      {suffix}
    </p>
  )
}

beforeEach(() => {
  clearDevtoolsEvents()
})

describe('render tracing', () => {
  it('an update emits one react-render event with the commit’s txnId and the component’s name', () => {
    const { runtime, label } = devtoolsRuntime()
    let setSuffix: (suffix: string) => void = () => {}
    function Parent() {
      const [suffix, set] = useState('')
      setSuffix = set
      return <FilterLabel suffix={suffix} />
    }
    render(<Parent />, { wrapper: strictWrapper(runtime) })
    // Mounting (twice, in StrictMode) is not a re-render caused by a commit.
    expect(renderEvents(label)).toEqual([])
    let txnId = 0
    act(() => {
      txnId = runtime.store(ui).actions.setFilter('done').txnId
    })
    expect(renderEvents(label)).toMatchObject([
      { kind: 'react-render', store: 'ui', txnId, name: 'FilterLabel' },
    ])
    // A commit the selector ignores, and a re-render from the parent, trace nothing.
    act(() => {
      runtime.store(ui).actions.increment()
    })
    act(() => {
      setSuffix('!')
    })
    expect(renderEvents(label)).toHaveLength(1)
    runtime.dispose()
  })

  it('traces useEntity and useQuery, named by the `name` option when given', async () => {
    const { runtime, label } = devtoolsRuntime()
    seedLocal(runtime, [todo('1'), todo('2')])
    function Title() {
      return <p>{useEntity(todos, '1')?.title}</p>
    }
    function Open() {
      const { data } = useQuery(todos, { where: { done: false } }, { name: 'OpenTodos', enabled: false })
      return <p>{data.length}</p>
    }
    render(
      <>
        <Title />
        <Open />
      </>,
      { wrapper: strictWrapper(runtime) },
    )
    let txnId = 0
    act(() => {
      txnId = runtime.store(todos).write.patch('1', { done: true }).txnId ?? 0
    })
    expect(
      renderEvents(label)
        .map((event) => `${event.name} ${event.store} ${event.txnId === txnId}`)
        .sort(),
    ).toEqual(['OpenTodos todos true', 'Title todos true'])
    runtime.dispose()
  })

  it('with devtools off, emits nothing', () => {
    const runtime = makeRuntime({ plugins: [memoryBackend()] })
    expect(runtime.debug).toBeNull()
    render(<FilterLabel suffix="" />, { wrapper: strictWrapper(runtime) })
    act(() => {
      runtime.store(ui).actions.setFilter('done')
    })
    expect(renderEvents()).toEqual([])
  })
})
