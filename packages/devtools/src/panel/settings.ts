import type { DebugEventKind } from '@atoma/runtime'
import { EVENT_KINDS } from '../model/describeEvent.js'
import type { DevtoolsPosition } from './position.js'
import { type DevtoolsTab, TABS } from './tabs.js'

/** What the panel remembers between page loads (in `localStorage`, under the panel's storage key). */
export interface PanelSettings {
  open: boolean
  position: DevtoolsPosition
  /** Height (bottom) or width (sides) per edge, in CSS px. */
  sizes: Partial<Record<DevtoolsPosition, number>>
  tab: DevtoolsTab
  timeline: { kinds: DebugEventKind[]; store: string | null; text: string }
  ops: { status: 'all' | 'error' }
  transactions: { store: string | null }
}

export const DEFAULT_STORAGE_KEY = 'atoma-devtools'

const POSITIONS: readonly DevtoolsPosition[] = ['bottom', 'right', 'left']

/** Reads the stored settings, keeping only what is well-formed: the storage is the user's, not ours. */
export function loadSettings(key: string | null): Partial<PanelSettings> {
  if (key === null || typeof localStorage === 'undefined') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(localStorage.getItem(key) ?? 'null')
  } catch {
    return {}
  }
  if (typeof parsed !== 'object' || parsed === null) return {}
  const raw = parsed as Record<string, unknown>
  const out: Partial<PanelSettings> = {}
  if (typeof raw.open === 'boolean') out.open = raw.open
  if (POSITIONS.includes(raw.position as DevtoolsPosition)) out.position = raw.position as DevtoolsPosition
  if (typeof raw.tab === 'string' && TABS.some((tab) => tab.id === raw.tab)) out.tab = raw.tab as DevtoolsTab
  if (typeof raw.sizes === 'object' && raw.sizes !== null) {
    const sizes: PanelSettings['sizes'] = {}
    for (const position of POSITIONS) {
      const size = (raw.sizes as Record<string, unknown>)[position]
      if (typeof size === 'number' && Number.isFinite(size) && size > 0) sizes[position] = Math.round(size)
    }
    out.sizes = sizes
  }
  const timeline = raw.timeline as Record<string, unknown> | null | undefined
  if (typeof timeline === 'object' && timeline !== null)
    out.timeline = {
      kinds: Array.isArray(timeline.kinds)
        ? timeline.kinds.filter((kind): kind is DebugEventKind =>
            EVENT_KINDS.includes(kind as DebugEventKind),
          )
        : [],
      store: typeof timeline.store === 'string' ? timeline.store : null,
      text: typeof timeline.text === 'string' ? timeline.text.slice(0, 200) : '',
    }
  const ops = raw.ops as Record<string, unknown> | null | undefined
  if (typeof ops === 'object' && ops !== null && (ops.status === 'all' || ops.status === 'error'))
    out.ops = { status: ops.status }
  const transactions = raw.transactions as Record<string, unknown> | null | undefined
  if (typeof transactions === 'object' && transactions !== null)
    out.transactions = { store: typeof transactions.store === 'string' ? transactions.store : null }
  return out
}

/** Stores the settings; a full or forbidden storage only means they are not remembered. */
export function saveSettings(key: string | null, settings: PanelSettings): void {
  if (key === null || typeof localStorage === 'undefined') return
  try {
    localStorage.setItem(key, JSON.stringify(settings))
  } catch {
    // Quota exceeded or storage disabled: the panel works the same, it just forgets.
  }
}
