/**
 * A logical patch (immer's shape). For collections the path starts with the entity id:
 * `[id, ...field]`, whatever the physical layout of the state.
 */
export type PatchPath = (string | number)[]

/** One change at `path`: add or replace `value`, or remove. */
export interface Patch {
  op: 'add' | 'remove' | 'replace'
  path: PatchPath
  value?: unknown
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/** The first path segment that could reach an object's prototype, if any. */
export function unsafeSegment(path: readonly unknown[]): string | undefined {
  for (const segment of path) if (typeof segment === 'string' && FORBIDDEN.has(segment)) return segment
  return undefined
}
