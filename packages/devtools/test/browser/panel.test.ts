// @vitest-environment node
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LaunchedBrowser, launchChromium } from '../../../../test/e2e/chromium.js'
import { bundlePage, type ServedPage, servePage } from '../../scripts/servePage.js'

// The panel in real Chromium over a small app (fixtureApp.tsx: the real runtime, real React and
// @atoma/react, memoryBackend counted), bundled by esbuild and served on loopback. Screenshots
// go to packages/devtools/test-results/screenshots (gitignored); the run prints the folder.

const entry = fileURLToPath(new URL('./fixtureApp.tsx', import.meta.url))
const shots = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url))

let browser: LaunchedBrowser
let server: ServedPage
let url = ''

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  const script = await bundlePage(entry, 'development')
  server = await servePage(() => script, 'panel fixture')
  url = server.url
  browser = await launchChromium()
  console.log(`devtools panel screenshots: ${shots}`)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  server?.close()
})

interface Opened {
  page: Page
  panel: Locator
  errors: string[]
}

async function open(
  options: { keepSettings?: boolean; width?: number; height?: number } = {},
): Promise<Opened> {
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
  await page.setViewportSize({ width: options.width ?? 1440, height: options.height ?? 900 })
  await page.goto(url)
  if (!options.keepSettings) {
    await page.evaluate(() => localStorage.clear())
    await page.reload()
  }
  await page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').first().waitFor()
  return { page, panel: page.getByRole('region', { name: 'Atoma devtools' }), errors }
}

/** A task's title on the board (not the panel's mentions of it). */
const task = (page: Page, title: string) =>
  page.getByRole('list', { name: 'Tasks' }).getByText(title, { exact: true })

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`) })

async function openPanel({ page, panel }: Opened, tab: string): Promise<void> {
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Atoma devtools' }).click()
  await panel.getByRole('tab', { name: tab }).click()
}

/** Windowed lists render the rows in view: scroll to the end, where the newest are, and pick one. */
async function pickLast(list: Locator, text: string | RegExp): Promise<void> {
  await list.evaluate((element) => {
    element.scrollTop = element.scrollHeight
  })
  await list.getByRole('option').filter({ hasText: text }).last().click()
}

/** Runs `read` in the page on its `window.fixture` (the function's source is sent, not a closure). */
const fixture = <T>(page: Page, read: (f: Window['fixture']) => T | Promise<T>) =>
  page.evaluate(`(${read.toString()})(window.fixture)`) as Promise<T>

describe('devtools panel in Chromium', { timeout: 60_000 }, () => {
  it('resumes to the true latest state after a jump before an edit and a task added while paused (issue 16)', async () => {
    const opened = await open()
    const { page, panel } = opened
    await page.getByRole('button', { name: 'Rename Pick a color palette' }).click()
    await expect.poll(() => fixture(page, (f) => f.server())).toContain('Pick a color palette!')

    await openPanel(opened, 'Time travel')
    await panel.getByLabel('Store').selectOption('tasks')
    await pickLast(panel.getByRole('listbox', { name: 'History of tasks' }), 'optimistic:patch')
    await panel.getByRole('button', { name: /^Jump to before/ }).click()
    await task(page, 'Pick a color palette').waitFor()
    await expect.poll(() => panel.getByRole('status').first().textContent()).toMatch(/^Paused at txn/)

    // The app keeps working while paused, and the panel says so.
    await page.getByLabel('New task').fill('Added while paused')
    await page.getByRole('button', { name: 'Add task' }).click()
    await task(page, 'Added while paused').waitFor()
    await expect.poll(() => fixture(page, (f) => f.server())).toContain('Added while paused')
    await expect.poll(() => panel.getByRole('note').textContent()).toMatch(/live changes? while paused/)
    await shot(page, 'travel-paused-with-live-changes')

    await panel.getByRole('button', { name: 'Resume live' }).click()
    await task(page, 'Pick a color palette!').waitFor()
    expect(await fixture(page, (f) => f.titles())).toEqual(await fixture(page, (f) => f.server()))
    expect(await fixture(page, (f) => f.titles())).toEqual(
      expect.arrayContaining(['Pick a color palette!', 'Added while paused']),
    )
    await expect.poll(() => panel.getByRole('status').first().textContent()).toBe('Live')
    await shot(page, 'travel-resumed')
    expect(opened.errors).toEqual([])
    await page.close()
  })

  it('replays the history with the slider and Play, without a request', async () => {
    const opened = await open()
    const { page, panel } = opened
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Toggle filter' }).click()
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/filter open/)
    await openPanel(opened, 'Time travel')
    await panel.getByLabel('Store').selectOption('board')
    const slider = panel.getByRole('slider', { name: 'History position' })
    expect(await slider.getAttribute('max')).toBe('3')
    const calls = await fixture(page, (f) => ({ ...f.calls }))

    await slider.fill('0')
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/filter all/)
    await slider.fill('1')
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/filter open/)
    await shot(page, 'travel-slider')

    await panel.getByLabel('Speed').selectOption('4')
    await panel.getByRole('button', { name: '▶ Play' }).click()
    const seen = new Set<string>()
    await expect
      .poll(
        async () => {
          seen.add((await page.getByTestId('status').textContent()) ?? '')
          return panel.getByRole('status').first().textContent()
        },
        { interval: 50 },
      )
      .toBe('Live')
    expect([...seen].some((text) => text.includes('filter all'))).toBe(true)
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/filter open/)
    // Commits the panel made are `devtools` ones; the app's requests did not change (the queries
    // of the filters travelled through are cached by query-core).
    expect((await fixture(page, (f) => ({ ...f.calls }))).write).toBe(calls.write)
    expect(opened.errors).toEqual([])
    await page.close()
  })

  it('skips a transaction: later states recomputed from recorded patches, no request', async () => {
    const opened = await open()
    const { page, panel } = opened
    await page.getByRole('button', { name: 'Rename Write the release notes' }).click()
    await page.getByRole('button', { name: 'Rename Book the venue' }).click()
    await expect.poll(() => fixture(page, (f) => f.server())).toContain('Book the venue!')
    const calls = await fixture(page, (f) => ({ ...f.calls }))

    await openPanel(opened, 'Time travel')
    await panel.getByLabel('Store').selectOption('tasks')
    const history = panel.getByRole('listbox', { name: 'History of tasks' })
    await pickLast(history, /optimistic:patch.*Write the release notes!/)
    await panel.getByRole('button', { name: /^Skip #/ }).click()
    await task(page, 'Write the release notes').waitFor()
    await task(page, 'Book the venue!').waitFor()
    await expect.poll(() => panel.getByRole('status').first().textContent()).toMatch(/^Skipping #/)
    await shot(page, 'travel-skip')
    expect(await fixture(page, (f) => ({ ...f.calls }))).toEqual(calls)

    await panel.getByRole('button', { name: /^Include #/ }).click()
    await task(page, 'Write the release notes!').waitFor()
    expect(await fixture(page, (f) => ({ ...f.calls }))).toEqual(calls)
    expect(opened.errors).toEqual([])
    await page.close()
  })

  it('dispatches an action from the State view: one transaction; bad JSON is refused', async () => {
    const opened = await open()
    const { page, panel } = opened
    await openPanel(opened, 'State')
    await panel.getByLabel('Store').selectOption('board')
    const form = panel.getByRole('form', { name: 'Dispatch an action of board' })
    await form.getByLabel('Action').selectOption('setNote')
    const before = await fixture(page, (f) => f.history('board'))

    await form.getByLabel(/^Payload/).fill('{oops')
    await form.getByRole('button', { name: 'Dispatch setNote' }).click()
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toMatch(/^Not dispatched: the payload is not valid JSON/)
    expect(await fixture(page, (f) => f.history('board'))).toBe(before)

    await form.getByLabel(/^Payload/).fill('"from the panel"')
    await form.getByRole('button', { name: 'Dispatch setNote' }).click()
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/from the panel/)
    expect(await fixture(page, (f) => f.history('board'))).toBe(before + 1)
    expect(await form.getByRole('status').textContent()).toMatch(
      /^Dispatched board\/setNote: transaction #\d+\.$/,
    )
    await panel.getByLabel('Search the state').fill('panel')
    await panel.getByRole('list', { name: 'Matches' }).getByText('board › note:').waitFor()
    await shot(page, 'state-dispatch-search')
    expect(opened.errors).toEqual([])
    await page.close()
  })

  it('lists the query cache and refetches a query from the Queries view', async () => {
    const opened = await open()
    const { page, panel } = opened
    await openPanel(opened, 'Queries')
    const list = panel.getByRole('listbox', { name: 'Queries' })
    await list.getByRole('option').filter({ hasText: 'tasks · {}' }).click()
    await expect
      .poll(() => list.getByRole('option').filter({ hasText: 'tasks · {}' }).textContent())
      .toMatch(/^(fresh|stale)/)
    const before = await fixture(page, (f) => f.calls.query)
    await panel.getByRole('button', { name: 'Refetch' }).click()
    await expect.poll(() => fixture(page, (f) => f.calls.query)).toBe(before + 1)
    await panel.getByRole('region', { name: 'Data' }).getByRole('tree').waitFor()

    await panel.getByRole('button', { name: 'Trigger error' }).click()
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/^error/)
    await shot(page, 'queries-trigger-error')
    await panel.getByRole('button', { name: 'Restore error' }).click()
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/^success/)

    await page.getByRole('button', { name: 'Rename Book the venue' }).click()
    await openPanel(opened, 'Mutations')
    await panel.getByRole('listbox', { name: 'Mutations' }).getByRole('option').last().click()
    await panel.getByRole('list', { name: 'Causal chain' }).waitFor()
    await shot(page, 'mutations')
    expect(opened.errors).toEqual([])
    await page.close()
  })

  it('travels an imported recording in a read-only runtime rebuilt from it', async () => {
    const first = await open()
    await first.page.getByRole('button', { name: 'Rename Pick a color palette' }).click()
    await expect.poll(() => fixture(first.page, (f) => f.server())).toContain('Pick a color palette!')
    await openPanel(first, 'Timeline')
    const [download] = await Promise.all([
      first.page.waitForEvent('download'),
      first.panel.getByRole('button', { name: 'Export' }).click(),
    ])
    const path = await download.path()
    const text = readFileSync(path, 'utf8')
    await first.page.close()

    const opened = await open()
    const { page, panel } = opened
    await openPanel(opened, 'Time travel')
    await panel
      .getByLabel('Import a recording')
      .setInputFiles({ name: 'bug.json', mimeType: 'application/json', buffer: Buffer.from(text) })
    await expect
      .poll(() => panel.locator('.atoma-header [data-mode]').textContent())
      .toMatch(/^Recording \(read-only\)/)
    await panel.getByLabel('Store').selectOption('tasks')
    await pickLast(panel.getByRole('listbox', { name: 'History of tasks' }), 'optimistic:patch')
    await panel.getByRole('button', { name: /^Jump to before/ }).click()
    await expect
      .poll(() => panel.locator('.atoma-header [data-mode]').textContent())
      .toMatch(/Paused at txn #\d+ \(tasks, before\)/)
    await panel.getByRole('tab', { name: 'State' }).click()
    await panel.getByLabel('Store').selectOption('tasks')
    await panel.getByLabel('Search the state').fill('palette')
    await expect
      .poll(() => panel.getByRole('list', { name: 'Matches' }).textContent())
      .toContain('"Pick a color palette"')
    await shot(page, 'recording-travelled')
    // The page's own runtime was not touched: it never had the rename.
    expect(await fixture(page, (f) => f.titles())).toContain('Pick a color palette')
    expect(opened.errors).toEqual([])
    await page.close()
  })

  it('keeps the Timeline on the newest event unless the user scrolled up', async () => {
    const opened = await open()
    const { page, panel } = opened
    await openPanel(opened, 'Timeline')
    const list = panel.getByRole('listbox', { name: 'Events' })
    const edge = () =>
      list.evaluate((element) => {
        const options = [...element.querySelectorAll('[role="option"]')]
        const positions = options.map((option) => Number(option.getAttribute('aria-posinset')))
        const visible = options.filter((option) => {
          const box = option.getBoundingClientRect()
          const frame = element.getBoundingClientRect()
          return box.bottom > frame.top && box.top < frame.bottom
        })
        return {
          size: Number(options[0]?.getAttribute('aria-setsize')),
          first: Math.min(...positions),
          lastVisible: Math.max(...visible.map((option) => Number(option.getAttribute('aria-posinset')))),
        }
      })
    await expect.poll(async () => (await edge()).lastVisible === (await edge()).size).toBe(true)
    await page.getByRole('button', { name: 'Toggle filter' }).click()
    await expect.poll(async () => (await edge()).lastVisible === (await edge()).size).toBe(true)

    await list.evaluate((element) => {
      element.scrollTop = 0
    })
    await expect.poll(async () => (await edge()).first).toBe(1)
    const before = (await edge()).size
    await page.getByRole('button', { name: 'Toggle filter' }).click()
    await expect.poll(async () => (await edge()).size).toBeGreaterThan(before)
    expect((await edge()).first).toBe(1)
    await shot(page, 'timeline-scrolled-up')
    expect(opened.errors).toEqual([])
    await page.close()
  })

  it('fits a 390 px wide window: two rows of header, the tabs scrolling in theirs, the actions inside', async () => {
    const opened = await open({ width: 390, height: 844 })
    const { page, panel } = opened
    await openPanel(opened, 'Time travel')
    await shot(page, 'narrow-390')
    const header = await panel.locator('.atoma-header').boundingBox()
    if (!header) throw new Error('no header')
    expect(header.width).toBeLessThanOrEqual(390)
    expect(header.height).toBeLessThan(70)
    // The tabs scroll sideways in their row when they do not fit; the selected one is in view.
    const tablist = panel.getByRole('tablist')
    expect(await tablist.evaluate((element) => getComputedStyle(element).overflowX)).toBe('auto')
    await panel.getByRole('tab', { name: 'Ops' }).click()
    for (const control of [
      tablist,
      panel.getByRole('tab', { selected: true }),
      panel.getByRole('button', { name: 'Close the devtools panel' }),
    ]) {
      const box = await control.boundingBox()
      if (!box) throw new Error('no box')
      expect(box.x + box.width).toBeLessThanOrEqual(header.x + header.width + 0.5)
      expect(box.y + box.height).toBeLessThanOrEqual(header.y + header.height + 0.5)
    }
    expect(opened.errors).toEqual([])
    await page.close()
  })

  it('docks bottom, right and left from the header, reserving its space; the settings persist', async () => {
    const opened = await open()
    const { page, panel } = opened
    await openPanel(opened, 'Transactions')
    for (const side of ['bottom', 'right', 'left'] as const) {
      await panel.getByRole('button', { name: `Dock to the ${side === 'bottom' ? 'bottom' : side}` }).click()
      const dock = await panel.boundingBox()
      const header = await panel.locator('.atoma-header').boundingBox()
      expect(dock && header).toBeTruthy()
      // The header never wraps: one row at the bottom; on a side, its two rows (actions, tabs)
      // with every tab inside it, none pushed out or cut.
      expect(header?.height ?? 0).toBeLessThan(side === 'bottom' ? 40 : 70)
      for (const tab of await panel.getByRole('tab').all()) {
        const box = await tab.boundingBox()
        if (!box || !header) throw new Error('no tab box')
        expect(box.x + box.width).toBeLessThanOrEqual(header.x + header.width + 0.5)
        expect(box.y + box.height).toBeLessThanOrEqual(header.y + header.height + 0.5)
      }
      // The end of the page can be scrolled into view beside or above the panel.
      await page.getByTestId('page-end').scrollIntoViewIfNeeded()
      const end = await page.getByTestId('page-end').boundingBox()
      if (!dock || !end) throw new Error('no box')
      if (side === 'bottom') expect(end.y + end.height).toBeLessThanOrEqual(dock.y + 1)
      if (side === 'right') expect(end.x + end.width).toBeLessThanOrEqual(dock.x + 1)
      if (side === 'left') expect(end.x).toBeGreaterThanOrEqual(dock.x + dock.width - 1)
      await pickLast(panel.getByRole('listbox', { name: 'Transactions' }), /query/)
      await shot(page, `dock-${side}`)
    }
    await panel.getByRole('tab', { name: 'Ops' }).click()
    await page.reload()
    await page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').first().waitFor()
    await expect.poll(() => panel.getAttribute('data-position')).toBe('left')
    expect(await panel.getByRole('tab', { selected: true }).textContent()).toBe('Ops')
    await panel.getByRole('button', { name: 'Close the devtools panel' }).click()
    expect(await page.evaluate(() => document.documentElement.style.paddingLeft)).toBe('')
    await shot(page, 'closed')
    expect(opened.errors).toEqual([])
    await page.close()
  })
})
