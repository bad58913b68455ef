import { entityId, makeEntities } from '../data.js'
import { lcg } from '../harness.js'
import { contenderNamed } from '../peers/index.js'

export interface MemoryArgs {
  contender: string
  size: number
  transactions: number
}

/** MB in use once the collection is built, and after the transactions. */
export interface Heap {
  built: number
  after: number
}

/** One run of `memory` (benchmarks/memory.ts) for one contender, alone in this process. */
export function memoryProbe({ contender, size, transactions }: MemoryArgs): Heap {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('memory: run with --expose-gc')
  const heapMB = () => {
    // Two collections: the first can leave finalizable objects for the second to free.
    gc()
    gc()
    return process.memoryUsage().heapUsed / 2 ** 20
  }
  const store = contenderNamed(contender).create(makeEntities(size))
  const built = heapMB()
  const next = lcg()
  for (let i = 0; i < transactions; i++) store.bump(entityId(next(size)))
  const after = heapMB()
  // Using `store` after the measurement keeps it alive through it.
  store.watch(entityId(0), () => {})
  return { built, after }
}
