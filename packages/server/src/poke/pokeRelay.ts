import { randomUUID } from 'node:crypto'
import type { Db } from '../db/db.js'
import { isPlainObject } from '../validate/json.js'
import type { PokeHub } from './pokeHub.js'

const POKE_CHANNEL = 'atoma_poke'
/** NOTIFY payloads must stay under 8000 bytes; a longer list of stores goes in several. */
const MAX_PAYLOAD_BYTES = 7000

export interface PokeRelay {
  /** Tells the other processes on the database that these stores changed here. */
  publish(stores: readonly string[]): void
  close(): Promise<void>
}

/**
 * Pokes across server processes: N stateless replicas on one PostgreSQL database LISTEN on one
 * channel (one connection per process), and each NOTIFYs the stores its writes changed, once per
 * coalesced poke, after they committed. A payload is `{"origin":"<process>","stores":["tasks"]}`;
 * a process skips its own (its streams were poked directly) and anything malformed. When the
 * LISTEN connection comes back after a drop, whatever was said meanwhile is lost, so every stream
 * is poked for every store: the clients pull, and a pull is exact whatever pokes were missed.
 * PGlite runs the same code within its one process.
 */
export async function startPokeRelay(
  db: Db,
  hub: Pick<PokeHub, 'changed'>,
  served: ReadonlySet<string>,
  onError: (error: unknown) => void,
): Promise<PokeRelay> {
  const origin = randomUUID()
  const stop = await db.listen(POKE_CHANNEL, {
    message(payload) {
      const stores = readPayload(payload, origin, served)
      if (stores === undefined)
        onError(new Error(`a malformed poke notification was ignored: ${payload.slice(0, 100)}`))
      else if (stores.length > 0) hub.changed(stores, false)
    },
    reconnected: () => hub.changed(served, false),
  })
  return {
    publish(stores) {
      for (const chunk of chunks(stores)) {
        db.notify(POKE_CHANNEL, JSON.stringify({ origin, stores: chunk })).catch(onError)
      }
    },
    close: stop,
  }
}

/** The stores a notification names that this process serves ([] for its own); undefined when malformed. */
function readPayload(payload: string, origin: string, served: ReadonlySet<string>): string[] | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return undefined
  }
  if (!isPlainObject(parsed) || typeof parsed.origin !== 'string' || !Array.isArray(parsed.stores))
    return undefined
  if (!parsed.stores.every((store) => typeof store === 'string')) return undefined
  if (parsed.origin === origin) return []
  return (parsed.stores as string[]).filter((store) => served.has(store))
}

function chunks(stores: readonly string[]): string[][] {
  const all: string[][] = []
  let chunk: string[] = []
  let bytes = 0
  for (const store of stores) {
    const size = Buffer.byteLength(store) + 3
    if (chunk.length > 0 && bytes + size > MAX_PAYLOAD_BYTES) {
      all.push(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(store)
    bytes += size
  }
  if (chunk.length > 0) all.push(chunk)
  return all
}
