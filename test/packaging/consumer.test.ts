import { lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LaunchedBrowser, launchChromium } from '../e2e/chromium.js'
import { type Served, serveDir } from '../e2e/serveDir.js'
import { bin, manifest, pack, root, run } from './support.js'

// An app outside the workspace, installed the way a user installs Atoma: the packed tarballs of
// runtime, react and devtools, with React and Vite from the registry (the versions this
// repository uses, so npm's cache has them). It typechecks, builds with Vite and renders in
// Chromium.
const scratch = mkdtempSync(join(tmpdir(), 'atoma-consumer-'))
const app = join(scratch, 'app')
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The version of a package installed in the workspace. */
const installed = (name: string) => manifest(join(root, 'node_modules', name)).version

const main = `import { DevtoolsPanel } from '@atoma/devtools'
import { RuntimeProvider, useMutation, useQuery, useStore } from '@atoma/react'
import { createRuntime, defineCollection, defineStore, memoryBackend } from '@atoma/runtime'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

interface Todo {
  id: string
  title: string
  done: boolean
}
const todos = defineCollection<Todo>('todos', { key: 'id' })
const ui = defineStore('ui', { initial: { heading: 'Todos from tarballs' } })
const runtime = createRuntime({
  stores: [todos, ui],
  plugins: [
    memoryBackend({
      seed: { todos: [{ id: '1', title: 'Write docs', done: false }, { id: '2', title: 'Ship', done: true }] },
    }),
  ],
})

function App() {
  const heading = useStore(ui, (state) => state.heading)
  const { data, status } = useQuery(todos, { orderBy: [['id', 'asc']] })
  const add = useMutation(todos, (write, title: string) => write.create({ id: '3', title, done: false }))
  return (
    <main>
      <h1>{heading}</h1>
      <p id="status">{status}</p>
      <ul id="list">
        {data.map((todo) => (
          <li key={todo.id}>{todo.title}</li>
        ))}
      </ul>
      <button id="add" type="button" onClick={() => add.mutate('Added from the page')}>
        Add
      </button>
      <DevtoolsPanel />
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RuntimeProvider runtime={runtime}>
      <App />
    </RuntimeProvider>
  </StrictMode>,
)
`

function write(file: string, text: string): void {
  mkdirSync(join(app, file, '..'), { recursive: true })
  writeFileSync(join(app, file), text)
}

describe('an app installed from the packed tarballs', () => {
  let served: Served | undefined
  let browser: LaunchedBrowser | undefined

  beforeAll(async () => {
    const tarballs = join(scratch, 'tarballs')
    const packed = {
      runtime: await pack('runtime', tarballs),
      react: await pack('react', tarballs),
      devtools: await pack('devtools', tarballs),
    }
    write(
      'package.json',
      JSON.stringify({
        name: 'atoma-consumer',
        private: true,
        type: 'module',
        dependencies: {
          '@atoma/devtools': `file:${packed.devtools}`,
          '@atoma/react': `file:${packed.react}`,
          '@atoma/runtime': `file:${packed.runtime}`,
          react: installed('react'),
          'react-dom': installed('react-dom'),
        },
        devDependencies: {
          '@types/react': installed('@types/react'),
          '@types/react-dom': installed('@types/react-dom'),
          vite: installed('vite'),
        },
      }),
    )
    // Strict, without skipLibCheck: the published declarations must compile in an app that has
    // none of this repository's settings (no Node types, no custom conditions).
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          module: 'ESNext',
          moduleResolution: 'bundler',
          jsx: 'react-jsx',
          strict: true,
          noEmit: true,
          types: [],
        },
        include: ['src'],
      }),
    )
    write(
      'index.html',
      '<!doctype html><html><head><title>consumer</title><link rel="icon" href="data:,"></head><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>',
    )
    write('src/main.tsx', main)

    const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: app,
      timeoutMs: 180_000,
    })
    if (install.code !== 0) throw new Error(install.output)
  })

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('has one copy of each Atoma package, from the tarballs, not linked to the workspace', () => {
    for (const name of ['runtime', 'react', 'devtools']) {
      const dir = join(app, 'node_modules/@atoma', name)
      expect(lstatSync(dir).isSymbolicLink(), dir).toBe(false)
      expect(manifest(dir).version).toBe(manifest(join(root, 'packages', name)).version)
    }
    // @atoma/runtime is a peer of react and devtools: installed once, at the top.
    for (const name of ['react', 'devtools'])
      expect(() => lstatSync(join(app, 'node_modules/@atoma', name, 'node_modules/@atoma/runtime'))).toThrow()
  })

  it('typechecks against the published declarations', async () => {
    const checked = await run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: app, timeoutMs: 120_000 })
    expect(checked.code, checked.output).toBe(0)
  })

  it('builds with Vite and renders in Chromium: the query, an optimistic write, no devtools, no errors', async () => {
    // As a user runs it: Vitest's NODE_ENV=test would make Vite pick the `development` conditions.
    const built = await run(join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
      cwd: app,
      timeoutMs: 120_000,
      env: { NODE_ENV: 'production' },
    })
    expect(built.code, built.output).toBe(0)

    served = await serveDir(join(app, 'dist'))
    browser = await launchChromium()
    const tab = await browser.context.newPage()
    const problems: string[] = []
    tab.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console.${message.type()}: ${message.text()}`)
    })
    await tab.goto(served.url)

    await tab.waitForFunction(() => document.querySelector('#status')?.textContent === 'success')
    expect(await tab.textContent('h1')).toBe('Todos from tarballs')
    expect(await tab.locator('#list li').allTextContents()).toEqual(['Write docs', 'Ship'])
    await tab.click('#add')
    await tab.waitForFunction(() => document.querySelectorAll('#list li').length === 3)
    expect(await tab.locator('#list li').allTextContents()).toEqual([
      'Write docs',
      'Ship',
      'Added from the page',
    ])
    // A production build resolves @atoma/devtools to its no-op entry: no panel host in the page.
    expect(await tab.locator('[data-atoma-devtools]').count()).toBe(0)
    expect(problems).toEqual([])
  })
})
