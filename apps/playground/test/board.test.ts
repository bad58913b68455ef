import type { RunningServer } from '@atoma/server'
import type { Page, Request } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import type { Task } from '../src/data/model.js'
import { serverItems, startApi } from './support/api.js'
import { addTaskTimed, card, editTitle, expectConfirmed, openBoard, setChaos } from './support/board.js'
import { type LaunchedBrowser, launchChromium, screenshot, watchConsole } from './support/browser.js'
import { freshDataDir, removeDataDir } from './support/globalSetup.js'
import { startDevServer, type Web } from './support/web.js'

// The team board against a real @atoma/server on PGlite on disk, through the Vite proxy.
describe('team board (@atoma/server over HTTP)', () => {
  const dataDir = freshDataDir(inject('pgliteTemplate'))
  let api: RunningServer
  let web: Web
  let browser: LaunchedBrowser
  let page: Page
  let console_: ReturnType<typeof watchConsole>

  beforeAll(async () => {
    api = await startApi(dataDir)
    web = await startDevServer(`http://127.0.0.1:${api.port}`)
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await web?.close()
    await api?.close()
    removeDataDir(dataDir)
  })
  beforeEach(async () => {
    page = await browser.context.newPage()
    console_ = watchConsole(page)
    await openBoard(page, web.url)
  })
  afterEach(async () => {
    await setChaos(api.url, {})
    await page.close()
    expect(console_.unexpected()).toEqual([])
  })

  it('shows a created task at once while the server takes a second, marked pending until confirmed', async () => {
    // Through the UI's own network control, which posts to /api/chaos.
    await page.getByText('Network:').click()
    await page.getByLabel('Added latency').fill('1000')
    await expect.poll(async () => (await (await fetch(`${api.url}/chaos`)).json()).chaos.latencyMs).toBe(1000)
    await screenshot(page, 'network-control')
    await page.getByText('Network:').click()

    const started = Date.now()
    const ms = await addTaskTimed(page, 'Call the printer')
    expect(ms).toBeLessThan(100)
    const created = card(page, 'Call the printer')
    expect(await created.getAttribute('data-pending')).toBe('true')
    await expect.poll(() => created.locator('[data-pending-mark]').isVisible()).toBe(true)
    await screenshot(page, 'board-pending')

    await expectConfirmed(page, 'Call the printer')
    expect(Date.now() - started).toBeGreaterThan(900)
    await screenshot(page, 'board-confirmed')
  })

  it('rolls a created task back when the server refuses it, and says why', async () => {
    // Latency only so the optimistic card stays long enough to be seen before it goes again.
    await setChaos(api.url, { latencyMs: 300, failureRate: 1, failWrites: true })
    expect(await addTaskTimed(page, 'Doomed task')).toBeLessThan(100)
    await card(page, 'Doomed task').waitFor({ state: 'detached' })
    const alert = page.getByRole('alert').filter({ hasText: 'Could not add “Doomed task”' })
    await alert.waitFor()
    expect(await alert.textContent()).toMatch(/chaos: injected write failure/)
    await screenshot(page, 'board-rolled-back')
    expect(await serverItems(api, 'tasks', { title: 'Doomed task' })).toEqual([])
  })

  it('keeps the second of two quick edits when the first one fails', async () => {
    await addTaskTimed(page, 'Draft title')
    await expectConfirmed(page, 'Draft title')
    const [task] = await serverItems<Task>(api, 'tasks', { title: 'Draft title' })

    // The first edit fails on the server; the second is made while the first is still in flight.
    // The runtime sends an edit of the same task only after the one before it settled, so the
    // second request is held here until chaos is off: exactly the first write fails.
    await setChaos(api.url, { latencyMs: 500, failureRate: 1, failWrites: true })
    const writes: Request[] = []
    let firstSettled: Promise<unknown> = Promise.resolve()
    await page.route('**/api/ops', async (route) => {
      if (!route.request().postData()?.includes('"kind":"write"')) return route.continue()
      writes.push(route.request())
      if (writes.length === 1) {
        firstSettled = route.fetch().then((response) => route.fulfill({ response }))
        return firstSettled
      }
      await firstSettled
      await setChaos(api.url, {})
      return route.continue()
    })

    await editTitle(page, 'Draft title', 'First try')
    await editTitle(page, 'First try', 'Second try')
    expect(await card(page, 'Second try').getAttribute('data-pending')).toBe('true')
    await page.getByRole('alert').filter({ hasText: 'Could not save “First try”' }).waitFor()
    await expectConfirmed(page, 'Second try')
    await screenshot(page, 'board-second-edit-wins')

    expect(writes).toHaveLength(2)
    expect(await card(page, 'First try').count()).toBe(0)
    expect(await serverItems<Task>(api, 'tasks', { id: task?.id })).toMatchObject([{ title: 'Second try' }])
  })

  it('filters and sorts with queries the server runs too', async () => {
    const titles = (column: string) =>
      page.getByRole('region', { name: column }).locator('.card-title').allTextContents()
    await page.getByLabel('Filter by priority').selectOption({ label: 'High only' })
    await expect.poll(() => titles('To do')).toEqual(['Write the launch announcement'])
    expect(await titles('Doing')).toEqual(['Build the pricing page'])

    await page.getByLabel('Filter by priority').selectOption({ label: 'Any priority' })
    await page.getByLabel('Search titles').fill('page')
    await page.getByLabel('Sort by').selectOption({ label: 'Title A–Z' })
    await expect.poll(() => titles('Done')).toEqual(['Sketch the home page'])
    expect(await titles('Doing')).toEqual(['Build the pricing page'])
    await page.getByLabel('Search titles').fill('')
    await page.getByLabel('Filter by assignee').selectOption({ label: 'Unassigned' })
    await expect.poll(() => titles('To do')).toContain('Pick a color palette')
    expect(await page.locator('.column-error').count()).toBe(0)
    await screenshot(page, 'board-filtered')
  })

  it('shows what the server stored after a reload, and after the server restarted on the same data', async () => {
    await addTaskTimed(page, 'Persisted task')
    await expectConfirmed(page, 'Persisted task')

    await page.reload()
    await card(page, 'Persisted task').waitFor()

    // Same data directory, same port (the Vite proxy points there): PGlite reopens it from disk.
    const { port } = api
    await api.close()
    api = await startApi(dataDir, port)
    await page.reload()
    await card(page, 'Persisted task').waitFor()
    await screenshot(page, 'board-after-restart')
  })
})
