import { type AppEntry, openPage, withApps } from '../browser/driver.js'
import type { Benchmark, Sample, Scale } from '../harness.js'

const rowCount = 'document.querySelectorAll("tbody tr").length'
const cell = (row: number, column = 1) =>
  `document.querySelector("tbody tr:nth-child(${row}) td:nth-child(${column})")`

interface Operation {
  name: string
  /** Clicks that prepare the table, not timed. */
  setup: string[]
  /** The timed click. */
  click: string
  /** Read before the timed click; its value is `before` in `expect`. */
  before?: string
  /** Must be true after the timed click: an app that did less work would be measured unfairly. */
  expect: string
}

// The js-framework-benchmark operations (its current sizes), each from a freshly prepared table.
const operations: readonly Operation[] = [
  { name: 'create 1,000 rows', setup: ['#clear'], click: '#run', expect: `${rowCount} === 1000` },
  {
    name: 'replace all 1,000 rows',
    setup: ['#clear', '#run'],
    click: '#run',
    before: `+${cell(1)}.textContent`,
    expect: `${rowCount} === 1000 && +${cell(1)}.textContent === before + 1000`,
  },
  {
    name: 'update every 10th row',
    setup: ['#clear', '#run'],
    click: '#update',
    expect: `${cell(11, 2)}.textContent.endsWith(" !!!") && !${cell(2, 2)}.textContent.endsWith("!")`,
  },
  {
    name: 'select row',
    setup: ['#clear', '#run'],
    click: 'tbody tr:nth-child(2) button.lbl',
    expect: 'document.querySelector("tbody tr:nth-child(2)").className === "danger"',
  },
  {
    name: 'swap rows',
    setup: ['#clear', '#run'],
    click: '#swaprows',
    before: `${cell(999)}.textContent`,
    expect: `${cell(2)}.textContent === before`,
  },
  {
    name: 'remove row',
    setup: ['#clear', '#run'],
    click: 'tbody tr:nth-child(4) button.remove',
    before: `${cell(4)}.textContent`,
    expect: `${rowCount} === 999 && ${cell(4)}.textContent !== before`,
  },
  { name: 'create 10,000 rows', setup: ['#clear'], click: '#runlots', expect: `${rowCount} === 10000` },
  { name: 'append 1,000 rows', setup: ['#clear', '#run'], click: '#add', expect: `${rowCount} === 2000` },
  { name: 'clear 1,000 rows', setup: ['#clear', '#run'], click: '#clear', expect: `${rowCount} === 0` },
]

const apps: readonly AppEntry[] = [
  { name: 'atoma', entry: 'src/apps/rows/atoma.tsx' },
  { name: 'zustand', entry: 'src/apps/rows/zustand.tsx' },
  { name: 'redux toolkit', entry: 'src/apps/rows/redux.tsx' },
  { name: 'jotai', entry: 'src/apps/rows/jotai.tsx' },
  { name: 'valtio', entry: 'src/apps/rows/valtio.tsx' },
  { name: 'useSyncExternalStore', entry: 'src/apps/rows/baseline.tsx', baseline: true },
]

/**
 * The js-framework-benchmark table, written once per library (`src/apps/rows/<lib>.tsx`, React 19
 * production builds), in Debian's Chromium. Each operation gets a fresh page per library, one
 * untimed round, then timed rounds: ms from the click to the paint after the commit. Libraries
 * take turns per operation, so load drift on the machine spreads over all of them.
 */
export const rows: Benchmark = {
  name: 'rows',
  description: 'js-framework-benchmark operations in a React table app (ms from click to paint)',
  async run(scale: Scale) {
    // At tiny scale: one app, two operations, one round — enough to keep the machinery working.
    const [chosenApps, chosenOps, runs] =
      scale === 'full'
        ? [apps, operations, 5]
        : [apps.slice(0, 1), operations.filter((op) => /^(create 1,000|select)/.test(op.name)), 1]
    return withApps(chosenApps, async (browser, served) => {
      const samples: Sample[] = []
      for (const op of chosenOps) {
        for (const app of served) {
          const page = await openPage(browser, app.url, '#run')
          const values: number[] = []
          for (let round = scale === 'full' ? -1 : 0; round < runs; round++) {
            for (const selector of op.setup) await page.click(selector)
            const before = op.before ? await page.evaluate<unknown>(op.before) : undefined
            const ms = await page.timeClick(op.click)
            const ok = await page.evaluate<boolean>(`((before) => ${op.expect})(${JSON.stringify(before)})`)
            if (!ok) throw new Error(`rows: ${app.name} did not ${op.name}`)
            if (round >= 0) values.push(ms)
          }
          await page.close()
          samples.push({ contender: app.name, label: op.name, unit: 'ms', values, baseline: app.baseline })
        }
      }
      return samples
    })
  },
}
