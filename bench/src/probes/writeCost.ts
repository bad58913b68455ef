import { entityId, makeEntities } from '../data.js'
import { lcg, type Timing, timeOps } from '../harness.js'
import { contenderNamed } from '../peers/index.js'

export interface WriteCostArgs {
  contender: string
  size: number
  maxWrites: number
  budgetMs: number
}

/** One run of `write-cost` (benchmarks/writeCost.ts) for one contender, in this process. */
export function writeCostProbe({ contender, size, maxWrites, budgetMs }: WriteCostArgs): Timing {
  const store = contenderNamed(contender).create(makeEntities(size))
  const next = lcg()
  return timeOps(() => store.bump(entityId(next(size))), maxWrites, budgetMs)
}
