import { enableMapSet, enablePatches, Immer, type Objectish } from 'immer'
import { applyPatches, type Patch } from '../patch/patch.js'

// The runtime's stores are immer states (Map and Set included); persist replays patches on them
// with an instance of its own, so its settings never leak into the app's use of immer.
enablePatches()
enableMapSet()
const immer = new Immer({ autoFreeze: true })

/**
 * `patches` applied to `state` with the journal's own rules — the ones a journal applies them
 * with when it is read again — rather than immer's laxer ones (immer inserts past an array's
 * end, the journal refuses), and the patches immer derives for the change. Pure: a patch that
 * does not apply throws and nothing changed; so persist checks here that what it is about to
 * commit to a store, and later to the journal, will apply there too.
 */
export function replay(state: unknown, patches: readonly Patch[]): [unknown, Patch[], Patch[]] {
  // Values are copied in, as immer does: a later patch may change what an earlier one put, and
  // the values belong to someone else (the store's frozen state, an event another one reads).
  const own = patches.map((p) => (Object.hasOwn(p, 'value') ? { ...p, value: copy(p.value) } : p))
  // A whole new state makes everything before it moot; what follows applies to a draft of it.
  const last = own.findLastIndex((p) => p.path.length === 0)
  const recipe = (draft: unknown) => {
    if (last < 0) {
      applyPatches(draft, own)
      return undefined
    }
    return immer.produce(own[last]!.value as Objectish, (root: unknown) => {
      applyPatches(root, own.slice(last + 1))
    })
  }
  const [next, forward, inverse] = immer.produceWithPatches(state as Objectish, recipe as never)
  return [next, forward as Patch[], inverse as Patch[]]
}

function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(copy)
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, copy(v)]))
  if (value instanceof Set) return new Set([...value].map(copy))
  if (value instanceof Date) return new Date(value.getTime())
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key])
  return out
}
