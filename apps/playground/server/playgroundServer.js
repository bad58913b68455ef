// The server `npm start` runs (and the end-to-end tests, the same way): @atoma/server with the
// playground's collections and rules under /api, JWT sign-in, and beside it one development
// endpoint that mints those tokens, standing in for an identity provider.
//
// Plain JavaScript, because the start script runs it in Node without a build step.

import { randomUUID } from 'node:crypto'
import { createServer, jwtAuthenticate } from '@atoma/server'
import { SignJWT } from 'jose'
import { PROFILES, SEED } from '../src/data/sampleData.js'
import { USERS } from '../src/data/users.js'
import { collections } from './collections.js'

/** @import { IncomingMessage, ServerResponse } from 'node:http' */
/** @import { DatabaseOptions, RunningServer } from '@atoma/server' */

const BASE_PATH = '/api'
const SIGN_IN_PATH = `${BASE_PATH}/dev/sign-in`
const ISSUER = 'atoma-playground'
const AUDIENCE = 'atoma-playground'
const MAX_SESSION_SEC = 24 * 60 * 60
const LOOPBACK = new Set(['127.0.0.1', 'localhost'])

/**
 * @typedef {object} PlaygroundServerOptions
 * @property {string} secret The HS256 secret tokens are signed and checked with (at least 32 bytes).
 * @property {DatabaseOptions} [database] Default: PostgreSQL at `DATABASE_URL`, else PGlite in `./.atoma-data`.
 * @property {number} [port] Default 0: a free port.
 * @property {boolean} [chaos] Enable the server's chaos option (the network control of the dev board).
 */

/**
 * @typedef {RunningServer & { mintToken(user: string, expiresInSec?: number): Promise<string> }} PlaygroundServer
 */

/**
 * Starts the server on 127.0.0.1 and seeds the database when nobody has a project yet.
 * @param {PlaygroundServerOptions} options
 * @returns {Promise<PlaygroundServer>}
 */
export async function startPlaygroundServer({ secret, database, port = 0, chaos = false }) {
  const key = new TextEncoder().encode(secret)
  const atoma = await createServer({
    collections,
    // The issuer is this process, on the same clock: no skew to tolerate, so a 10-second session
    // ends after 10 seconds (the sign-in picker offers one, to watch a session expire).
    authenticate: jwtAuthenticate({ secret, issuer: ISSUER, audience: AUDIENCE, clockToleranceSec: 0 }),
    ...(database ? { database } : {}),
    host: '127.0.0.1',
    port,
    basePath: BASE_PATH,
    // The Vite proxy forwards the page's Host: this address, on Vite's port.
    allowedHosts: ['127.0.0.1', 'localhost'],
    ...(chaos ? { chaos: {} } : {}),
  })
  /** @param {string} user @param {number} [expiresInSec] */
  const mintToken = (user, expiresInSec = 60 * 60) => mint(key, user, expiresInSec)
  // The sign-in endpoint goes in front of the server's own handler, on its own HTTP server, so
  // that close() still ends everything (poke streams first).
  atoma.httpServer.off('request', atoma.handler)
  atoma.httpServer.on('request', (req, res) => {
    if (req.url === SIGN_IN_PATH) void signIn(req, res, mintToken)
    else atoma.handler(req, res)
  })
  try {
    const server = Object.assign(atoma, await atoma.listen(), { mintToken })
    await seedIfEmpty(server)
    return server
  } catch (error) {
    await atoma.close()
    throw error
  }
}

/**
 * @param {Uint8Array} key
 * @param {string} user
 * @param {number} expiresInSec
 */
async function mint(key, user, expiresInSec) {
  const known = USERS.find((candidate) => candidate.id === user)
  if (!known) throw new Error(`no user ${JSON.stringify(user)}`)
  return new SignJWT({ name: known.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(known.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSec)
    .sign(key)
}

/**
 * `POST /api/dev/sign-in` `{ user, expiresInSec? }` → `{ token, user, expiresAt }`. Development
 * only: it hands a token to whoever asks, so it answers only loopback names (a page on another
 * domain that resolves to 127.0.0.1 gets nothing) and only JSON (a cross-site form cannot post it).
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {(user: string, expiresInSec: number) => Promise<string>} mintToken
 */
async function signIn(req, res, mintToken) {
  /** @param {number} status @param {unknown} body */
  const answer = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }
  const refuse = (/** @type {number} */ status, /** @type {string} */ message) =>
    answer(status, {
      error: { code: status === 400 ? 'VALIDATION' : 'FORBIDDEN', message, retryable: false },
    })
  const host = hostnameOf(req.headers.host)
  const origin = req.headers.origin
  if (!host || !LOOPBACK.has(host)) return refuse(421, 'the sign-in endpoint answers on loopback only')
  if (origin !== undefined && hostnameOf(URL.canParse(origin) ? new URL(origin).host : '') !== host)
    return refuse(403, 'the sign-in endpoint answers pages of this origin only')
  if (req.method !== 'POST') return refuse(405, 'POST { user, expiresInSec? }')
  if (!req.headers['content-type']?.startsWith('application/json'))
    return refuse(415, 'the body must be application/json')
  let body
  try {
    body = JSON.parse(await readSmallBody(req))
  } catch {
    return refuse(400, 'the body must be JSON: { user, expiresInSec? }')
  }
  const user = USERS.find((candidate) => candidate.id === body?.user)
  const seconds = body?.expiresInSec ?? 60 * 60
  if (!user) return refuse(400, `user must be one of ${USERS.map((u) => u.id).join(', ')}`)
  if (!Number.isInteger(seconds) || seconds < 5 || seconds > MAX_SESSION_SEC)
    return refuse(400, `expiresInSec must be an integer from 5 to ${MAX_SESSION_SEC}`)
  const token = await mintToken(user.id, seconds)
  answer(200, { token, user, expiresAt: Date.now() + seconds * 1000 })
}

/** @param {string | undefined} host */
function hostnameOf(host) {
  if (!host) return undefined
  return URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : undefined
}

/** @param {IncomingMessage} req */
function readSmallBody(req) {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => {
      text += chunk
      if (text.length > 1024) {
        reject(new Error('body too large'))
        req.destroy()
      }
    })
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}

/**
 * A first start finds no project anyone can see and writes the sample ones, each through the
 * ops endpoint as one of its members: the same rules apply as to everything else.
 * @param {PlaygroundServer} server
 */
async function seedIfEmpty(server) {
  /** @param {string} user @param {unknown[]} ops */
  const send = async (user, ops) => {
    const response = await fetch(`${server.url}/ops`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await server.mintToken(user)}`,
      },
      body: JSON.stringify({ ops }),
    })
    const answer = await response.json()
    const failed = answer.results?.find(
      (/** @type {{ ok: boolean, status?: string }} */ result) =>
        !result.ok || (result.status !== undefined && result.status !== 'confirmed'),
    )
    if (!response.ok || failed) throw new Error(`seeding failed: ${JSON.stringify(failed ?? answer)}`)
    return answer.results
  }
  for (const { id } of USERS) {
    const [found] = await send(id, [
      { opId: 'seed-check', kind: 'query', store: 'projects', query: { limit: 1 } },
    ])
    if (found.items.length > 0) return
  }
  const now = Date.now()
  for (const [p, project] of SEED.entries()) {
    const projectId = randomUUID()
    const createdAt = now - (SEED.length - p) * 60_000
    /** @param {string} id @param {Record<string, unknown>} value */
    const create = (id, value) => ({
      entryId: randomUUID(),
      op: 'create',
      id,
      value: { id, ...value },
      idempotencyKey: randomUUID(),
      clientTimeMs: now,
    })
    const [owner = ''] = project.members
    await send(owner, [
      ...(p === 0
        ? [
            {
              opId: 'seed-profiles',
              kind: 'write',
              store: 'profiles',
              entries: PROFILES.map((profile) => create(profile.id, profile)),
            },
          ]
        : []),
      {
        opId: 'seed-project',
        kind: 'write',
        store: 'projects',
        entries: [create(projectId, { name: project.name, members: project.members, createdAt })],
      },
      {
        opId: 'seed-tasks',
        kind: 'write',
        store: 'tasks',
        entries: project.tasks.map(([title, status, assignee, priority], t) =>
          create(randomUUID(), { projectId, title, status, assignee, priority, createdAt: createdAt + t }),
        ),
      },
    ])
  }
}
