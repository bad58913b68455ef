#!/usr/bin/env node
// `npm start`: builds what the server needs, starts @atoma/server on the embedded database
// (PGlite, data in ./.atoma-data) and the playground's Vite dev server, which proxies /api to it.
// `npm run preview` (`--preview`): builds the playground for production and serves that build
// with Vite's preview server instead, the same proxy in front of the same server.
// Sign-in: the server checks JWTs (HS256) with the secret in ATOMA_JWT_SECRET, and a development
// endpoint beside it (POST /api/dev/sign-in) mints them for the playground's users; see
// apps/playground/server/playgroundServer.js. Ctrl-C stops both.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const app = join(root, 'apps/playground')
const previewMode = process.argv.includes('--preview')
const host = '127.0.0.1'

// A fixed development value, so tokens survive a restart of `npm start`. It is no secret: it is
// committed here, and it signs tokens only this local server accepts. Set ATOMA_JWT_SECRET to
// use another (at least 32 bytes).
const DEV_ONLY_JWT_SECRET = 'atoma-playground-development-only-not-a-real-secret'
const { ATOMA_JWT_SECRET: jwtSecret = DEV_ONLY_JWT_SECRET } = process.env

function step(text) {
  console.log(`\x1b[2m›\x1b[0m ${text}`)
}

function fail(text) {
  console.error(`\n\x1b[31m✖ ${text}\x1b[0m`)
  process.exit(1)
}

/** The packages the server runs from (their dist/); for preview also the playground's production build. */
function build() {
  const target = previewMode ? '@atoma/playground' : '@atoma/server'
  step(`Building ${target} and what it depends on (turbo, cached when nothing changed)…`)
  const turbo = join(root, 'node_modules/.bin/turbo')
  const result = spawnSync(turbo, ['run', 'build', `--filter=${target}...`, '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
    env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
  })
  if (result.error) fail(`Could not run turbo (${result.error.message}). Did \`npm install\` run?`)
  if (result.status !== 0) fail('The build failed (the output above says where). Nothing was started.')
}

function isFree(port) {
  return new Promise((resolve) => {
    const probe = createNetServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, host, () => probe.close(() => resolve(true)))
  })
}

/** The wanted port, or the next free one after it, said aloud. */
async function freePort(wanted, what) {
  for (let port = wanted; port < wanted + 20; port++) {
    if (await isFree(port)) {
      if (port !== wanted)
        console.log(`\x1b[33m! Port ${wanted} is busy: the ${what} uses ${port} instead.\x1b[0m`)
      return port
    }
  }
  fail(`Ports ${wanted} to ${wanted + 19} are all busy: stop what uses them and try again.`)
}

// PGlite cannot share a data directory between processes, and it does not lock it: a second
// `npm start` would corrupt the first one's data. This file says who has it open.
const dataDir = join(root, '.atoma-data')
const lockFile = join(dataDir, 'atoma-playground.pid')

function assertDataDirFree() {
  let pid
  try {
    pid = Number(readFileSync(lockFile, 'utf8'))
    process.kill(pid, 0)
  } catch (error) {
    // No lock file, or its process is gone (EPERM: alive, but someone else's).
    if (error.code !== 'EPERM') return
  }
  fail(
    `Another \`npm start\` (pid ${pid}) has ${dataDir} open, and PGlite cannot share it: stop that one ` +
      `first (if pid ${pid} is no playground, delete ${lockFile}).`,
  )
}

async function startApiServer() {
  const { startPlaygroundServer } = await import('../apps/playground/server/playgroundServer.js')
  const onPglite = !process.env.DATABASE_URL
  if (onPglite) assertDataDirFree()
  const port = await freePort(4000, 'server')
  step(
    onPglite ? `Starting @atoma/server on PGlite in ${dataDir}…` : 'Starting @atoma/server on DATABASE_URL…',
  )
  try {
    const server = await startPlaygroundServer({
      secret: jwtSecret,
      ...(onPglite ? { database: { kind: 'pglite', dataDir } } : {}),
      port,
      // The dev board's network control drives chaos; the production preview has none.
      chaos: !previewMode,
    })
    if (onPglite) {
      writeFileSync(lockFile, String(process.pid))
      process.on('exit', () => rmSync(lockFile, { force: true }))
    }
    return server
  } catch (error) {
    fail(`@atoma/server did not start: ${error instanceof Error ? error.message : String(error)}`)
  }
}

async function startWeb(apiServer) {
  // vite.config.ts reads where to proxy /api from here.
  process.env.ATOMA_API_URL = `http://${host}:${apiServer.port}`
  const vite = await import('vite')
  const options = { root: app, configFile: join(app, 'vite.config.ts') }
  if (previewMode) {
    const port = await freePort(4173, 'preview server')
    const server = await vite.preview({ ...options, preview: { port, strictPort: true } })
    return { server, close: () => server.close() }
  }
  const port = await freePort(5173, 'dev server')
  const server = await vite.createServer({ ...options, server: { port, strictPort: true } })
  await server.listen()
  return { server, close: () => server.close() }
}

build()
const apiServer = await startApiServer()
const web = await startWeb(apiServer).catch(async (error) => {
  await apiServer.close()
  fail(`Vite did not start: ${error instanceof Error ? error.message : String(error)}`)
})
const url = web.server.resolvedUrls?.local[0] ?? '(no local URL)'

console.log(`
  \x1b[1mAtoma playground\x1b[0m ${previewMode ? '(production build)' : '(development, devtools on)'}

  app     \x1b[36m${url}\x1b[0m
  server  ${apiServer.url}   offline board: ${url}#/offline
  users   Ada and Grace (sign in as either; tokens from ${apiServer.url}/dev/sign-in)

  Ctrl-C stops both.
`)

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  step('Stopping…')
  await Promise.allSettled([web.close(), apiServer.close()])
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
