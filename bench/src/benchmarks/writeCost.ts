import { type Benchmark, inRounds, type Sample, type Scale, timedSample } from '../harness.js'
import { withProbes } from '../isolate.js'
import { collectionContenders } from '../peers/index.js'

/**
 * docs/architecture.md §2: a single-entity write must cost about the same in a collection of 100 as of
 * 100,000. Each contender writes one pseudo-random entity at a time (no subscribers), the way its
 * docs update a normalized collection (see `peers/<lib>/collection.ts`); µs per write, and the
 * ratio of the largest collection to the smallest per contender. Each run is a process of its
 * own (probes/writeCost.ts).
 */
export const writeCost: Benchmark = {
  name: 'write-cost',
  description: 'one entity written into collections of growing size (µs per write)',
  async run(scale: Scale) {
    const sizes = scale === 'full' ? [100, 10_000, 100_000] : [10, 100]
    const [maxOps, budgetMs, runs] = scale === 'full' ? [50_000, 1_000, 5] : [50, 10, 1]
    return withProbes(async (probe) => {
      const samples: Sample[] = []
      for (const size of sizes) {
        const timings = await inRounds(collectionContenders, runs, (c) =>
          probe('write-cost', { contender: c.name, size, maxOps, budgetMs }),
        )
        const label = `${size.toLocaleString('en')} entities`
        samples.push(...collectionContenders.map((c, i) => timedSample(c, label, 'µs/write', timings[i]!)))
      }
      return samples
    })
  },
  note(rows) {
    const [first, last] = [rows[0]!.label, rows.at(-1)!.label]
    const median = (contender: string, label: string) =>
      rows.find((r) => r.contender === contender && r.label === label)!.median
    const ratios = [...new Set(rows.map((r) => r.contender))].map(
      (contender) => `${contender} ${(median(contender, last) / median(contender, first)).toFixed(2)}×`,
    )
    return `Median per write, ${last} / ${first}: ${ratios.join('; ')} (Atoma's target ≤ 2×).`
  },
}
