import { entityId, makeEntities } from '../data.js'
import { lcg, type TimedArgs, type Timing, timeOps } from '../harness.js'
import { contenderNamed } from '../peers/index.js'

/** One run of `write-cost` (benchmarks/writeCost.ts) for one contender, in this process. */
export function writeCostProbe({ contender, size, maxOps, budgetMs }: TimedArgs): Timing {
  const store = contenderNamed(contender).create(makeEntities(size))
  const next = lcg()
  return timeOps(() => store.bump(entityId(next(size))), maxOps, budgetMs)
}
