/**
 * JSON with object keys sorted, so two queries that differ only in key order share one cache
 * entry. `undefined` fields are dropped, as JSON does.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => {
    if (field === null || typeof field !== 'object' || Array.isArray(field)) return field
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(field).sort()) sorted[key] = (field as Record<string, unknown>)[key]
    return sorted
  })
}
