import { clearDevtoolsEvents, createRuntime, defineCollection } from '@atoma/runtime'
import { sync } from '@atoma/sync'
import { useEffect, useState } from 'react'
import { DevtoolsPanel, type DevtoolsPanelProps } from '../src/DevtoolsPanel.js'

interface Task {
  id: string
  title: string
}
const tasks = defineCollection<Task>('tasks', { key: 'id' })

/**
 * The panel over a real sync orchestrator whose server is out of reach (its fetch fails, no request
 * leaves the page): the writes wait in the outbox, tried and retried, as they do offline.
 */
export function SyncDemo(props: DevtoolsPanelProps) {
  const [ready, setReady] = useState(false)
  useEffect(() => {
    let mounted = true
    const runtime = createRuntime({
      stores: [tasks],
      plugins: [
        sync({
          baseUrl: '/api',
          outbox: 'memory',
          fetch: async () => {
            throw new TypeError('fetch failed: the demo is offline')
          },
          retry: { baseMs: 200, maxMs: 2000 },
          poke: false,
          pullIntervalMs: 0,
        }),
      ],
      policy: 'sync-queue',
      devtools: { label: 'sync demo' },
    })
    void runtime.ready().then(() => {
      const write = runtime.store(tasks).write
      void write.create({ id: 't1', title: 'Call the printer' })
      void write.create({ id: 't2', title: 'Book the venue' })
      void write.update('t1', (draft) => {
        draft.title = 'Call the printer again'
      })
      setTimeout(() => mounted && setReady(true), 300)
    })
    return () => {
      mounted = false
      runtime.dispose()
      clearDevtoolsEvents()
    }
  }, [])
  return ready ? <DevtoolsPanel {...props} /> : null
}
