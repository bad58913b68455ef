/**
 * The benchmark harness: every benchmark measures the same work for each contender, repeats it,
 * and reports the median with min–max, plus ratios to the best and to the baseline. Nothing here
 * asserts a time: benchmarks inform, tests decide.
 */
export type Scale = 'tiny' | 'full'

export interface Sample {
  /** Who did the work: 'atoma (light)', 'zustand', 'baseline'... */
  contender: string
  /** What was measured, when one benchmark has several cases (a size, an operation). */
  label: string
  unit: string
  /** One value per run. */
  values: number[]
}

export interface Benchmark {
  name: string
  description: string
  run(scale: Scale): Promise<Sample[]>
}

export interface Row {
  label: string
  contender: string
  unit: string
  median: number
  min: number
  max: number
  runs: number
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function summarize(samples: readonly Sample[]): Row[] {
  return samples.map((s) => ({
    label: s.label,
    contender: s.contender,
    unit: s.unit,
    median: median(s.values),
    min: Math.min(...s.values),
    max: Math.max(...s.values),
    runs: s.values.length,
  }))
}

/** Times `work` `runs` times after `warmup` untimed rounds; returns ms per call of `work`. */
export function timeRuns(work: () => void, runs: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) work()
  const values: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    work()
    values.push(performance.now() - t0)
  }
  return values
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3))

/** A markdown table; a `ratio` column per label against the best contender of that label. */
export function toMarkdown(title: string, rows: readonly Row[], note?: string): string {
  const lines = [`### ${title}`, '']
  if (note) lines.push(note, '')
  lines.push('| case | contender | median | min–max | runs | × best |', '|---|---|---:|---:|---:|---:|')
  for (const row of rows) {
    const best = Math.min(...rows.filter((r) => r.label === row.label).map((r) => r.median))
    const ratio = best > 0 ? row.median / best : 1
    lines.push(
      `| ${row.label} | ${row.contender} | ${fmt(row.median)} ${row.unit} | ${fmt(row.min)}–${fmt(row.max)} | ${row.runs} | ${ratio.toFixed(2)} |`,
    )
  }
  return lines.join('\n')
}
