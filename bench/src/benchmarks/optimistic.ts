import { type AppEntry, openPage, withApps } from '../browser/driver.js'
import { entityId } from '../data.js'
import { type Benchmark, lcg, type Sample, type Scale } from '../harness.js'

const apps: readonly AppEntry[] = [
  { name: 'atoma', entry: 'src/apps/optimistic/atoma.tsx' },
  { name: 'zustand', entry: 'src/apps/optimistic/zustand.tsx' },
  { name: 'redux toolkit', entry: 'src/apps/optimistic/redux.tsx' },
  { name: 'jotai', entry: 'src/apps/optimistic/jotai.tsx' },
  { name: 'valtio', entry: 'src/apps/optimistic/valtio.tsx' },
  { name: 'useSyncExternalStore', entry: 'src/apps/optimistic/baseline.tsx', baseline: true },
]

/**
 * An optimistic update in a React app over a collection of 10,000 entities
 * (`src/apps/optimistic/<lib>.tsx`): Atoma's `useMutation` against each peer's own immediate set.
 * Timed in Chromium from the click whose handler calls `mutate` (a capturing listener, just before
 * it) to the DOM mutation that shows the new count; with every entity on screen, and with 100.
 */
export const optimistic: Benchmark = {
  name: 'optimistic',
  description: 'from mutate() to the new value in the DOM, 10,000-entity collection (ms)',
  async run(scale: Scale) {
    const size = scale === 'full' ? 10_000 : 1_000
    const cases = scale === 'full' ? [size, 100] : [100]
    const [chosenApps, runs] = scale === 'full' ? [apps, 9] : [apps.slice(0, 1), 2]
    return withApps(chosenApps, async (browser, served) => {
      const samples: Sample[] = []
      for (const show of cases) {
        const label = `${show.toLocaleString('en')} of ${size.toLocaleString('en')} shown`
        for (const app of served) {
          const url = `${app.url}?size=${size}&show=${show}`
          const page = await openPage(browser, url, `#b-${entityId(show - 1)}`)
          const counts = new Map<string, number>()
          const next = lcg()
          const values: number[] = []
          for (let round = -1; round < runs; round++) {
            const id = entityId(next(show))
            const count = (counts.get(id) ?? 0) + 1
            counts.set(id, count)
            const ms = await page.timeClick(`#b-${id}`, { selector: `#c-${id}`, text: String(count) })
            if (round >= 0) values.push(ms)
          }
          await page.close()
          samples.push({ contender: app.name, label, unit: 'ms', values, baseline: app.baseline })
        }
      }
      return samples
    })
  },
}
