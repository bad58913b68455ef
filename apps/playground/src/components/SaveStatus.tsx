import { useStore } from '@atoma/react'
import type { Mode } from '../data/runtimes.js'
import { activity } from '../data/stores.js'

/** How many entities have writes the backend has not answered yet. */
export function SaveStatus({ mode }: { mode: Mode }) {
  const saving = useStore(activity, (state) => Object.keys(state.saving).length)
  const where = mode === 'server' ? 'on the server' : 'in this browser'
  return (
    <span className="save-status" role="status" data-saving={saving > 0}>
      {saving > 0 ? `Saving ${saving} ${saving === 1 ? 'item' : 'items'}…` : `All changes saved ${where}`}
    </span>
  )
}
