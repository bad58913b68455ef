/**
 * The benchmark harness: every benchmark measures the same work for each contender, repeats it,
 * and reports the median with min–max, plus ratios to the best library and to the baseline.
 * Nothing here asserts a time: benchmarks inform, tests decide.
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
  /** Operations timed together in each run, when a value is a per-operation average. */
  opsPerRun?: number
  /** The floor the libraries are compared with (a hand-written store, a bare immer call). */
  baseline?: boolean
}

export interface Benchmark {
  name: string
  description: string
  run(scale: Scale): Promise<Sample[]>
  /** A line printed above the table, computed from its rows (a growth ratio, a caveat). */
  note?(rows: readonly Row[]): string | undefined
}

export interface Row {
  label: string
  contender: string
  unit: string
  median: number
  min: number
  max: number
  runs: number
  opsPerRun: number | undefined
  baseline: boolean
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
    opsPerRun: s.opsPerRun,
    baseline: s.baseline === true,
  }))
}

/**
 * Operations per run for `op`: as many as fit in `budgetMs` (estimated from a probe that also
 * warms `op` up), between `min` and `max`. So a library whose one update costs 100 ms is timed
 * over seconds rather than hours, and one costing 10 µs over thousands of updates.
 */
export function opsPerRun(op: () => void, max: number, budgetMs: number, min = 3): number {
  const t0 = performance.now()
  let probed = 0
  while (probed < max && (probed < min || performance.now() - t0 < budgetMs / 10)) {
    op()
    probed++
  }
  const perOp = (performance.now() - t0) / probed
  return Math.max(min, Math.min(max, Math.floor(budgetMs / perOp)))
}

/** What a timed probe gets: whom to time, at what size, and how many operations fit a run. */
export interface TimedArgs {
  contender: string
  size: number
  /** At most this many operations per run (see `opsPerRun`), in about `budgetMs`. */
  maxOps: number
  budgetMs: number
}

/** One timed run: µs per call of `op`, over `count` calls. */
export interface Timing {
  us: number
  count: number
}

/**
 * Times `op` the way every in-process benchmark does: `opsPerRun` sizes the run, one untimed
 * run warms the JIT up at that size, then one run is timed.
 */
export function timeOps(op: () => void, max: number, budgetMs: number): Timing {
  const count = opsPerRun(op, max, budgetMs)
  const run = () => {
    const t0 = performance.now()
    for (let n = 0; n < count; n++) op()
    return performance.now() - t0
  }
  run()
  return { us: (run() * 1000) / count, count }
}

/**
 * Measures every item `runs` times, one at a time, in rounds: each round measures every item
 * once, so drift in the machine's load (other processes, thermal) spreads over all contenders
 * instead of landing on one. Returns each item's results in the items' order.
 */
export async function inRounds<T, R>(
  items: readonly T[],
  runs: number,
  measure: (item: T) => Promise<R>,
): Promise<R[][]> {
  const results = items.map((): R[] => [])
  for (let round = 0; round < runs; round++) {
    for (const [i, item] of items.entries()) results[i]!.push(await measure(item))
  }
  return results
}

/** A sample from the timings of one contender's runs (`runs × fewest operations` in the table). */
export function timedSample(
  contender: { name: string; baseline?: boolean },
  label: string,
  unit: string,
  timings: readonly Timing[],
): Sample {
  return {
    contender: contender.name,
    label,
    unit,
    values: timings.map((t) => t.us),
    opsPerRun: Math.min(...timings.map((t) => t.count)),
    baseline: contender.baseline,
  }
}

/** Runs `work` over `items` with at most `concurrency` at a time; results in the items' order. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return results
}

/** A deterministic pseudo-random sequence (Park–Miller), so every contender gets the same ids. */
export function lcg(seed = 1): (bound: number) => number {
  let state = seed
  return (bound) => {
    state = (state * 16807) % 2147483647
    return state % bound
  }
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3))
const ratio = (value: number, reference: number | undefined) => {
  if (reference === undefined || reference <= 0) return '—'
  const r = value / reference
  return r >= 100 ? r.toFixed(0) : r >= 0.01 ? r.toFixed(2) : r.toPrecision(2)
}

/**
 * A markdown table. Per case, `× best` divides by the best library (baselines left out: they are
 * the floor, not a peer) and `× baseline` by that case's baseline, a column present only when
 * some case has one. Lower is better in every unit used here.
 */
export function toMarkdown(title: string, rows: readonly Row[], note?: string): string {
  const withBaseline = rows.some((r) => r.baseline)
  const lines = [`### ${title}`, '']
  if (note) lines.push(note, '')
  lines.push(
    `| case | contender | median | min–max | runs | × best |${withBaseline ? ' × baseline |' : ''}`,
    `|---|---|---:|---:|---:|---:|${withBaseline ? '---:|' : ''}`,
  )
  // Grouped by case, in the order cases first appear, so each case's contenders sit together.
  const labels = [...new Set(rows.map((r) => r.label))]
  for (const row of labels.flatMap((label) => rows.filter((r) => r.label === label))) {
    const peers = rows.filter((r) => r.label === row.label)
    const libraries = peers.filter((r) => !r.baseline)
    const best = libraries.length > 0 ? Math.min(...libraries.map((r) => r.median)) : undefined
    const cells = [
      row.label,
      row.baseline ? `${row.contender} (baseline)` : row.contender,
      `${fmt(row.median)} ${row.unit}`,
      `${fmt(row.min)}–${fmt(row.max)}`,
      row.opsPerRun ? `${row.runs} × ${row.opsPerRun.toLocaleString('en')}` : String(row.runs),
      row.baseline ? '—' : ratio(row.median, best),
    ]
    if (withBaseline) cells.push(ratio(row.median, peers.find((r) => r.baseline)?.median))
    lines.push(`| ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}
