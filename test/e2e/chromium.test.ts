import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LaunchedBrowser, launchChromium } from './chromium.js'

// The end-to-end harness itself: Debian's Chromium, driven by playwright-core, against a page
// served on loopback. Later suites (playground, Storybook, benchmarks) stand on this.
const page = `<!doctype html><title>harness</title>
<button id="go" onclick="document.getElementById('out').textContent = 'clicked ' + (1 + 1)">go</button>
<p id="out">idle</p>`

describe('e2e harness', () => {
  let browser: LaunchedBrowser
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page))

  beforeAll(async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    server.close()
  })

  it('runs scripts in real Chromium, clicks, and takes a screenshot', async () => {
    const { port } = server.address() as AddressInfo
    const tab = await browser.context.newPage()
    const errors: string[] = []
    tab.on('pageerror', (e) => errors.push(e.message))
    await tab.goto(`http://127.0.0.1:${port}/`)
    expect(await tab.textContent('#out')).toBe('idle')
    await tab.click('#go')
    expect(await tab.textContent('#out')).toBe('clicked 2')
    expect(await tab.evaluate(() => navigator.userAgent)).toMatch(/Chrome\//)
    const shot = join(mkdtempSync(join(tmpdir(), 'atoma-shot-')), 'harness.png')
    const png = await tab.screenshot({ path: shot })
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(errors).toEqual([])
  })
})
