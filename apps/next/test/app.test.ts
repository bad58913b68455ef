import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { OpsResponse } from '@atoma/runtime/protocol'
import { type CollectionConfig, type RunningServer, startServer } from '@atoma/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LaunchedBrowser, launchChromium } from '../../../test/e2e/chromium.js'

const app = fileURLToPath(new URL('..', import.meta.url))
const next = fileURLToPath(new URL('../../../node_modules/.bin/next', import.meta.url))
const { collections } = JSON.parse(
  readFileSync(new URL('../atoma.config.json', import.meta.url), 'utf8'),
) as {
  collections: CollectionConfig[]
}
// No telemetry (the network is closed) and a production server.
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' }
const SEEDED = ['Prefetched on the server', 'Hydrated without a fetch']

let api: RunningServer
let web: { url: string; process: ChildProcess }
let browser: LaunchedBrowser

/** Runs a command to its end, failing with its output. */
function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`))
    })
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** `next start` on loopback, resolved once it answers. */
async function startNext(apiUrl: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort()
  const child = spawn(next, ['start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: app,
    env: { ...env, ATOMA_API_URL: apiUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const url = `http://127.0.0.1:${port}`
  for (let tries = 0; tries < 300; tries++) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`)
    const up = await fetch(`${url}/api/health`).then(
      (response) => response.ok,
      () => false,
    )
    if (up) return { url, process: child }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill()
  throw new Error(`next start did not answer:\n${output}`)
}

async function serverTitles(): Promise<string[]> {
  const response = await fetch(`${api.url}/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ops: [{ opId: 'check', kind: 'query', store: 'tasks', query: {} }] }),
  })
  const [result] = ((await response.json()) as OpsResponse).results
  if (!result?.ok || result.kind !== 'query') throw new Error(`query failed: ${JSON.stringify(result)}`)
  return result.items.map((item) => (item.value as { title: string }).title)
}

beforeAll(async () => {
  // `npm run build` (turbo) builds the app; a run of this project alone builds it here.
  if (!existsSync(new URL('../.next/BUILD_ID', import.meta.url))) await run(next, ['build'], 220_000)
  api = await startServer({ collections, database: { kind: 'memory' }, port: 0, basePath: '/api' })
  const entries = SEEDED.map((title, i) => ({
    entryId: `e${i}`,
    op: 'create',
    id: `seed-${i}`,
    value: { id: `seed-${i}`, title, done: false, createdAt: i },
    idempotencyKey: `seed-${i}`,
    clientTimeMs: 0,
  }))
  await fetch(`${api.url}/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ops: [{ opId: 'seed', kind: 'write', store: 'tasks', entries }] }),
  })
  web = await startNext(api.url)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  web?.process.kill()
  await api?.close()
})

describe('the Next.js App Router example', () => {
  it('renders the prefetched list in the server HTML, with status success', async () => {
    const html = await (await fetch(web.url)).text()
    for (const title of SEEDED) expect(html).toContain(title)
    expect(html).toContain('data-status="success"')
  })

  it('hydrates without warnings or a fetch, and writes optimistically', async () => {
    const page = await browser.context.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`)
    })
    const ops: string[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/api/ops')) ops.push(request.postData() ?? '')
    })
    await page.goto(web.url)
    await page.locator('section[data-hydrated="true"][data-status="success"]').waitFor()
    expect(await page.locator('li').allTextContents()).toEqual(SEEDED.map((title) => ` ${title}`))
    // Fresh within staleTime: hydration asked the server nothing.
    expect(ops).toEqual([])

    // The write shows before the server answers (pending), then confirmed.
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    await page.route('**/api/ops', async (route) => {
      await held
      await route.continue()
    })
    await page.getByLabel('New task').fill('Written from the island')
    await page.getByRole('button', { name: 'Add' }).click()
    const row = page.locator('li', { hasText: 'Written from the island' })
    await row.and(page.locator('[data-pending="true"]')).waitFor()
    expect(await serverTitles()).not.toContain('Written from the island')
    release()
    await row.and(page.locator('[data-pending="false"]')).waitFor()
    expect(await serverTitles()).toContain('Written from the island')
    expect(ops).toHaveLength(1)
    expect(JSON.parse(ops[0] ?? '{}').ops[0].kind).toBe('write')
    expect(problems).toEqual([])
    await page.close()
  })
})
