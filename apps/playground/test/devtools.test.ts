import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Task } from '../src/data/model.js'
import { databaseRows } from './support/api.js'
import {
  addTask,
  card,
  countPushes,
  editTitle,
  expectConfirmed,
  openBoard,
  statusLine,
} from './support/board.js'
import { screenshot, watchConsole } from './support/browser.js'
import { usePlayground } from './support/playground.js'

// The README's picture; rewritten when missing or when ATOMA_DOCS_SCREENSHOT=1, so that a test
// run does not leave a changed binary in the working tree every time.
const docsScreenshot = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url))

describe('devtools panel in the playground', () => {
  const pg = usePlayground()

  it('jumps to the state before an edit and back to live, without sending a write', async () => {
    const page = await pg.browser.context.newPage()
    await page.setViewportSize({ width: 1440, height: 900 })
    const console_ = watchConsole(page)
    // Writes (pushes) only: the board's reads (queries, pulls) run on their own schedule and are
    // no effect of travelling.
    const pushes = countPushes(page)
    await openBoard(page, pg.web.url)
    await editTitle(page, 'Pick a color palette', 'Pick a bold palette')
    await expectConfirmed(page, 'Pick a bold palette')

    const panel = await openPanel(page, 'Time travel')
    await panel.getByLabel('Store').selectOption('tasks')
    await selectLast(panel.getByRole('listbox', { name: 'History of tasks' }), 'optimistic:patch')
    const before = pushes.count

    await panel.getByRole('button', { name: /^Jump to before/ }).click()
    await card(page, 'Pick a color palette').waitFor()
    expect(await card(page, 'Pick a bold palette').count()).toBe(0)
    await expect.poll(() => panel.getByRole('status').first().textContent()).toMatch(/Paused/)
    await screenshot(page, 'devtools-before-edit')

    await panel.getByRole('button', { name: 'Resume live' }).click()
    await card(page, 'Pick a bold palette').waitFor()
    expect(await card(page, 'Pick a color palette').count()).toBe(0)

    // Anything a jump sent would have left by now.
    await page.waitForTimeout(300)
    expect(pushes.count).toBe(before)

    // The picture for the README: the edit's transaction with its patches and diff.
    await panel.getByRole('tab', { name: 'Transactions' }).click()
    await selectLast(panel.getByRole('listbox', { name: 'Transactions' }), 'optimistic:patch')
    await screenshot(page, 'devtools-transaction')
    if (!existsSync(docsScreenshot) || process.env.ATOMA_DOCS_SCREENSHOT === '1')
      await page.screenshot({ path: docsScreenshot })
    expect(console_.unexpected()).toEqual([])
  })

  it('resumes to the true latest state after a write made while paused (the time-travel bug, against the server)', async () => {
    const page = await pg.browser.context.newPage()
    await page.setViewportSize({ width: 1440, height: 900 })
    const console_ = watchConsole(page)
    await openBoard(page, pg.web.url)
    // The steps: rename A→B…
    await editTitle(page, 'Choose a web font', 'Choose two web fonts')
    await expectConfirmed(page, 'Choose two web fonts')
    // …jump to before the optimistic patch…
    const panel = await openPanel(page, 'Time travel')
    await panel.getByLabel('Store').selectOption('tasks')
    await selectLast(panel.getByRole('listbox', { name: 'History of tasks' }), 'optimistic:patch')
    await panel.getByRole('button', { name: /^Jump to before/ }).click()
    await card(page, 'Choose a web font').waitFor()
    // …add a task with the form (the app keeps working on the state shown)…
    await addTask(page, 'Added while paused')
    await expect.poll(() => panel.getByRole('note').textContent()).toMatch(/live change.* while paused/)
    await screenshot(page, 'devtools-paused-write')
    // …Resume live: B and the new task, on the board and on the server.
    await panel.getByRole('button', { name: 'Resume live' }).click()
    await card(page, 'Choose two web fonts').waitFor()
    expect(await card(page, 'Choose a web font').count()).toBe(0)
    await expectConfirmed(page, 'Added while paused')
    await statusLine(page).and(page.locator('[data-state="saved"]')).waitFor()
    const titles = (await databaseRows<Task>(pg.api, 'tasks')).map((task) => task.title)
    expect(titles).toContain('Choose two web fonts')
    expect(titles).toContain('Added while paused')
    expect(titles).not.toContain('Choose a web font')
    await screenshot(page, 'devtools-resumed')
    expect(console_.unexpected()).toEqual([])
  })

  it('leaves every card of the offline board reachable at 1440×900 with the panel open', async () => {
    const page = await pg.browser.context.newPage()
    await page.setViewportSize({ width: 1440, height: 900 })
    const console_ = watchConsole(page)
    await openBoard(page, `${pg.web.url}#/offline`)
    await openPanel(page, 'Transactions')
    const cards = page.locator('li.card')
    const count = await cards.count()
    expect(count).toBeGreaterThanOrEqual(7)
    const unreachable: string[] = []
    for (let i = 0; i < count; i++) {
      const each = cards.nth(i)
      await each.scrollIntoViewIfNeeded()
      // The card's own delete button is what a click at its place hits, not the panel.
      const hit = await each.locator('.icon-button.danger').evaluate((button) => {
        const box = button.getBoundingClientRect()
        return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === button
      })
      if (!hit) unreachable.push((await each.locator('.card-title').textContent()) ?? `card ${i}`)
    }
    await screenshot(page, 'devtools-offline-board-panel-open')
    expect(unreachable).toEqual([])
    expect(console_.unexpected()).toEqual([])
  })

  it('shows no failed op after a clean load, and refetches a query with exactly one request', async () => {
    const page = await pg.browser.context.newPage()
    await page.setViewportSize({ width: 1440, height: 900 })
    const console_ = watchConsole(page)
    const queries: string[] = []
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/ops' && request.postData()?.includes('"kind":"query"'))
        queries.push(request.postData() ?? '')
    })
    await openBoard(page, pg.web.url)
    await statusLine(page).and(page.locator('[data-state="saved"]')).waitFor()

    const panel = await openPanel(page, 'Ops')
    await panel.getByLabel('Status').selectOption('error')
    await expect.poll(() => panel.locator('.atoma-toolbar').textContent()).toContain('0 ops')
    expect(await panel.getByRole('listbox', { name: 'EffectOps' }).getByRole('option').count()).toBe(0)
    await screenshot(page, 'devtools-no-failed-ops')
    await panel.getByLabel('Status').selectOption('all')

    await panel.getByRole('tab', { name: 'Queries' }).click()
    await panel.getByLabel('Filter queries').fill('tasks doing')
    await panel.getByRole('listbox', { name: 'Queries' }).getByRole('option').first().click()
    const before = queries.length
    const answered = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/ops' &&
        (response.request().postData() ?? '').includes('"kind":"query"'),
    )
    await panel.getByRole('button', { name: 'Refetch' }).click()
    await answered
    // Settled: the query is idle again, and whatever the click sent has been sent.
    await expect.poll(() => panel.locator('.atoma-detail').textContent()).toMatch(/success, idle/)
    expect(queries.length - before).toBe(1)
    expect(queries.at(-1)).toContain('"status":"doing"')
    await screenshot(page, 'devtools-queries-refetch')
    expect(console_.unexpected()).toEqual([])
  })
})

/** The history lists render only the rows in view: scroll to the end, where the latest are. */
async function selectLast(list: Locator, text: string): Promise<void> {
  await list.evaluate((element) => {
    element.scrollTop = element.scrollHeight
  })
  await list.getByRole('option').filter({ hasText: text }).last().click()
}

/** Opens the panel (the button at the bottom right) on one of its views. */
async function openPanel(page: Page, view: string): Promise<Locator> {
  const panel = page.getByRole('region', { name: 'Atoma devtools' })
  // The panel keeps its settings in localStorage: an earlier scenario may have left it open.
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Atoma devtools' }).click()
  await panel.waitFor()
  await panel.getByRole('tab', { name: view, exact: true }).click()
  return panel
}
