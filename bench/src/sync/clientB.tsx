import { RuntimeProvider, useEntity } from '@atoma/react'
import type { Runtime } from '@atoma/runtime'
import { useLayoutEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { live } from './stores.js'

type Committed = (label: string | undefined) => void

/** Entity `e0`'s label; every commit of a new label is reported, once it is in the DOM. */
function Label({ onCommit }: { onCommit: Committed }) {
  const label = useEntity(live, 'e0')?.label
  useLayoutEffect(() => onCommit(label), [label, onCommit])
  return <span id="label">{label}</span>
}

/**
 * Client B of the latency case: a React 19 root (production build) that renders `e0` from the
 * runtime and tells when a given label was committed, timed in the layout effect of that commit.
 */
export const ClientB = {
  async mount(runtime: Runtime, container: Element) {
    let expected: { label: string; resolve(at: number): void } | undefined
    let shown!: () => void
    const first = new Promise<void>((resolve) => (shown = resolve))
    const onCommit: Committed = (label) => {
      if (label === undefined) return
      shown()
      if (label !== expected?.label) return
      const at = performance.now()
      if (container.textContent !== label)
        throw new Error(`the DOM shows ${container.textContent}, not ${label}`)
      const { resolve } = expected
      expected = undefined
      resolve(at)
    }
    const root = createRoot(container)
    root.render(
      <RuntimeProvider runtime={runtime}>
        <Label onCommit={onCommit} />
      </RuntimeProvider>,
    )
    // B shows the entity (its first pull brought it) before anything is timed.
    await first
    return {
      /** Resolves with the time B commits `label`. */
      shows: (label: string) => new Promise<number>((resolve) => (expected = { label, resolve })),
      unmount: () => root.unmount(),
    }
  },
}
