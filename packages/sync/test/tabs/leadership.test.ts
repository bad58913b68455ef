import { describe, expect, it } from 'vitest'
import { elect } from '../../src/tabs/leadership.js'

const until = async (check: () => boolean, ms = 3000) => {
  for (let t = 0; t < ms && !check(); t += 10) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('leadership over a BroadcastChannel (where Web Locks are missing)', () => {
  it('elects exactly one of three tabs, and another when the leader goes', async () => {
    const name = `election-${Math.random()}`
    const tabs = [0, 1, 2].map(() => elect({ name, locks: null, heartbeatMs: 40 }))
    await until(() => tabs.filter((t) => t.leader).length === 1)
    // Stable: still one leader a few heartbeats later.
    await new Promise((r) => setTimeout(r, 300))
    expect(tabs.filter((t) => t.leader)).toHaveLength(1)
    const leader = tabs.find((t) => t.leader)!
    leader.dispose()
    const rest = tabs.filter((t) => t !== leader)
    await until(() => rest.filter((t) => t.leader).length === 1)
    for (const tab of rest) tab.dispose()
  })
})

describe('leadership with a lock manager', () => {
  it('the tab holding the lock leads; the next one leads when it lets go', async () => {
    // A lock manager with the Web Locks semantics (exclusive, queued), as browsers provide it.
    const queue: Array<() => void> = []
    let held = false
    const locks = {
      request(_name: string, options: { signal: AbortSignal }, callback: () => Promise<void>) {
        return new Promise<void>((resolve, reject) => {
          const grant = () => {
            held = true
            callback().then(() => {
              held = false
              queue.shift()?.()
              resolve()
            })
          }
          options.signal.addEventListener('abort', () => {
            const index = queue.indexOf(grant)
            if (index >= 0) queue.splice(index, 1)
            reject(new DOMException('aborted', 'AbortError'))
          })
          if (held) queue.push(grant)
          else grant()
        })
      },
    }
    const first = elect({ name: 'x', locks })
    const second = elect({ name: 'x', locks })
    await until(() => first.leader)
    expect(second.leader).toBe(false)
    first.dispose()
    await until(() => second.leader)
    second.dispose()
  })
})
