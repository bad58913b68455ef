import { entityId, makeEntities } from '../data.js'
import { type Benchmark, lcg, opsPerRun, type Sample, type Scale, timeInTurns } from '../harness.js'
import { collectionContenders } from '../peers/index.js'

/**
 * DESIGN §2: a single-entity write must cost about the same in a collection of 100 as of
 * 100,000. Each contender writes one pseudo-random entity at a time (no subscribers), the way its
 * docs update a normalized collection (see `peers/<lib>/collection.ts`); µs per write, and the
 * ratio of the largest collection to the smallest per contender.
 */
export const writeCost: Benchmark = {
  name: 'write-cost',
  description: 'one entity written into collections of growing size (µs per write)',
  async run(scale: Scale) {
    const sizes = scale === 'full' ? [100, 10_000, 100_000] : [10, 100]
    const maxWrites = scale === 'full' ? 5_000 : 50
    const budgetMs = scale === 'full' ? 1_000 : 10
    const runs = scale === 'full' ? 7 : 2
    const samples: Sample[] = []
    for (const size of sizes) {
      const workloads = collectionContenders.map((contender) => {
        const store = contender.create(makeEntities(size))
        const next = lcg()
        const op = () => store.bump(entityId(next(size)))
        return { contender, op, count: opsPerRun(op, maxWrites, budgetMs) }
      })
      const values = timeInTurns(workloads, runs)
      workloads.forEach(({ contender, count }, i) => {
        samples.push({
          contender: contender.name,
          label: `${size.toLocaleString('en')} entities`,
          unit: 'µs/write',
          values: values[i]!,
          opsPerRun: count,
          baseline: contender.baseline,
        })
      })
    }
    return samples
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
