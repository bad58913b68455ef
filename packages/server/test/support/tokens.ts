import { SignJWT } from 'jose'

/** The HS256 secret test servers verify with. */
export const SECRET = 'atoma-test-secret-that-is-long-enough'
export const ISSUER = 'https://issuer.test'
export const AUDIENCE = 'atoma-test'

export interface TokenOptions {
  secret?: string | Uint8Array
  issuer?: string
  audience?: string
  /** Seconds from now; negative: already expired; null: no `exp` at all. */
  expiresIn?: number | null
  notBefore?: number
  alg?: string
  claims?: Record<string, unknown>
}

/** A signed JWT for `sub` (or none, when `sub` is undefined), valid by default for the test servers. */
export function token(sub: string | undefined, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const jwt = new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setIssuedAt(now)
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
  if (sub !== undefined) jwt.setSubject(sub)
  if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 600))
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore)
  const secret = options.secret ?? SECRET
  return jwt.sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret)
}

/** A JWT with `alg: none` and no signature, as an attacker would hand-craft it. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`
}

/** Replaces the payload of a signed token, keeping its header and signature (a forgery). */
export function tamper(jwt: string, claims: Record<string, unknown>): string {
  const [header, , signature] = jwt.split('.')
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
}

export const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` })
