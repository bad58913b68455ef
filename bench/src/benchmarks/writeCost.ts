import { createRuntime, defineCollection, type Instrumentation, memoryBackend } from '@atoma/runtime'
import type { Benchmark, Sample, Scale } from '../harness.js'
import { timeRuns } from '../harness.js'

interface Row {
  id: number
  label: string
  count: number
}

/**
 * DESIGN §2: a single-entity write must cost about the same in a collection of 100 as of
 * 100,000. Each run makes `writes` transactions, each changing one random entity; reported in
 * µs per write, plus the ratio of the largest size to the smallest.
 */
export const writeCost: Benchmark = {
  name: 'write-cost',
  description: 'one entity written into collections of growing size (µs per write)',
  async run(scale: Scale) {
    const sizes = scale === 'full' ? [100, 10_000, 100_000] : [10, 100]
    const writes = scale === 'full' ? 5_000 : 50
    const runs = scale === 'full' ? 7 : 2
    const samples: Sample[] = []
    for (const instrumentation of ['light', 'full'] as Instrumentation[]) {
      for (const size of sizes) samples.push(measure(size, writes, runs, instrumentation))
    }
    return samples
  },
}

function measure(size: number, writes: number, runs: number, instrumentation: Instrumentation): Sample {
  const rows = defineCollection<Row>('rows', { key: 'id' })
  const runtime = createRuntime({
    stores: [rows],
    plugins: [memoryBackend()],
    instrumentation,
    historySize: 100,
  })
  runtime.transact(
    rows,
    (draft) => {
      for (let i = 0; i < size; i++) draft.set(i, { id: i, label: `row ${i}`, count: 0 })
    },
    { kind: 'hydrate' },
  )
  let seed = 1
  const next = () => {
    seed = (seed * 16807) % 2147483647
    return seed % size
  }
  const values = timeRuns(() => {
    for (let i = 0; i < writes; i++) {
      const id = next()
      runtime.transact(
        rows,
        (draft) => {
          draft.get(id)!.count++
        },
        { kind: 'action' },
      )
    }
  }, runs)
  return {
    contender: `atoma (${instrumentation})`,
    label: `${size.toLocaleString('en')} entities`,
    unit: 'µs/write',
    values: values.map((ms) => (ms * 1000) / writes),
  }
}
