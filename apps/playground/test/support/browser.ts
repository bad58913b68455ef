import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
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

/**
 * Screenshots of several pages side by side in one picture, each under a caption: composed by a
 * page of the browser itself, so no image library is needed.
 */
export async function sideBySide(
  context: BrowserContext,
  shots: readonly { page: Page; caption: string }[],
  path: string,
): Promise<void> {
  const images = await Promise.all(
    shots.map(async ({ page, caption }) => ({
      caption,
      src: `data:image/png;base64,${(await page.screenshot()).toString('base64')}`,
      width: page.viewportSize()?.width ?? 800,
    })),
  )
  const composer = await context.newPage()
  try {
    await composer.setViewportSize({
      width: images.reduce((sum, image) => sum + image.width + 24, 24),
      height: Math.max(...shots.map(({ page }) => page.viewportSize()?.height ?? 600)) + 72,
    })
    await composer.setContent(
      `<!doctype html><body style="margin:0;padding:12px;display:flex;gap:24px;background:#d9dce4;font:600 15px system-ui,sans-serif;color:#1d2330">${images
        .map(
          (image) =>
            `<figure style="margin:0;display:grid;gap:8px"><figcaption>${image.caption}</figcaption><img src="${image.src}" width="${image.width}" style="border-radius:8px;box-shadow:0 4px 16px rgb(20 24 40 / 18%)"></figure>`,
        )
        .join('')}</body>`,
    )
    await composer.waitForFunction(() => [...document.images].every((image) => image.complete))
    await composer.screenshot({ path })
  } finally {
    await composer.close()
  }
}
