import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LaunchedBrowser, launchChromium } from '../../../../test/e2e/chromium.js'
import type { Driver, Harness } from './page/page.js'
import type { Persisted } from './page/persist.js'

// The browser drivers in real Chromium: pages bundled with esbuild from the packages' sources,
// served on loopback, driven by playwright-core. Each driver must keep a journal across a reload
// and keep two tabs that append to the same journal in step — the journal alone (`/`), and a
// runtime's store through persist (`/persist`).
declare const harness: Harness
declare const persisted: Persisted

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
        persist: fileURLToPath(new URL('./page/persist.ts', import.meta.url)),
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
    files.set(
      '/persist',
      '<!doctype html><title>persist</title><script type="module" src="/persist.js"></script>',
    )
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    server.close()
  })

  async function tab(path = '/', global = 'harness'): Promise<Page> {
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    ;(page as Page & { errors: string[] }).errors = errors
    await page.goto(`${origin}${path}`)
    await page.waitForFunction((name) => name in globalThis, global)
    return page
  }
  const errorsOf = (page: Page) => (page as Page & { errors: string[] }).errors
  /** What a third tab reads must be what both writers hold — 16 items — with no error anywhere. */
  async function expectInStep<S extends { items: object }>(
    writers: Page[],
    third: Page,
    state: (page: Page) => Promise<S>,
  ): Promise<void> {
    const stored = await state(third)
    expect(Object.keys(stored.items)).toHaveLength(16)
    for (const page of writers) expect(await state(page)).toEqual(stored)
    for (const page of [...writers, third]) {
      expect(errorsOf(page)).toEqual([])
      await page.close()
    }
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
      expect(errorsOf(page)).toEqual([])
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
      // its tabs take turns (the README says why), the second once it sees the first's writes:
      // localStorage reaches another tab a little later.
      const takeTurns = async () => {
        const a = await writes(first, 'a')
        await second.evaluate(() => harness.refreshUntil(8))
        return [...a, ...(await writes(second, 'b'))]
      }
      const seqs =
        driver === 'local-storage'
          ? await takeTurns()
          : (await Promise.all([writes(first, 'a'), writes(second, 'b')])).flat()
      expect(seqs.toSorted((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1)) // no number twice
      await first.evaluate(() => harness.refreshUntil(16))
      await second.evaluate(() => harness.refreshUntil(16))
      const third = await tab()
      await open(third, driver, name)
      await expectInStep([first, second], third, (page) => page.evaluate(() => harness.state()))
    })
  }

  describe('persist', () => {
    const persistTab = () => tab('/persist', 'persisted')
    const openStore = (page: Page, driver: Driver, name: string) =>
      page.evaluate(([d, n]) => persisted.open(d as Driver, n as string), [driver, name])

    for (const driver of drivers) {
      it(`${driver}: a persisted store comes back after a reload`, async () => {
        const page = await persistTab()
        const first = await openStore(page, driver, `reload-${driver}`)
        expect(first.status).toBe('hydrated')
        await page.evaluate(async () => {
          for (let i = 1; i <= 5; i++) persisted.add(`k${i}`, i)
          await persisted.flush()
        })
        await page.reload()
        await page.waitForFunction(() => 'persisted' in globalThis)
        const reopened = await openStore(page, driver, `reload-${driver}`)
        const expected = {
          items: { k1: 1, k2: 2, k3: 3, k4: 4, k5: 5 },
          order: ['k1', 'k2', 'k3', 'k4', 'k5'],
        }
        if (driver === 'local-storage') {
          // Synchronous: hydrated inside createRuntime, before anything could render.
          expect(reopened.atCreate).toEqual({ status: 'hydrated', state: expected })
        } else {
          expect(reopened.atCreate.status).toBe('hydrating')
        }
        expect(await page.evaluate(() => persisted.state())).toEqual(expected)
        expect(await page.evaluate(() => persisted.origins())).toEqual([{ kind: 'hydrate', name: 'persist' }])
        expect(await page.evaluate(() => persisted.stats())).toMatchObject({ seq: 1, pending: 0, damage: [] })
        expect(errorsOf(page)).toEqual([])
        await page.close()
      })

      it(`${driver}: two tabs writing to one persisted store stay in step`, async () => {
        const name = `tabs-${driver}`
        const [first, second] = [await persistTab(), await persistTab()]
        await openStore(first, driver, name)
        await openStore(second, driver, name)
        const writes = (page: Page, prefix: string) =>
          page.evaluate(async (p) => {
            for (let i = 0; i < 8; i++) {
              persisted.add(`${p}${i}`, i)
              await persisted.flush()
            }
          }, prefix)
        // localStorage has no cross-tab lock, so its tabs take turns (see the README).
        if (driver === 'local-storage') {
          await writes(first, 'a')
          await second.evaluate(() => persisted.until(8))
          await writes(second, 'b')
        } else await Promise.all([writes(first, 'a'), writes(second, 'b')])
        await first.evaluate(() => persisted.until(16))
        await second.evaluate(() => persisted.until(16))
        // The other tab's commits arrived as `sync` transactions.
        expect(await first.evaluate(() => persisted.origins().map((o) => o.kind))).toContain('sync')
        const third = await persistTab()
        await openStore(third, driver, name)
        expect((await third.evaluate(() => persisted.state())).order).toHaveLength(16)
        await expectInStep([first, second], third, (page) => page.evaluate(() => persisted.state()))
      })
    }
  })
})
