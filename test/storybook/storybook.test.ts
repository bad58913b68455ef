import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LaunchedBrowser, launchChromium } from '../e2e/chromium.js'
import { type Served, serveDir } from '../e2e/serveDir.js'

// Builds Storybook (unless storybook-static is newer than everything it is built from), serves it
// on loopback, and opens every story in real Chromium: no console or page error, no request off
// loopback, a screenshot each, and the panel's isolation from the host page's styles.

const root = fileURLToPath(new URL('../../', import.meta.url))
const staticDir = join(root, 'storybook-static')
const INPUTS = [
  '.storybook',
  'packages/devtools/src',
  'packages/devtools/stories',
  'packages/devtools/scripts',
  'packages/logic/src',
  'packages/runtime/src',
  'packages/react/src',
  'package-lock.json',
]

function newest(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))))
}

function isFresh(): boolean {
  const index = join(staticDir, 'index.json')
  return (
    existsSync(index) &&
    statSync(index).mtimeMs > Math.max(...INPUTS.map((input) => newest(join(root, input))))
  )
}

async function buildStorybook(): Promise<void> {
  const bin = join(root, 'node_modules/storybook/dist/bin/dispatcher.js')
  const output: string[] = []
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, [bin, 'build', '--quiet', '--output-dir', staticDir], { cwd: root })
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    child.on('close', done)
  })
  if (code !== 0) throw new Error(`storybook build failed (${code}):\n${output.join('')}`)
}

/** Computed styles of the panel's elements, read inside its shadow root. */
function panelStyles(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.evaluate(() => {
    const shadow = document.querySelector('[data-atoma-devtools]')?.shadowRoot
    if (!shadow) throw new Error('no panel host')
    const properties = [
      'color',
      'font-size',
      'font-family',
      'line-height',
      'letter-spacing',
      'background-color',
      'padding-top',
      'display',
    ]
    const out: Record<string, Record<string, string>> = {}
    for (const selector of [
      '.atoma-root',
      '.atoma-toggle',
      '.atoma-dock',
      '[role="tab"]',
      '[role="option"]',
      '[role="treeitem"]',
      '.atoma-button',
    ]) {
      const element = shadow.querySelector(selector)
      if (!element) continue
      const style = getComputedStyle(element)
      out[selector] = Object.fromEntries(properties.map((name) => [name, style.getPropertyValue(name)]))
    }
    return out
  })
}

function probeStyle(page: Page): Promise<string> {
  return page.evaluate(() => {
    const probe = document.querySelector('[data-host-probe]')
    if (!probe) throw new Error('no host probe')
    const style = getComputedStyle(probe)
    return ['color', 'font-size', 'font-family', 'line-height', 'letter-spacing', 'margin-top', 'display']
      .map((name) => `${name}:${style.getPropertyValue(name)}`)
      .join(';')
  })
}

describe('Storybook in Chromium', () => {
  let browser: LaunchedBrowser
  let served: Served | undefined
  let base = ''
  let storyIds: string[] = []
  const shots = mkdtempSync(join(tmpdir(), 'atoma-storybook-'))
  const offLoopback: string[] = []

  beforeAll(async () => {
    const started = performance.now()
    const reused = isFresh()
    if (!reused) await buildStorybook()
    const index = JSON.parse(readFileSync(join(staticDir, 'index.json'), 'utf8')) as {
      entries: Record<string, { id: string; type: string }>
    }
    storyIds = Object.values(index.entries)
      .filter((entry) => entry.type === 'story')
      .map((entry) => entry.id)
    served = await serveDir(staticDir)
    base = served.url.replace(/\/$/, '')
    browser = await launchChromium()
    await browser.context.route('**/*', (route) => {
      const url = new URL(route.request().url())
      if (url.hostname === '127.0.0.1') return route.continue()
      offLoopback.push(url.href)
      return route.abort()
    })
    console.log(
      `Storybook ${reused ? 'reused (fresh)' : 'built'} in ${((performance.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`,
    )
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('has a story for every view', () => {
    expect(storyIds).toEqual(
      expect.arrayContaining([
        'devtools-panel--timeline',
        'devtools-panel--transactions',
        'devtools-panel--state',
        'devtools-panel--time-travel',
        'devtools-panel--time-travel-slider',
        'devtools-panel--time-travel-skip',
        'devtools-panel--time-travel-recording',
        'devtools-panel--state-search',
        'devtools-panel--dispatch',
        'devtools-panel--dispatch-refused',
        'devtools-panel--compare-transactions',
        'devtools-panel--ops',
        'devtools-panel--ops-route',
        'devtools-panel--sync',
        'devtools-panel--logic',
        'devtools-panel--logic-chain',
        'devtools-panel--docked-right',
        'devtools-panel--docked-left',
        'hooks-todo-app--queries',
        'hooks-todo-app--mutations',
      ]),
    )
  })

  it('renders every story without errors, isolated from the host page’s styles', async () => {
    // A few pages at a time: each story loads a fresh page, and most of the time is waiting.
    const queue = [...storyIds]
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) await checkStory(id)
    }
    await Promise.all([worker(), worker(), worker()])
    expect(offLoopback).toEqual([])
  }, 300_000)

  async function checkStory(id: string): Promise<void> {
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`)
    })
    page.on('pageerror', (error) => errors.push(`page: ${error.message}`))
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(`${base}/iframe.html?id=${id}&viewMode=story`)
    await page.waitForFunction(
      () =>
        (window as { __STORYBOOK_PREVIEW__?: { currentRender?: { phase?: string } } }).__STORYBOOK_PREVIEW__
          ?.currentRender?.phase === 'finished',
      undefined,
      { timeout: 30_000 },
    )
    expect(await page.evaluate(() => document.body.classList.contains('sb-show-errordisplay')), id).toBe(
      false,
    )
    await page.screenshot({ path: join(shots, `${id}.png`) })

    // The panel's styles stay in its shadow root: no page stylesheet knows its classes, and
    // taking its host element away changes nothing on the host page.
    const leaked = await page.evaluate(() =>
      [...document.styleSheets].some((sheet) =>
        [...sheet.cssRules].some((rule) => rule.cssText.includes('atoma-')),
      ),
    )
    expect(leaked, id).toBe(false)
    const probe = await probeStyle(page)
    const before = await panelStyles(page)
    expect(Object.keys(before), id).toContain('.atoma-toggle')

    // A hostile host stylesheet does not reach inside (and does change the host page).
    await page.addStyleTag({ content: '* { color: red !important; font-size: 40px !important }' })
    expect(await panelStyles(page), id).toEqual(before)
    expect(await probeStyle(page), id).not.toBe(probe)
    await page.evaluate(() => {
      for (const style of document.querySelectorAll('style'))
        if (style.textContent?.includes('red !important')) style.remove()
      document.querySelector('[data-atoma-devtools]')?.remove()
    })
    expect(await probeStyle(page), id).toBe(probe)

    expect(errors, id).toEqual([])
    await page.close()
  }
})
