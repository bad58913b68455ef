// `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one. Results are printed
// and written to bench/results/latest.md with the machine's description.
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'
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
const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), Node ${process.version}`
const sections = [`# Atoma benchmarks\n\n${new Date().toISOString()} — ${machine}\n`]

for (const bench of selected) {
  console.log(`\n▶ ${bench.name}: ${bench.description}`)
  const rows = summarize(await bench.run('full'))
  let note: string | undefined
  if (bench.name === 'write-cost') {
    const ratios = [...new Set(rows.map((r) => r.contender))].map((contender) => {
      const mine = rows.filter((r) => r.contender === contender)
      const ratio = mine.at(-1)!.median / mine[0]!.median
      return `${contender}: ${mine.at(-1)!.label} / ${mine[0]!.label} = ${ratio.toFixed(2)}×`
    })
    note = `Largest / smallest collection, median per write — ${ratios.join('; ')} (target ≤ 2×).`
  }
  const table = toMarkdown(bench.name, rows, note)
  console.log(table)
  sections.push(table)
}
mkdirSync(new URL('../results/', import.meta.url), { recursive: true })
writeFileSync(new URL('../results/latest.md', import.meta.url), `${sections.join('\n\n')}\n`)
console.log('\nwritten to bench/results/latest.md')
