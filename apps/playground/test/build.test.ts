import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { startApi } from './support/api.js'
import { expectConfirmed, openBoard } from './support/board.js'
import { launchChromium, screenshot, watchConsole } from './support/browser.js'
import { freshDataDir, removeDataDir } from './support/globalSetup.js'
import { startPreview } from './support/web.js'

const root = fileURLToPath(new URL('..', import.meta.url))
// The attribute the real panel puts on its host element (@atoma/devtools' HOST_ATTRIBUTE).
const PANEL_MARKER = 'data-atoma-devtools'

/** `vite build` as `npm run build` runs it, into `outDir`; answers the assets' text. */
async function buildInto(outDir: string, env: Record<string, string> = {}): Promise<string> {
  const saved = { ...process.env }
  // Vitest runs with NODE_ENV=test, which would make Vite resolve the `development` conditions.
  Object.assign(process.env, { NODE_ENV: 'production', ...env })
  try {
    await build({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    })
  } finally {
    process.env = saved
  }
  const assets = join(outDir, 'assets')
  return readdirSync(assets)
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n')
}

describe('production build', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'atoma-playground-build-'))
  afterAll(() => rmSync(outDir, { recursive: true, force: true }))

  it('ships no devtools panel unless VITE_ATOMA_DEVTOOLS=true asks for it', async () => {
    const withPanel = mkdtempSync(join(tmpdir(), 'atoma-playground-build-'))
    try {
      expect(await buildInto(withPanel, { VITE_ATOMA_DEVTOOLS: 'true' })).toContain(PANEL_MARKER)
    } finally {
      rmSync(withPanel, { recursive: true, force: true })
    }
    expect(await buildInto(outDir)).not.toContain(PANEL_MARKER)
  })

  it('runs as `npm run preview` serves it: the board against the server, no devtools, no network control', async () => {
    const dataDir = freshDataDir(inject('pgliteTemplate'))
    const api = await startApi(dataDir)
    const web = await startPreview(`http://127.0.0.1:${api.port}`, outDir)
    const browser = await launchChromium()
    try {
      const page = await browser.context.newPage()
      const console_ = watchConsole(page)
      await openBoard(page, web.url)
      await page.getByLabel('New task title').fill('Ship it')
      await page.getByRole('button', { name: 'Add task' }).click()
      await expectConfirmed(page, 'Ship it')
      expect(await page.getByRole('button', { name: 'Atoma devtools' }).count()).toBe(0)
      expect(await page.getByText('Network:').count()).toBe(0)
      await screenshot(page, 'production-build')
      expect(console_.unexpected()).toEqual([])
    } finally {
      await browser.close()
      await web.close()
      await api.close()
      removeDataDir(dataDir)
    }
  })
})
