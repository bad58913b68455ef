// `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one. Results are printed
// and written to bench/results/latest.md with the machine's description and its load, since
// other work on the machine moves every number.
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { summarize, toMarkdown } from './harness.js'
import { benchmarks } from './registry.js'

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const unknown = wanted.filter((name) => !benchmarks.some((b) => b.name === name))
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`,
  )
  process.exit(2)
}
const selected = wanted.length > 0 ? benchmarks.filter((b) => wanted.includes(b.name)) : benchmarks
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ')
const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), Node ${process.version}`
const started = new Date()
const loadAtStart = load()
const tables: string[] = []

for (const bench of selected) {
  console.log(`\n▶ ${bench.name}: ${bench.description} (load ${load()})`)
  const rows = summarize(await bench.run('full'))
  const table = toMarkdown(bench.name, rows, bench.note?.(rows))
  console.log(table)
  tables.push(table)
}
const header = [
  '# Atoma benchmarks',
  '',
  `${started.toISOString()} — ${machine}`,
  '',
  `Load average (1 / 5 / 15 min): ${loadAtStart} at the start, ${load()} at the end (${availableParallelism()} cores).`,
  'Medians of every run; `× best` is against the fastest library of each case, `× baseline` against the hand-written floor. Lower is better.',
].join('\n')
mkdirSync(new URL('../results/', import.meta.url), { recursive: true })
writeFileSync(new URL('../results/latest.md', import.meta.url), `${[header, ...tables].join('\n\n')}\n`)
console.log('\nwritten to bench/results/latest.md')
