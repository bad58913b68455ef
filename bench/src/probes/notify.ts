import { entityId, makeEntities } from '../data.js'
import { lcg, type TimedArgs, type Timing, timeOps } from '../harness.js'
import { contenderNamed } from '../peers/index.js'

/** One run of `notify` (benchmarks/notify.ts) for one contender, in this process. */
export function notifyProbe({ contender, size, maxOps, budgetMs }: TimedArgs): Timing {
  const store = contenderNamed(contender).create(makeEntities(size))
  const counter = { updates: 0, notified: 0 }
  for (let i = 0; i < size; i++) store.watch(entityId(i), () => counter.notified++)
  const next = lcg()
  const timing = timeOps(
    () => {
      store.bump(entityId(next(size)))
      counter.updates++
    },
    maxOps,
    budgetMs,
  )
  // Every update changes its entity, so each must reach exactly one subscriber: a contender that
  // notified less would be measured doing less work.
  if (counter.notified !== counter.updates)
    throw new Error(`${contender}: ${counter.notified} notifications for ${counter.updates} updates`)
  return timing
}
