import type { Page } from 'playwright-core'
import { type LaunchedBrowser, launchChromium } from '../../../test/e2e/chromium.js'
import { serveDir } from '../../../test/e2e/serveDir.js'
import { buildApp } from './build.js'
import { probeScript } from './probe.js'

/** One library's app, built and served, waiting for pages to be opened on it. */
export interface AppUnderTest {
  name: string
  url: string
  baseline: boolean
}

export interface AppEntry {
  name: string
  entry: string
  baseline?: boolean
}

/**
 * Builds and serves every app, runs `body` with a Chromium, and cleans everything up whatever
 * happens. Apps are built first, so `body` can interleave libraries and share the load drift.
 */
export async function withApps<R>(
  entries: readonly AppEntry[],
  body: (browser: LaunchedBrowser, apps: AppUnderTest[]) => Promise<R>,
): Promise<R> {
  const cleanups: (() => unknown)[] = []
  try {
    const apps: AppUnderTest[] = []
    for (const { name, entry, baseline } of entries) {
      const built = await buildApp(entry)
      cleanups.push(built.remove)
      const served = await serveDir(built.dir)
      cleanups.push(served.close)
      apps.push({ name, url: served.url, baseline: baseline === true })
    }
    const browser = await launchChromium()
    cleanups.push(browser.close)
    return await body(browser, apps)
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
}

/** A fresh page with the probe installed, once `ready` is in the DOM. Page errors are collected. */
export async function openPage(browser: LaunchedBrowser, url: string, ready: string): Promise<TestPage> {
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.addInitScript(probeScript)
  await page.goto(url)
  await page.waitForSelector(ready, { state: 'attached', timeout: 60_000 })
  return new TestPage(page, errors)
}

export class TestPage {
  constructor(
    readonly page: Page,
    private readonly errors: string[],
  ) {}

  /** Clicks and waits for the paint after it (setup steps, not timed). */
  async click(selector: string): Promise<void> {
    await this.page.click(selector)
    await this.page.evaluate('window.__bench.settled()')
    this.throwPageErrors()
  }

  /**
   * Clicks `selector` and returns the ms from the click to the next paint, or, with `until`, to
   * the DOM mutation after which the element `until.selector` shows `until.text`.
   */
  async timeClick(selector: string, until?: { selector: string; text: string }): Promise<number> {
    await this.page.evaluate(
      `window.__bench.arm(${JSON.stringify(until?.selector ?? null)}, ${JSON.stringify(until?.text ?? null)})`,
    )
    await this.page.click(selector)
    const ms = (await this.page.evaluate('window.__bench.result()')) as number
    await this.page.evaluate('window.__bench.settled()')
    this.throwPageErrors()
    return ms
  }

  /** Evaluates a JavaScript expression in the page (a string: the page runs it, not Node). */
  evaluate<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>
  }

  close(): Promise<void> {
    return this.page.close()
  }

  private throwPageErrors(): void {
    if (this.errors.length > 0) throw new Error(`page error: ${this.errors.join('; ')}`)
  }
}
