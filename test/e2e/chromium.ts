import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'

/** Debian's Chromium, or the binary ATOMA_CHROMIUM names (see scripts/ensure-chromium.sh). */
export const chromiumPath = process.env.ATOMA_CHROMIUM ?? '/usr/bin/chromium'

// Flags that work on this project's machines: no sandbox as root, and nothing that phones home
// (the network is closed, and background connections would fail noisily).
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface LaunchedBrowser {
  context: BrowserContext
  close(): Promise<void>
}

/** Starts Chromium with a fresh profile directory that is removed again on close. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'atoma-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args,
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}
