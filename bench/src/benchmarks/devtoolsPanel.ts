import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { BenchApi } from '../../../packages/devtools/scripts/benchPage.js'
import { launchChromium } from '../../../test/e2e/chromium.js'
import type { Benchmark, Sample, Scale } from '../harness.js'

// The page and its API live with the panel: packages/devtools/scripts/benchPage.tsx.
const entry = fileURLToPath(new URL('../../../packages/devtools/scripts/benchPage.tsx', import.meta.url))

type Step = Exclude<keyof BenchApi, 'setup'>
const STEPS: Array<[Step, string]> = [
  ['openPanel', 'open the panel'],
  ['selectLastTransaction', 'select a transaction'],
  ['openState', 'open the State view'],
]

/** The page's global; the functions given to `page.evaluate` run in the page, where it exists. */
type BenchWindow = { atomaBench: BenchApi }

/** The page bundled the way an app would be: React in `mode`, workspace packages from source. */
async function bundle(mode: 'development' | 'production'): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['@atoma/source'],
    jsx: 'automatic',
    minify: mode === 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
    logLevel: 'silent',
  })
  const [file] = result.outputFiles
  if (!file) throw new Error('esbuild produced no bundle')
  return file.text
}

/**
 * DESIGN §10: the panel stays fast with 500 events and a 100,000-entity state. In Chromium, per
 * run on a fresh page: open the panel (Transactions view), select the newest transaction (its
 * cost, causal chain, diff and patches render) and open the State view of the 100,000-entity
 * collection. Milliseconds from the interaction to the frame after the result rendered.
 */
export const devtoolsPanel: Benchmark = {
  name: 'devtools-panel',
  description: 'devtools panel interactions with 500 hub events and a 100,000-entity store (ms)',
  async run(scale: Scale) {
    const options = scale === 'full' ? { entities: 100_000, events: 500 } : { entities: 1_000, events: 100 }
    const runs = scale === 'full' ? 5 : 1
    const pages = { development: await bundle('development'), production: await bundle('production') }
    let script = ''
    const server = createServer((request, response) => {
      if (request.url === '/panel.js')
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
      else
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><title>devtools bench</title><script type="module" src="/panel.js"></script>')
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const browser = await launchChromium()
    const samples: Sample[] = []
    const size = `${options.events} events, ${options.entities.toLocaleString('en')} entities`
    try {
      for (const mode of ['production', 'development'] as const) {
        script = pages[mode]
        const values: Record<Step, number[]> = { openPanel: [], selectLastTransaction: [], openState: [] }
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
