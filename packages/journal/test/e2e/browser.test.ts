import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LaunchedBrowser, launchChromium } from '../../../../test/e2e/chromium.js'
import type { Driver, Harness } from './page/page.js'

// The browser drivers in real Chromium: a page bundled with esbuild from the package's sources,
// served on loopback, driven by playwright-core. Each driver must keep a journal across a reload
// and keep two tabs that append to the same journal in step.
declare const harness: Harness

describe('browser drivers in Chromium', () => {
  let browser: LaunchedBrowser
  let origin: string
  const files = new Map<string, string>()
  const server = createServer((req, res) => {
    const body = files.get(req.url ?? '') ?? files.get('/')
    const type = req.url?.endsWith('.js') ? 'text/javascript' : 'text/html'
    res.writeHead(200, { 'content-type': type }).end(body)
  })

  beforeAll(async () => {
    const result = await build({
      entryPoints: {
        page: fileURLToPath(new URL('./page/page.ts', import.meta.url)),
        worker: fileURLToPath(new URL('./page/worker.ts', import.meta.url)),
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['@atoma/source'],
      outdir: '/',
      write: false,
      logLevel: 'silent',
    })
    for (const file of result.outputFiles) files.set(file.path, file.text)
    files.set('/', '<!doctype html><title>journal</title><script type="module" src="/page.js"></script>')
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    server.close()
  })

  async function tab(): Promise<Page> {
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    ;(page as Page & { errors: string[] }).errors = errors
    await page.goto(`${origin}/`)
    await page.waitForFunction(() => 'harness' in globalThis)
    return page
  }
  const open = (page: Page, driver: Driver, name: string) =>
    page.evaluate(([d, n]) => harness.open(d as Driver, n as string), [driver, name])
  const commit = (page: Page, key: string, value: number) =>
    page.evaluate(([k, v]) => harness.commit(k as string, v as number), [key, value] as const)

  const drivers: Driver[] = ['opfs', 'opfs-worker', 'indexeddb', 'local-storage']

  for (const driver of drivers) {
    it(`${driver}: keeps the journal across a reload`, async () => {
      const page = await tab()
      const info = await open(page, driver, `reload-${driver}`)
      if (driver === 'opfs-worker') expect(info.inPlace).toBe(true) // access handles in the worker
      if (driver === 'local-storage') expect(info.mode).toBe('sync')
      for (let i = 1; i <= 5; i++) await commit(page, `k${i}`, i)
      await page.reload()
      await page.waitForFunction(() => 'harness' in globalThis)
      await open(page, driver, `reload-${driver}`)
      expect(await page.evaluate(() => harness.state())).toEqual({
        items: { k1: 1, k2: 2, k3: 3, k4: 4, k5: 5 },
      })
      expect(await page.evaluate(() => harness.stats())).toMatchObject({ seq: 5, damage: [] })
      expect((page as Page & { errors: string[] }).errors).toEqual([])
      await page.close()
    })

    it(`${driver}: two tabs append to one journal and stay in step`, async () => {
      const name = `tabs-${driver}`
      const [first, second] = [await tab(), await tab()]
      await open(first, driver, name)
      await open(second, driver, name)
      const writes = (page: Page, prefix: string) =>
        page.evaluate(async (p) => {
          const seqs: number[] = []
          for (let i = 0; i < 8; i++) seqs.push(await harness.commit(`${p}${i}`, i))
          return seqs
        }, prefix)
      // The asynchronous drivers write at the same time; localStorage has no cross-tab lock, so
      // its tabs take turns (the README says why).
      const seqs =
        driver === 'local-storage'
          ? [...(await writes(first, 'a')), ...(await writes(second, 'b'))]
          : (await Promise.all([writes(first, 'a'), writes(second, 'b')])).flat()
      expect(seqs.toSorted((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1)) // no number twice
      await first.evaluate(() => harness.refreshUntil(16))
      await second.evaluate(() => harness.refreshUntil(16))
      const third = await tab()
      await open(third, driver, name)
      const stored = await third.evaluate(() => harness.state())
      expect(Object.keys(stored.items)).toHaveLength(16)
      expect(await first.evaluate(() => harness.state())).toEqual(stored)
      expect(await second.evaluate(() => harness.state())).toEqual(stored)
      for (const page of [first, second, third]) {
        expect((page as Page & { errors: string[] }).errors).toEqual([])
        await page.close()
      }
    })
  }
})
