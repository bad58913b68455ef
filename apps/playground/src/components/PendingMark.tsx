import { usePending } from '@atoma/react'
import type { CollectionDef } from '@atoma/runtime'

/** “saving” next to an entity while a write to it waits for the backend (the runtime's pending state). */
export function PendingMark<T>({ collection, id }: { collection: CollectionDef<T>; id: string }) {
  return usePending(collection, id) ? (
    <span className="pending" data-pending-mark="">
      saving
    </span>
  ) : null
}
