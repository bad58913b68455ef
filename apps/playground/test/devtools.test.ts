import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { RunningServer } from '@atoma/server'
import type { Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startApi } from './support/api.js'
import { card, editTitle, expectConfirmed, openBoard } from './support/board.js'
import { type LaunchedBrowser, launchChromium, screenshot, watchConsole } from './support/browser.js'
import { freshDataDir, removeDataDir } from './support/globalSetup.js'
import { startDevServer, type Web } from './support/web.js'

// The README's picture; rewritten when missing or when ATOMA_DOCS_SCREENSHOT=1, so that a test
// run does not leave a changed binary in the working tree every time.
const docsScreenshot = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url))

describe('devtools panel in the playground', () => {
  const dataDir = freshDataDir(inject('pgliteTemplate'))
  let api: RunningServer
  let web: Web
  let browser: LaunchedBrowser

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

  it('jumps to the state before an edit and back to live, without sending a request', async () => {
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 1440, height: 900 })
    const console_ = watchConsole(page)
    let opsRequests = 0
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/ops') opsRequests++
    })
    await openBoard(page, web.url)
    await editTitle(page, 'Pick a color palette', 'Pick a bold palette')
    await expectConfirmed(page, 'Pick a bold palette')

    await page.getByRole('button', { name: 'Atoma devtools' }).click()
    const panel = page.getByRole('region', { name: 'Atoma devtools' })
    await panel.getByRole('tab', { name: 'Time travel' }).click()
    await panel.getByLabel('Store').selectOption('tasks')
    await selectLast(panel.getByRole('listbox', { name: 'History of tasks' }), 'optimistic:patch')
    const before = opsRequests

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
    expect(opsRequests).toBe(before)

    // The picture for the README: the edit's transaction with its patches and diff.
    await panel.getByRole('tab', { name: 'Transactions' }).click()
    await selectLast(panel.getByRole('listbox', { name: 'Transactions' }), 'optimistic:patch')
    await screenshot(page, 'devtools-transaction')
    if (!existsSync(docsScreenshot) || process.env.ATOMA_DOCS_SCREENSHOT === '1')
      await page.screenshot({ path: docsScreenshot })
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
