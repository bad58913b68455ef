type MapLike = ReadonlyMap<unknown, unknown>

const isMapLike = (value: object): value is MapLike =>
  value instanceof Map ||
  (typeof (value as MapLike).get === 'function' &&
    typeof (value as MapLike).has === 'function' &&
    typeof (value as MapLike).entries === 'function' &&
    typeof (value as MapLike).size === 'number')

/**
 * Equality one level deep, the `isEqual` for selectors that build a new object, array, Map or
 * Set on every call: `useStore(ui, (s) => ({ a: s.a, b: s.b }), shallow)`. Collection states
 * (the `ReadonlyMap` interface) compare entity by entity.
 */
export function shallow<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown as unknown[]
    if (a.length !== other.length) return false
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], other[i])) return false
    return true
  }
  if (a instanceof Set) {
    const other = b as unknown as Set<unknown>
    if (a.size !== other.size) return false
    for (const value of a) if (!other.has(value)) return false
    return true
  }
  if (isMapLike(a)) {
    const other = b as unknown as MapLike
    if (a.size !== other.size) return false
    for (const [key, value] of a.entries())
      if (!other.has(key) || !Object.is(value, other.get(key))) return false
    return true
  }
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const key of keys)
    if (
      !Object.hasOwn(b, key) ||
      !Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
    )
      return false
  return true
}
