import { fileURLToPath } from 'node:url'
import type { BenchApi } from '../../../packages/devtools/scripts/benchPage.js'
import { bundlePage, servePage } from '../../../packages/devtools/scripts/servePage.js'
import { launchChromium } from '../../../test/e2e/chromium.js'
import type { Benchmark, Sample, Scale } from '../harness.js'

// The page and its API live with the panel: packages/devtools/scripts/benchPage.tsx.
const entry = fileURLToPath(new URL('../../../packages/devtools/scripts/benchPage.tsx', import.meta.url))

type Step = Exclude<keyof BenchApi, 'setup'>
const STEPS: Array<[Step, string]> = [
  ['openPanel', 'open the panel'],
  ['selectLastTransaction', 'select a transaction'],
  ['openState', 'open the State view'],
  ['sliderStep', 'time travel: one slider step'],
  ['openQueries', 'open the Queries view'],
]

/** The figures before issue 16 (React production, 500 events, 100,000 entities), for the note. */
const BEFORE: Partial<Record<string, number>> = {
  'open the panel': 100,
  'select a transaction': 125,
  'open the State view': 140,
}

/** The page's global; the functions given to `page.evaluate` run in the page, where it exists. */
type BenchWindow = { atomaBench: BenchApi }

/**
 * docs/architecture.md §10 and issue 16: the panel stays fast with 5,000 hub events and a 100,000-entity state.
 * In Chromium, per run on a fresh page: open the panel (Transactions view), select the newest
 * transaction (its cost, causal chain, diff and patches render), open the State view of the
 * 100,000-entity collection, open Time travel and step back once (a jump committed, the view and
 * its diff against live shown), and open the Queries view over 200 cached queries. Milliseconds
 * from the interaction to the frame after the result rendered.
 */
export const devtoolsPanel: Benchmark = {
  name: 'devtools-panel',
  description: 'devtools panel interactions with 5,000 hub events and a 100,000-entity store (ms)',
  note(rows) {
    const parts = rows
      .filter((row) => row.contender.includes('production'))
      .flatMap((row) => {
        const step = STEPS.find(([, label]) => row.label.startsWith(label))?.[1]
        const before = step === undefined ? undefined : BEFORE[step]
        return before === undefined
          ? []
          : [`${step} ${row.median.toFixed(0)} ms (was ${before} ms with 500 events)`]
      })
    return parts.length > 0
      ? `React production, against the figures before issue 16: ${parts.join('; ')}.`
      : undefined
  },
  async run(scale: Scale) {
    const options =
      scale === 'full'
        ? { entities: 100_000, events: 5_000, queries: 200 }
        : { entities: 1_000, events: 100, queries: 5 }
    const runs = scale === 'full' ? 5 : 1
    const pages = {
      development: await bundlePage(entry, 'development'),
      production: await bundlePage(entry, 'production'),
    }
    let script = ''
    const server = await servePage(() => script, 'devtools bench')
    const url = server.url
    const browser = await launchChromium()
    const samples: Sample[] = []
    const size = `${options.events} events, ${options.entities.toLocaleString('en')} entities`
    try {
      for (const mode of ['production', 'development'] as const) {
        script = pages[mode]
        const values: Record<Step, number[]> = {
          openPanel: [],
          selectLastTransaction: [],
          openState: [],
          sliderStep: [],
          openQueries: [],
        }
        for (let run = 0; run < runs; run++) {
          const page = await browser.context.newPage()
          const errors: string[] = []
          page.on('pageerror', (error) => errors.push(error.message))
          await page.setViewportSize({ width: 1280, height: 800 })
          await page.goto(url)
          await page.waitForFunction(() => 'atomaBench' in window)
          await page.evaluate((setup) => (window as unknown as BenchWindow).atomaBench.setup(setup), options)
          // Let the collection's construction garbage be collected before anything is timed.
          await page.waitForTimeout(1_000)
          for (const [step] of STEPS)
            values[step].push(
              await page.evaluate((name) => (window as unknown as BenchWindow).atomaBench[name](), step),
            )
          if (errors.length > 0) throw new Error(`the bench page failed: ${errors.join('; ')}`)
          await page.close()
        }
        for (const [step, label] of STEPS)
          samples.push({
            contender: `atoma devtools (React ${mode})`,
            label: `${label} (${size})`,
            unit: 'ms',
            values: values[step],
          })
      }
    } finally {
      await browser.close()
      server.close()
    }
    return samples
  },
}
