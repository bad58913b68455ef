import { entityId, makeEntities } from '../data.js'
import { type Benchmark, lcg, opsPerRun, type Sample, type Scale, timeInTurns } from '../harness.js'
import { collectionContenders } from '../peers/index.js'

/**
 * No React: one store of `size` entities with one subscriber per entity, each watching its own
 * entity the way its library does (see `peers/<lib>/collection.ts`); then single-entity updates
 * on ids from the same pseudo-random sequence for everyone. µs per update, notification included.
 * Libraries whose update costs milliseconds get fewer updates per run (the `runs` column).
 */
export const notify: Benchmark = {
  name: 'notify',
  description: 'one store, a subscriber per entity, single-entity updates (µs per update)',
  async run(scale: Scale) {
    const size = scale === 'full' ? 10_000 : 100
    const maxUpdates = scale === 'full' ? 10_000 : 50
    const budgetMs = scale === 'full' ? 1_000 : 20
    const runs = scale === 'full' ? 5 : 2
    const subjects = collectionContenders.map((contender) => {
      const store = contender.create(makeEntities(size))
      const counter = { updates: 0, notified: 0 }
      for (let i = 0; i < size; i++) store.watch(entityId(i), () => counter.notified++)
      const next = lcg()
      const op = () => {
        store.bump(entityId(next(size)))
        counter.updates++
      }
      return { contender, counter, op, count: opsPerRun(op, maxUpdates, budgetMs) }
    })
    const values = timeInTurns(subjects, runs)
    return subjects.map(({ contender, counter, count }, i): Sample => {
      // Every update changes its entity, so each must reach exactly one subscriber: a contender
      // that notified less would be measured doing less work.
      if (counter.notified !== counter.updates)
        throw new Error(`${contender.name}: ${counter.notified} notifications for ${counter.updates} updates`)
      return {
        contender: contender.name,
        label: `${size.toLocaleString('en')} subscribers`,
        unit: 'µs/update',
        values: values[i]!,
        opsPerRun: count,
        baseline: contender.baseline,
      }
    })
  },
}
