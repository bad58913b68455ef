import type { IncomingMessage } from 'node:http'
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose'
import type { Authenticate, Principal } from './principal.js'

/** How `jwtAuthenticate` verifies bearer tokens: a secret or a JWKS, and the claims it requires. */
export interface JwtOptions {
  /** HS256 (or `algorithms`' HS384/HS512): the shared secret, at least 32 bytes. */
  secret?: string | Uint8Array
  /** Asymmetric algorithms: where the issuer publishes its keys (fetched and cached by jose). */
  jwksUrl?: string
  /** Required `iss`. */
  issuer?: string | string[]
  /** Required `aud` (one of them). */
  audience?: string | string[]
  /** Accepted `alg`s; default HS256 with a secret, RS256/PS256/ES256/ES384/EdDSA/Ed25519 with a JWKS. */
  algorithms?: string[]
  /** Seconds of clock skew allowed on `exp`/`nbf`; default 5. */
  clockToleranceSec?: number
}

/** A principal from a verified JWT: `id` is its `sub`, `claims` its whole payload. */
export interface JwtPrincipal extends Principal {
  readonly claims: JWTPayload
}

const HMAC = ['HS256', 'HS384', 'HS512']
const ASYMMETRIC = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]
const DEFAULT_ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA', 'Ed25519']
const MIN_SECRET_BYTES = 32
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i
const MAX_TOKEN_LENGTH = 8192
/** jose's codes for "this token is not acceptable"; any other failure (the JWKS unreachable) is the server's. */
const REFUSED = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
])

/**
 * `authenticate` for `Authorization: Bearer <JWT>`, verified with jose: the signature with the
 * secret or a key of the JWKS, `alg` among `algorithms` (so `none`, and an HMAC token signed
 * with a public key, never pass), `exp` required and checked, `nbf`, `iss` and `aud` checked
 * when configured, `sub` required. A token that fails any check answers null (401); a JWKS
 * that cannot be fetched throws (also 401, and reported through `onError`).
 */
export function jwtAuthenticate(options: JwtOptions): Authenticate {
  const { secret, jwksUrl, issuer, audience, clockToleranceSec = 5 } = options
  if ((secret === undefined) === (jwksUrl === undefined)) {
    throw new Error('jwtAuthenticate needs exactly one of secret and jwksUrl')
  }
  const allowed = secret !== undefined ? HMAC : ASYMMETRIC
  const algorithms = options.algorithms ?? (secret !== undefined ? ['HS256'] : DEFAULT_ASYMMETRIC)
  const misfit = algorithms.find((alg) => !allowed.includes(alg))
  if (algorithms.length === 0 || misfit !== undefined) {
    throw new Error(
      `jwtAuthenticate: algorithm ${JSON.stringify(misfit)} does not go with a ${secret !== undefined ? 'secret' : 'JWKS'} (use ${allowed.join(', ')})`,
    )
  }
  if (!(clockToleranceSec >= 0 && clockToleranceSec <= 300)) {
    throw new Error('jwtAuthenticate: clockToleranceSec must be from 0 to 300')
  }
  let key: Uint8Array | ReturnType<typeof createRemoteJWKSet>
  if (secret !== undefined) {
    const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new Error(`jwtAuthenticate: the secret must be at least ${MIN_SECRET_BYTES} bytes`)
    }
    key = bytes
  } else {
    key = createRemoteJWKSet(new URL(jwksUrl ?? ''))
  }
  const verifyOptions = {
    algorithms,
    clockTolerance: clockToleranceSec,
    requiredClaims: ['exp', 'sub'],
    ...(issuer !== undefined ? { issuer } : {}),
    ...(audience !== undefined ? { audience } : {}),
  }

  return async (req: IncomingMessage): Promise<JwtPrincipal | null> => {
    const token = bearerToken(req)
    if (token === undefined) return null
    try {
      const { payload } =
        key instanceof Uint8Array
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key, verifyOptions)
      if (typeof payload.sub !== 'string' || payload.sub === '') return null
      return { id: payload.sub, claims: payload }
    } catch (error) {
      if (REFUSED.has(String((error as { code?: unknown }).code))) return null
      throw error
    }
  }
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  if (header === undefined || header.length > MAX_TOKEN_LENGTH) return undefined
  return BEARER.exec(header)?.[1]
}
