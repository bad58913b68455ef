import { readFile } from 'node:fs/promises'
import { assertCollections, type CollectionConfig } from '../collections.js'
import { isPlainObject } from '../validate/json.js'

/** Reads and validates `{ "collections": [...] }` (README: config format). */
export async function loadConfigFile(path: string): Promise<CollectionConfig[]> {
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
  const { collections } = parsed
  try {
    assertCollections(collections)
  } catch (error) {
    throw new Error(`the config ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return collections
}
