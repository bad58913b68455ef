import { useEffect, useState } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { PanelApp } from './panel/PanelApp.js'
import type { DevtoolsPosition } from './panel/position.js'
import { DEFAULT_STORAGE_KEY } from './panel/settings.js'
import type { DevtoolsTab } from './panel/tabs.js'
import type { DevtoolsRecording } from './recording/types.js'

/** The props of `DevtoolsPanel`; all optional. */
export interface DevtoolsPanelProps {
  /** Open the panel at once (default: closed, only the toggle button shows). */
  initialOpen?: boolean
  /** The window edge the panel docks to first (default `'bottom'`; the header's dock buttons change it). */
  position?: DevtoolsPosition
  /** Nonce for the panel's `<style>` element when the page has a Content-Security-Policy. */
  nonce?: string
  /** The view shown first (default `'timeline'`). */
  initialTab?: DevtoolsTab
  /** Initial height (bottom) or width (sides) of the docked panel, in CSS pixels. */
  initialSize?: number
  /** Show this recording, read-only, instead of the live hub (e.g. one attached to a bug report). */
  recording?: DevtoolsRecording
  /** Where the panel's host element goes (default `document.body`). */
  container?: HTMLElement
  /**
   * The localStorage key the panel remembers its settings under (open, size, dock side, view,
   * filters), which then win over the `initial*` props; `null` remembers nothing. Default `atoma-devtools`.
   */
  storageKey?: string | null
  /** Pad the page's root on the docked edge so that the panel covers none of it (default true). */
  reserveSpace?: boolean
}

/** The attribute on the panel's host element; it also marks a bundle that contains the real panel. */
const HOST_ATTRIBUTE = 'data-atoma-devtools'

/**
 * The Atoma devtools panel (docs/architecture.md §10). It renders nothing where it is placed: it appends its own
 * host element and renders, as a separate React root, inside that element's shadow root with its
 * own stylesheet, so the page's styles and the panel's cannot affect each other, and the app's
 * renders never re-render the panel. It reads only the page's DevtoolsHub; while closed it does
 * not even subscribe to it.
 */
export function DevtoolsPanel({
  initialOpen,
  position,
  nonce,
  initialTab,
  initialSize,
  recording,
  container,
  storageKey = DEFAULT_STORAGE_KEY,
  reserveSpace = true,
}: DevtoolsPanelProps): null {
  const [root, setRoot] = useState<Root | null>(null)

  useEffect(() => {
    const host = document.createElement('atoma-devtools')
    host.setAttribute(HOST_ATTRIBUTE, '')
    const shadow = host.attachShadow({ mode: 'open' })
    ;(container ?? document.body).append(host)
    const panelRoot = createRoot(shadow)
    setRoot(panelRoot)
    return () => {
      host.remove()
      // This cleanup runs while React commits, when a root cannot be unmounted synchronously.
      queueMicrotask(() => panelRoot.unmount())
    }
  }, [container])

  useEffect(() => {
    root?.render(
      <PanelApp
        initialOpen={initialOpen}
        position={position}
        nonce={nonce}
        initialTab={initialTab}
        initialSize={initialSize}
        recording={recording}
        storageKey={storageKey}
        reserveSpace={reserveSpace}
      />,
    )
  }, [root, initialOpen, position, nonce, initialTab, initialSize, recording, storageKey, reserveSpace])

  return null
}
