import { entityId, makeEntities } from '../data.js'
import { type Benchmark, lcg, opsPerRun, type Sample, type Scale, timeOps } from '../harness.js'
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
    const samples: Sample[] = []
    for (const contender of collectionContenders) {
      const store = contender.create(makeEntities(size))
      let notified = 0
      for (let i = 0; i < size; i++) store.watch(entityId(i), () => notified++)
      const next = lcg()
      let updates = 0
      const update = () => {
        store.bump(entityId(next(size)))
        updates++
      }
      const count = opsPerRun(update, maxUpdates, budgetMs)
      const values = timeOps(update, count, runs)
      // Every update changes its entity, so each must reach exactly one subscriber: a contender
      // that notified less would be measured doing less work.
      if (notified !== updates)
        throw new Error(`${contender.name}: ${notified} notifications for ${updates} updates`)
      samples.push({
        contender: contender.name,
        label: `${size.toLocaleString('en')} subscribers`,
        unit: 'µs/update',
        values,
        opsPerRun: count,
        ...(contender.baseline ? { baseline: true } : {}),
      })
    }
    return samples
  },
}
