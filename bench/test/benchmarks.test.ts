import { describe, expect, it } from 'vitest'
import { summarize, toMarkdown } from '../src/harness.js'
import { benchmarks } from '../src/registry.js'

// Benchmarks are not tests and assert no time: this only keeps the harness from rotting by
// running each one once at tiny sizes and checking it produced a well-formed table.
describe.each(benchmarks.map((b) => [b.name, b] as const))('benchmark %s', (_name, bench) => {
  it('runs at tiny scale and reports every contender with numbers', async () => {
    const rows = summarize(await bench.run('tiny'))
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(Number.isFinite(row.median)).toBe(true)
      expect(row.min).toBeLessThanOrEqual(row.max)
      expect(row.runs).toBeGreaterThan(0)
    }
    expect(toMarkdown(bench.name, rows)).toContain(`### ${bench.name}`)
  })
})
