import { computed, defineLogic, link } from '@atoma/logic'
import { clearDevtoolsEvents, createRuntime, defineStore } from '@atoma/runtime'
import { useEffect, useState } from 'react'
import { DevtoolsPanel, type DevtoolsPanelProps } from '../src/DevtoolsPanel.js'

interface Board {
  draft: string
  saved: string
  tasks: { id: string; done: boolean }[]
  progress: number
  printed: number
}

const board = defineStore('board', {
  initial: {
    draft: '',
    saved: '',
    tasks: [
      { id: 'a', done: true },
      { id: 'b', done: false },
    ],
    progress: 0,
    printed: 0,
  } as Board,
  actions: {
    edit: (draft, text: string) => {
      draft.draft = text
    },
    saved: (draft, text: string) => {
      draft.saved = text
    },
    toggle: (draft, id: string) => {
      const task = draft.tasks.find((t) => t.id === id)
      if (task) task.done = !task.done
    },
    print: (draft) => {
      draft.printed += 1
    },
  },
  traits: {
    progress: computed(['tasks'], (s: Board) => s.tasks.filter((t) => t.done).length / s.tasks.length),
  },
})

const header = defineStore('header', {
  initial: { progress: 0 },
  traits: { progress: link(board, (s) => s.progress) },
})

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })

// An autosave under `latest` (each edit aborts the save still waiting), a printer under `exhaust`
// that fails on its second page, and a watcher on the progress.
const autosave = defineLogic('autosave', ($) => {
  $.onAction(
    board,
    'edit',
    async ({ payload, signal, dispatch }) => {
      await wait(120, signal)
      dispatch(board, 'saved', payload)
    },
    { mode: 'latest', name: 'save draft' },
  )
  $.onState(
    board,
    (s) => s.progress,
    () => {},
    { mode: 'sequence', name: 'progress changed' },
  )
  $.lifecycle.onInit(() => {})
})
const printer = defineLogic(
  'printer',
  ($) => {
    let pages = 0
    $.onAction(
      board,
      'print',
      async ({ signal }) => {
        pages += 1
        await wait(40, signal)
        if (pages === 2) throw new Error('paper jam on page 2')
      },
      { mode: 'exhaust' },
    )
  },
  // The failure shows in the panel; the story keeps the console clean.
  { onError: () => {} },
)

/** The panel over a real runtime running real logic: runs finished, aborted, dropped and failed. */
export function LogicDemo(props: DevtoolsPanelProps) {
  const [ready, setReady] = useState(false)
  useEffect(() => {
    let mounted = true
    const runtime = createRuntime({
      stores: [board, header],
      logic: [autosave, printer],
      devtools: { label: 'logic demo' },
    })
    const timers: ReturnType<typeof setTimeout>[] = []
    const later = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms))
    void runtime.ready().then(() => {
      const { edit, toggle, print } = runtime.store(board).actions
      edit('Call')
      edit('Call the printer')
      print()
      print()
      later(20, () => toggle('b'))
      later(80, print)
      later(200, () => mounted && setReady(true))
    })
    return () => {
      mounted = false
      for (const timer of timers) clearTimeout(timer)
      runtime.dispose()
      clearDevtoolsEvents()
    }
  }, [])
  return ready ? <DevtoolsPanel {...props} /> : null
}
