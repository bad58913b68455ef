import { useActions, useMutation } from '@atoma/react'
import type { CollectionDef, CollectionWriter, WriteHandle } from '@atoma/runtime'
import { activity } from '../data/stores.js'

/**
 * useMutation plus what the UI shows around it: the entity is marked as saving until the server
 * confirms or rejects the write, and a rejection (already rolled back by the runtime) becomes a
 * notice saying what failed and why. Returns `mutate`, which applies the change at once.
 */
export function useTrackedMutation<T, V extends { id: string }>(
  collection: CollectionDef<T>,
  write: (writer: CollectionWriter<T>, vars: V) => WriteHandle<T>,
  describe: (vars: V) => string,
): (vars: V) => void {
  const { began, settled, failed } = useActions(activity)
  return useMutation(collection, write, {
    onMutate: (vars) => {
      began(vars.id)
    },
    onError: (error, vars) => {
      failed({ title: `Could not ${describe(vars)}; the change was undone.`, detail: error.message })
    },
    onSettled: (_result, _error, vars) => {
      settled(vars.id)
    },
  }).mutate
}
