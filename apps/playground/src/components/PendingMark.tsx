import { useStore } from '@atoma/react'
import { activity } from '../data/stores.js'

/** “saving” next to an entity while a write to it waits for the backend. */
export function PendingMark({ id }: { id: string }) {
  const saving = useStore(activity, (state) => (state.saving[id] ?? 0) > 0)
  return saving ? (
    <span className="pending" data-pending-mark="">
      saving
    </span>
  ) : null
}
