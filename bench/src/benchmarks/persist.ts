import { openPage, withApps } from '../browser/driver.js'
import type { Benchmark, Row, Sample, Scale } from '../harness.js'

interface Run {
  persistUs: number
  totalUs: number
  bytes: number
  hydrateMs: number
}
const libs = ['atoma', 'zustand'] as const

/**
 * Persisting one field change, and hydrating, in Chromium, on one page
 * (`src/apps/persist/page.ts`): Atoma's `persist` on `webStorage()` against zustand's `persist`
 * middleware with `createJSONStorage(() => localStorage)`, in states of 100, 10,000 and 100,000
 * entities. Per commit: the code units written to localStorage and the µs of the whole commit
 * (state update and persisting, one synchronous loop), then the µs spent persisting alone (Atoma:
 * appending the commit's patches; zustand: `JSON.stringify` and `setItem` of the whole state),
 * each after a pause so the garbage of the state update is not collected inside it; then the ms a
 * fresh store takes to hydrate the state. Runs interleave the libraries and the sizes, each on a
 * cleared localStorage, with the same number of commits everywhere.
 */
export const persistBench: Benchmark = {
  name: 'persist',
  description: 'one field change persisted to localStorage, and hydration, by state size (Chromium)',
  async run(scale: Scale) {
    const sizes = scale === 'full' ? [100, 10_000, 100_000] : [100, 1_000]
    const [commits, runs] = scale === 'full' ? [100, 7] : [5, 1]
    return withApps([{ name: 'persist', entry: 'src/apps/persist/page.ts' }], async (browser, [app]) => {
      // Cross-origin isolated, the page's clock has 5 µs steps instead of 100 µs: one commit is
      // timed on its own (the state update left out), and Atoma's take tens of µs.
      await browser.context.route('**/*', async (route) => {
        const response = await route.fetch()
        const headers = {
          ...response.headers(),
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        }
        await route.fulfill({ response, headers })
      })
      const page = await openPage(browser, app!.url, '#ready')
      if (!(await page.evaluate<boolean>('crossOriginIsolated')))
        throw new Error('the page is not cross-origin isolated')
      const results = new Map<string, Run[]>()
      for (let round = 0; round < runs; round++) {
        for (const size of sizes) {
          for (const lib of libs) {
            const run = await page.evaluate<Run>(`window.__persist.run('${lib}', ${size}, ${commits})`)
            const key = `${lib}:${size}`
            results.set(key, [...(results.get(key) ?? []), run])
          }
        }
      }
      await page.close()
      const samples: Sample[] = []
      const cases: [string, string, (r: Run) => number][] = [
        ['persist', 'µs/commit', (r) => r.persistUs],
        ['commit + persist', 'µs/commit', (r) => r.totalUs],
        ['written', 'B/commit', (r) => r.bytes],
        ['hydration', 'ms', (r) => r.hydrateMs],
      ]
      for (const [what, unit, pick] of cases) {
        for (const size of sizes) {
          for (const lib of libs) {
            samples.push({
              contender: lib,
              label: `${what} · ${size.toLocaleString('en')}`,
              unit,
              values: results.get(`${lib}:${size}`)!.map(pick),
              opsPerRun: what === 'hydration' ? undefined : commits,
            })
          }
        }
      }
      return samples
    })
  },
  note(rows: readonly Row[]) {
    const labels = [...new Set(rows.map((r) => r.label.split(' · ')[1]!))]
    const [first, last] = [labels[0]!, labels.at(-1)!]
    const median = (what: string, lib: string, size: string) =>
      rows.find((r) => r.contender === lib && r.label === `${what} · ${size}`)!.median
    const growth = (what: string) =>
      libs
        .map((lib) => `${lib} ${(median(what, lib, last) / median(what, lib, first)).toFixed(2)}×`)
        .join(', ')
    return (
      `Growth from ${first} to ${last} entities (median): persist time ${growth('persist')}; ` +
      `bytes written ${growth('written')}; whole commit ${growth('commit + persist')} (Atoma's target ≤ 2× for persisting). ` +
      `Hydration of ${last}: zustand / Atoma ${(median('hydration', 'zustand', last) / median('hydration', 'atoma', last)).toFixed(2)}×.`
    )
  },
}
