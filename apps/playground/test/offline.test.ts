import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { card, editTitle, expectConfirmed, openBoard } from './support/board.js'
import { type LaunchedBrowser, launchChromium, screenshot, watchConsole } from './support/browser.js'
import { startDevServer, type Web } from './support/web.js'

// The offline board needs no server: its runtime has only indexedDbBackend (policy local-first).
// The proxy points at a port nobody listens on, and the page must not ask it anything.
describe('offline board (IndexedDB, local-first)', () => {
  let web: Web
  let browser: LaunchedBrowser

  beforeAll(async () => {
    web = await startDevServer('http://127.0.0.1:9')
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await web?.close()
  })

  it('keeps tasks in IndexedDB across a reload, without a request to the server', async () => {
    const page = await browser.context.newPage()
    const console_ = watchConsole(page)
    const apiRequests: string[] = []
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api')) apiRequests.push(request.url())
    })
    await openBoard(page, `${web.url}#/offline`)
    await page.getByLabel('New task title').fill('Water the plants')
    await page.getByRole('button', { name: 'Add task' }).click()
    await expectConfirmed(page, 'Water the plants')
    await page.getByRole('button', { name: 'Mobile app' }).click()
    await editTitle(page, 'Dark theme', 'Dark and light themes')
    await expectConfirmed(page, 'Dark and light themes')
    await card(page, 'Offline mode for the reader').dragTo(page.getByRole('region', { name: 'Done' }))
    await expectConfirmed(page, 'Offline mode for the reader')

    await page.reload()
    await card(page, 'Water the plants').waitFor()
    await page.getByRole('button', { name: 'Mobile app' }).click()
    await card(page, 'Dark and light themes').waitFor()
    await page
      .getByRole('region', { name: 'Done' })
      .locator(card(page, 'Offline mode for the reader'))
      .waitFor()
    await screenshot(page, 'offline-after-reload')

    const databases = await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name))
    expect(databases).toContain('atoma-playground')
    expect(apiRequests).toEqual([])
    expect(console_.unexpected()).toEqual([])
  })
})
