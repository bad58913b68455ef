/** The entity every benchmark works on: string ids, as real collections have (not array indices). */
export interface Entity {
  id: string
  label: string
  count: number
}

export const entityId = (i: number): string => `e${i}`

export function makeEntities(size: number): Entity[] {
  return Array.from({ length: size }, (_, i) => ({ id: entityId(i), label: `entity ${i}`, count: 0 }))
}

/** The same entities keyed by id, the normalized shape the peers' docs recommend. */
export function byId(entities: readonly Entity[]): Record<string, Entity> {
  const record: Record<string, Entity> = {}
  for (const e of entities) record[e.id] = e
  return record
}
