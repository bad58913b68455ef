import { readFile } from 'node:fs/promises'
import { type JwtOptions, jwtAuthenticate } from '../auth/jwtAuthenticate.js'
import { assertCollections } from '../collections.js'
import type { ServerOptions } from '../server.js'
import { isPlainObject, unknownProperty } from '../validate/json.js'

/** What a config file sets: the collections and the options that need no code. */
export type FileConfig = Pick<
  ServerOptions,
  | 'collections'
  | 'authenticate'
  | 'allowAnonymous'
  | 'allowedHosts'
  | 'allowedOrigins'
  | 'cors'
  | 'limits'
  | 'rateLimit'
  | 'healthDetail'
>

const PROPERTIES = [
  'collections',
  'auth',
  'allowAnonymous',
  'allowedHosts',
  'allowedOrigins',
  'cors',
  'limits',
  'rateLimit',
  'healthDetail',
]
const JWT_PROPERTIES = ['secretEnv', 'jwksUrl', 'issuer', 'audience', 'algorithms', 'clockToleranceSec']

/**
 * Reads and validates a config file (README: config format). Secrets never live in it: `auth.jwt.secretEnv`
 * names the environment variable that holds the JWT secret, read here from `env`.
 */
export async function loadConfigFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FileConfig> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new Error(
      `cannot read the config ${path}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  if (!isPlainObject(parsed))
    throw new Error(`the config ${path} must be a JSON object { "collections": [...] }`)
  try {
    return fileConfig(parsed, env)
  } catch (error) {
    throw new Error(`the config ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function fileConfig(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): FileConfig {
  const unknown = unknownProperty(raw, PROPERTIES)
  if (unknown !== undefined) throw new Error(`unknown property ${JSON.stringify(unknown)}`)
  const {
    collections,
    auth,
    allowAnonymous,
    allowedHosts,
    allowedOrigins,
    cors,
    limits,
    rateLimit,
    healthDetail,
  } = raw
  assertCollections(collections)
  const config: FileConfig = { collections }
  if (auth !== undefined) config.authenticate = jwtAuthenticate(jwtOptions(auth, env))
  if (allowAnonymous !== undefined) config.allowAnonymous = boolean('allowAnonymous', allowAnonymous)
  if (healthDetail !== undefined) config.healthDetail = boolean('healthDetail', healthDetail)
  if (allowedHosts !== undefined) config.allowedHosts = strings('allowedHosts', allowedHosts)
  if (allowedOrigins !== undefined) config.allowedOrigins = strings('allowedOrigins', allowedOrigins)
  if (cors !== undefined) {
    if (cors !== false && !(isPlainObject(cors) && Array.isArray(cors.origins))) {
      throw new Error('cors must be false or { "origins": [...], "credentials"?, "headers"?, "maxAgeSec"? }')
    }
    config.cors = cors as FileConfig['cors']
  }
  if (limits !== undefined) {
    if (!isPlainObject(limits)) throw new Error('limits must be an object')
    config.limits = limits as FileConfig['limits']
  }
  if (rateLimit !== undefined) {
    if (rateLimit !== false && !isPlainObject(rateLimit))
      throw new Error('rateLimit must be false or { "perSecond", "burst" }')
    config.rateLimit = rateLimit as FileConfig['rateLimit']
  }
  return config
}

function jwtOptions(auth: unknown, env: NodeJS.ProcessEnv): JwtOptions {
  if (!isPlainObject(auth) || !isPlainObject(auth.jwt) || Object.keys(auth).length !== 1) {
    throw new Error('auth must be { "jwt": { "secretEnv" | "jwksUrl", "issuer"?, "audience"? } }')
  }
  const { jwt } = auth
  const unknown = unknownProperty(jwt, JWT_PROPERTIES)
  if (unknown !== undefined) {
    const hint = unknown === 'secret' ? ' (name the environment variable that holds it with "secretEnv")' : ''
    throw new Error(`auth.jwt has an unknown property ${JSON.stringify(unknown)}${hint}`)
  }
  const options: JwtOptions = {}
  if (jwt.secretEnv !== undefined) {
    if (typeof jwt.secretEnv !== 'string')
      throw new Error('auth.jwt.secretEnv must name an environment variable')
    const secret = env[jwt.secretEnv]
    if (!secret) throw new Error(`auth.jwt.secretEnv: the environment variable ${jwt.secretEnv} is not set`)
    options.secret = secret
  }
  if (jwt.jwksUrl !== undefined) options.jwksUrl = string('auth.jwt.jwksUrl', jwt.jwksUrl)
  if (jwt.issuer !== undefined) options.issuer = string('auth.jwt.issuer', jwt.issuer)
  if (jwt.audience !== undefined) options.audience = string('auth.jwt.audience', jwt.audience)
  if (jwt.algorithms !== undefined) options.algorithms = strings('auth.jwt.algorithms', jwt.algorithms)
  if (jwt.clockToleranceSec !== undefined) {
    if (typeof jwt.clockToleranceSec !== 'number')
      throw new Error('auth.jwt.clockToleranceSec must be a number')
    options.clockToleranceSec = jwt.clockToleranceSec
  }
  return options
}

function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`${name} must be true or false`)
  return value
}

function string(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`${name} must be a string`)
  return value
}

function strings(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`${name} must be an array of strings`)
  }
  return value
}
