import { atomaCollection } from './atoma/collection.js'
import { baselineCollection } from './baseline/collection.js'
import { jotaiAtomPerEntity } from './jotai/atomPerEntity.js'
import { jotaiCollection } from './jotai/collection.js'
import { reduxCollection } from './redux/collection.js'
import type { StoreContender } from './types.js'
import { valtioCollection } from './valtio/collection.js'
import { zustandCollection } from './zustand/collection.js'

/** Every library's collection store, in table order; the baseline last. */
export const collectionContenders: readonly StoreContender[] = [
  atomaCollection('light'),
  atomaCollection('full'),
  zustandCollection,
  reduxCollection,
  jotaiCollection,
  jotaiAtomPerEntity,
  valtioCollection,
  baselineCollection,
]

export function contenderNamed(name: string): StoreContender {
  const contender = collectionContenders.find((c) => c.name === name)
  if (!contender) throw new Error(`no collection contender named ${name}`)
  return contender
}
