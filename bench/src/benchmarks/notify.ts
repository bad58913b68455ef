import { type Benchmark, inRounds, type Scale, timedSample } from '../harness.js'
import { withProbes } from '../isolate.js'
import { collectionContenders } from '../peers/index.js'

/**
 * No React: one store of `size` entities with one subscriber per entity, each watching its own
 * entity the way its library does (see `peers/<lib>/collection.ts`); then single-entity updates
 * on ids from the same pseudo-random sequence for everyone. µs per update, notification included.
 * Libraries whose update costs milliseconds get fewer updates per run (the `runs` column). Each
 * run is a process of its own (probes/notify.ts).
 */
export const notify: Benchmark = {
  name: 'notify',
  description: 'one store, a subscriber per entity, single-entity updates (µs per update)',
  async run(scale: Scale) {
    const size = scale === 'full' ? 10_000 : 100
    const [maxOps, budgetMs, runs] = scale === 'full' ? [50_000, 1_000, 5] : [50, 20, 1]
    const timings = await withProbes((probe) =>
      inRounds(collectionContenders, runs, (c) =>
        probe('notify', { contender: c.name, size, maxOps, budgetMs }),
      ),
    )
    const label = `${size.toLocaleString('en')} subscribers`
    return collectionContenders.map((c, i) => timedSample(c, label, 'µs/update', timings[i]!))
  },
}
