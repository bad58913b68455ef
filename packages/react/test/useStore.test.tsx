import { shallow, useActions, useDispatch, useStore } from '@atoma/react'
import { act, render, renderHook, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeRuntime, other, seedLocal, strictWrapper, todo, todos, ui, useCommitCounter } from './helpers.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('useStore', () => {
  it('returns the whole state and follows commits', () => {
    const runtime = makeRuntime()
    const { result } = renderHook(() => useStore(ui), { wrapper: strictWrapper(runtime) })
    expect(result.current).toEqual({ filter: 'all', count: 0 })
    act(() => {
      runtime.store(ui).actions.setFilter('done')
    })
    expect(result.current).toBe(runtime.store(ui).getState())
    expect(result.current.filter).toBe('done')
  })

  it('re-renders a selector only when its slice changes', () => {
    const runtime = makeRuntime()
    const commits = new Map<string, number>()
    function Filter() {
      const filter = useStore(ui, (s) => s.filter)
      useCommitCounter(commits, 'filter')
      return <p>{filter}</p>
    }
    render(<Filter />, { wrapper: strictWrapper(runtime) })
    const mounted = commits.get('filter')
    act(() => {
      runtime.store(ui).actions.increment()
      runtime.store(ui).actions.increment()
    })
    expect(commits.get('filter')).toBe(mounted)
    act(() => {
      runtime.store(ui).actions.setFilter('done')
    })
    expect(commits.get('filter')).toBe((mounted ?? 0) + 1)
    expect(screen.getByText('done')).toBeDefined()
  })

  it('reads a collection whole or through a selector', () => {
    const runtime = makeRuntime()
    seedLocal(runtime, [todo('1'), todo('2', 'two', true)])
    const { result } = renderHook(
      () => ({
        state: useStore(todos),
        doneIds: useStore(todos, (s) => [...s.values()].filter((t) => t.done).map((t) => t.id), shallow),
      }),
      { wrapper: strictWrapper(runtime) },
    )
    expect(result.current.state.size).toBe(2)
    expect(result.current.doneIds).toEqual(['2'])
    const before = result.current.doneIds
    act(() => {
      runtime.store(todos).write.patch('1', { title: 'renamed' })
    })
    expect(result.current.state.get('1')?.title).toBe('renamed')
    expect(result.current.doneIds).toBe(before)
  })

  describe('a selector returning a new object on every call', () => {
    it('does not loop, and does not re-render for commits that leave its store alone', () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const runtime = makeRuntime()
      let renders = 0
      const commits = new Map<string, number>()
      const selectFresh = (s: { filter: string }) => ({ filter: s.filter })
      function View() {
        renders++
        const view = useStore(ui, selectFresh)
        useCommitCounter(commits, 'view')
        return <p>{view.filter}</p>
      }
      render(<View />, { wrapper: strictWrapper(runtime) })
      const mountedRenders = renders
      const mountedCommits = commits.get('view')
      // StrictMode renders twice; a loop would hit React's update limit instead.
      expect(mountedRenders).toBe(2)
      act(() => {
        runtime.store(other).actions.bump()
        runtime.store(other).actions.bump()
        runtime.store(todos).write.upsert(todo('x'))
      })
      expect(renders).toBe(mountedRenders)
      expect(commits.get('view')).toBe(mountedCommits)
      act(() => {
        runtime.store(ui).actions.setFilter('done')
      })
      expect(screen.getByText('done')).toBeDefined()
    })

    it('with shallow as isEqual, does not re-render when the selected fields are equal', () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const runtime = makeRuntime()
      const commits = new Map<string, number>()
      function View() {
        const view = useStore(ui, (s) => ({ filter: s.filter }), shallow)
        useCommitCounter(commits, 'view')
        return <p>{view.filter}</p>
      }
      render(<View />, { wrapper: strictWrapper(runtime) })
      const mounted = commits.get('view')
      act(() => {
        runtime.store(ui).actions.increment()
      })
      expect(commits.get('view')).toBe(mounted)
      expect(warn).not.toHaveBeenCalled()
    })

    it('warns once in development, naming the store and the remedies', () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const runtime = makeRuntime()
      const selectPair = (s: { filter: string; count: number }) => [s.filter, s.count]
      function Pair() {
        const [filter, count] = useStore(ui, selectPair)
        return (
          <p>
            {filter}
            {count}
          </p>
        )
      }
      render(
        <>
          <Pair />
          <Pair />
        </>,
        { wrapper: strictWrapper(runtime) },
      )
      act(() => {
        runtime.store(ui).actions.increment()
      })
      expect(warn).toHaveBeenCalledTimes(1)
      const message = String(warn.mock.calls[0]?.[0])
      expect(message).toContain("useStore('ui')")
      expect(message).toContain('stable value')
      expect(message).toContain('shallow')
    })

    it('does not warn in production', () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      vi.stubEnv('NODE_ENV', 'production')
      try {
        const runtime = makeRuntime()
        renderHook(() => useStore(ui, (s) => ({ count: s.count })), { wrapper: strictWrapper(runtime) })
      } finally {
        vi.unstubAllEnvs()
      }
      expect(warn).not.toHaveBeenCalled()
    })
  })
})

describe('useDispatch and useActions', () => {
  it('return stable references that commit to their store', () => {
    const runtime = makeRuntime()
    const { result, rerender } = renderHook(
      () => ({ dispatch: useDispatch(ui), actions: useActions(ui), count: useStore(ui, (s) => s.count) }),
      { wrapper: strictWrapper(runtime) },
    )
    const first = result.current
    act(() => {
      first.dispatch('increment')
      first.actions.increment()
      first.actions.setFilter('done')
    })
    rerender()
    expect(result.current.count).toBe(2)
    expect(result.current.dispatch).toBe(first.dispatch)
    expect(result.current.actions).toBe(first.actions)
    expect(runtime.store(ui).getState().filter).toBe('done')
  })
})
