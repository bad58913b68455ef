import type { IncomingMessage } from 'node:http'

/**
 * Who sent a request, as `authenticate` established it. `id` scopes idempotency keys and rate
 * limits and is what rules usually compare with (`{ ownerId: { $principal: 'id' } }`); any other
 * property (`claims` for JWTs) is there for rules to read.
 */
export interface Principal {
  readonly id: string
  readonly [property: string]: unknown
}

/**
 * Called once per request, before its body is read. `null` (or a throw) answers 401
 * UNAUTHENTICATED; a principal reaches every op of the request.
 */
export type Authenticate = (req: IncomingMessage) => Principal | null | Promise<Principal | null>

/** Every request of a server started without `authenticate`. */
export const ANONYMOUS: Principal = Object.freeze({ id: 'anonymous' })

const MAX_ID_LENGTH = 256

/** What `authenticate` answered, checked: a principal, or undefined for "not authenticated". */
export function checkPrincipal(value: unknown): Principal | undefined {
  if (value === null) return undefined
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new Error(
      `authenticate must answer null or a principal { id: string of 1 to ${MAX_ID_LENGTH} characters, ... }`,
    )
  }
  return value as Principal
}
