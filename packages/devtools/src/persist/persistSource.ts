/**
 * The part of `@atoma/journal/persist`'s API (`runtime.persist`, exposed to the hub as `persist`)
 * the State view reads, typed here rather than imported: the panel checks the shape before use.
 */
export interface PersistSourceLike {
  readonly stores: readonly string[]
  stats(store: string): {
    journal: string
    status: string
    pending: number
    bytes: number
    generation: number
    seq: number
    lastCheckpoint: { seq: number; bytes: number; at?: number }
    lastRecovery?: { at: number; discarded: number; reasons: readonly string[] }
    lastError?: string
  }
  subscribe(listener: () => void): () => void
}

export function persistSourceOf(
  exposed: ReadonlyMap<string, unknown> | undefined,
): PersistSourceLike | undefined {
  const source = exposed?.get('persist') as Partial<PersistSourceLike> | undefined
  return source &&
    Array.isArray(source.stores) &&
    typeof source.stats === 'function' &&
    typeof source.subscribe === 'function'
    ? (source as PersistSourceLike)
    : undefined
}
