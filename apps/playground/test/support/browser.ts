import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { type LaunchedBrowser, launchChromium } from '../../../../test/e2e/chromium.js'

export type { LaunchedBrowser }
export { launchChromium }

/** Where every scenario leaves its screenshots (gitignored); the run prints it. */
export const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url))
mkdirSync(screenshotDir, { recursive: true })
console.log(`playground screenshots: ${screenshotDir}`)

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(screenshotDir, `${name}.png`)
  await page.screenshot({ path })
  return path
}

/**
 * Records the page's console errors and uncaught exceptions. A scenario that provokes errors
 * lists the ones it expects with `expect()`; `unexpected()` is what remains and must be empty.
 */
export function watchConsole(page: Page) {
  const errors: string[] = []
  const expected: RegExp[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
  return {
    expect(pattern: RegExp) {
      expected.push(pattern)
    },
    unexpected: () => errors.filter((text) => !expected.some((pattern) => pattern.test(text))),
  }
}
