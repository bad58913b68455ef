/**
 * What may cross a boundary as data (a written item, a server's item, a patch value, a persisted
 * record). Two things are refused wherever data comes from, because they break the runtime or its
 * backends silently: an own key that reaches an object's prototype (`__proto__`, `constructor`,
 * `prototype`: immer and plain assignment treat them specially, so such an item half-applies), and
 * a number that is not finite (JSON turns it into `null`, so local and remote copies disagree).
 * Everything else (Dates, Maps, class instances) is the schema's business, not this module's.
 */

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])
/** Deeper than this is refused: no item nests that far, and a cycle would never end. */
const MAX_DEPTH = 100

/** The first problem in `value` as a sentence naming its path, or `undefined` when it is clean. */
export function dataProblem(value: unknown): string | undefined {
  const visit = (current: unknown, path: string, depth: number): string | undefined => {
    if (typeof current === 'number')
      return Number.isFinite(current)
        ? undefined
        : `${path || 'the value'} is ${current}, not a finite number`
    if (typeof current !== 'object' || current === null) return undefined
    if (depth > MAX_DEPTH) return `it nests deeper than ${MAX_DEPTH} levels (at ${path}; a cycle?)`
    if (current instanceof Map) {
      for (const [key, item] of current) {
        const problem = visit(item, `${path}.get(${JSON.stringify(String(key))})`, depth + 1)
        if (problem) return problem
      }
      return undefined
    }
    if (current instanceof Set) return undefined
    const at = (key: string) => (Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key)
    for (const key of FORBIDDEN_KEYS)
      if (Object.hasOwn(current, key)) return `it has an own key '${key}' (at ${at(key)})`
    // Own string keys: what JSON, structuredClone and immer carry.
    for (const key of Object.keys(current)) {
      const problem = visit((current as Record<string, unknown>)[key], at(key), depth + 1)
      if (problem) return problem
    }
    return undefined
  }
  return visit(value, '', 0)
}

/** Whether `value` is a plain object (literal or null prototype): what an item must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
