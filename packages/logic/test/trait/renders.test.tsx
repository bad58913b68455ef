// @vitest-environment jsdom
import { computed } from '@atoma/logic'
import { RuntimeProvider, useActions, useStore } from '@atoma/react'
import { createRuntime, defineStore } from '@atoma/runtime'
import { act, cleanup, render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, expect, it } from 'vitest'

afterEach(() => {
  cleanup()
})

interface Project {
  tasks: { id: number; done: boolean }[]
  progress: number
}

const project = defineStore<Project>()('project', {
  initial: {
    tasks: [
      { id: 1, done: false },
      { id: 2, done: false },
    ],
    progress: 0,
  },
  actions: {
    toggle: (d, id: number) => {
      const task = d.tasks.find((t) => t.id === id)
      if (task) task.done = !task.done
    },
  },
  traits: {
    progress: computed(['tasks'], (s: Project) => s.tasks.filter((t) => t.done).length / s.tasks.length),
  },
})

it('a computed field changes in the commit of its deps: one commit, one render for a component reading both', () => {
  const runtime = createRuntime({ stores: [project] })
  let renders = 0
  const consistent: boolean[] = []
  let toggle: (id: number) => void = () => {}
  function Progress() {
    renders++
    toggle = useActions(project).toggle
    const done = useStore(project, (s) => s.tasks.filter((t) => t.done).length)
    const progress = useStore(project, (s) => s.progress)
    consistent.push(progress === done / 2)
    return <p>{`${done} done, ${progress * 100}%`}</p>
  }
  render(
    <StrictMode>
      <RuntimeProvider runtime={runtime}>
        <Progress />
      </RuntimeProvider>
    </StrictMode>,
  )
  const before = renders
  act(() => toggle(1))
  expect(screen.getByText('1 done, 50%')).toBeTruthy()
  expect(runtime.history(project)).toHaveLength(1)
  // StrictMode renders twice per render: one update, one (double) render, never a second one.
  expect(renders - before).toBe(2)
  act(() => toggle(2))
  expect(screen.getByText('2 done, 100%')).toBeTruthy()
  expect(runtime.history(project)).toHaveLength(2)
  expect(renders - before).toBe(4)
  // No render ever saw the tasks changed and the progress not yet.
  expect(consistent.every(Boolean)).toBe(true)
})
