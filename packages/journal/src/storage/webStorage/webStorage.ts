import { concat, type SyncStorage } from '../storage.js'

/** Options of `webStorage`; both have defaults. */
export interface WebStorageOptions {
  /** `localStorage` (the default) or `sessionStorage`. */
  storage?: Storage
  /** Prefix of every key (default `atoma-journal:`). */
  prefix?: string
}

/** A generation's chunks as this driver last saw them: their offsets, ascending, and its size. */
interface Chunks {
  offsets: number[]
  size: number
}

/**
 * localStorage (or sessionStorage), for small state: it is synchronous, so a store hydrates
 * before the first render. Each append is one key, `<prefix><name>.<generation>.<offset>`, holding
 * its bytes one per UTF-16 code unit (no base64 growth; browsers count quota in code units, about
 * 5 million per origin), so a commit writes O(change) and never rewrites the log; `read` joins the
 * keys of a generation in offset order. A `setItem` that exceeds the quota throws, nothing is
 * written, and the commit fails with `JOURNAL_STORAGE`.
 *
 * Listing keys costs about a microsecond per key of the whole origin, so the driver lists a
 * journal's keys once and then keeps an index of its chunks, checked on every call with two cheap
 * reads: the origin's key count is what this driver last saw (nobody added or removed a key —
 * another tab's append, compaction or recover), and the newest generation's last chunk is still
 * its length (nobody cut it). Anything else lists the keys again, as does reading a generation
 * from its start (opening, compacting), which costs O(generation) anyway. A commit costs a
 * couple of `getItem`s and one `setItem`, however long the log.
 *
 * Limits: browsers do not make localStorage atomic across tabs (there is no lock that synchronous
 * code can take), so two tabs appending at the same instant can overwrite each other's key; the
 * journal's commit chain then reports a `fork` instead of loading a wrong state. Use IndexedDB or
 * OPFS when several tabs write.
 */
export function webStorage(options: WebStorageOptions = {}): SyncStorage {
  const store = options.storage ?? globalThis.localStorage
  const prefix = options.prefix ?? 'atoma-journal:'
  const keyOf = (name: string, generation: number, offset: number) =>
    `${prefix}${name}.${generation}.${offset}`
  const indexes = new Map<string, Map<number, Chunks>>()
  /** The origin's key count when the indexes were last known to be true (-1: not known). */
  let seen = -1

  /** Every key of the journal, listed: generation → its chunks. */
  const list = (name: string): Map<number, Chunks> => {
    if (store.length !== seen) forget()
    const start = `${prefix}${name}.`
    const found = new Map<number, Chunks>()
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i)
      if (key === null || !key.startsWith(start)) continue
      const match = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(key.slice(start.length))
      if (match === null) continue
      const generation = Number(match[1])
      const chunks = found.get(generation) ?? { offsets: [], size: 0 }
      chunks.offsets.push(Number(match[2]))
      found.set(generation, chunks)
    }
    for (const [generation, chunks] of found) {
      chunks.offsets.sort((a, b) => a - b)
      const last = chunks.offsets.at(-1)!
      chunks.size = last + (store.getItem(keyOf(name, generation, last))?.length ?? 0)
    }
    indexes.set(name, found)
    return found
  }
  /** Drops every index: keys came or went that this driver did not add or remove. */
  const forget = () => {
    indexes.clear()
    seen = store.length
  }
  /** The journal's index, listed anew unless the checks above hold. */
  const index = (name: string): Map<number, Chunks> => {
    if (store.length !== seen) forget()
    const known = indexes.get(name)
    if (known === undefined) return list(name)
    const newest = Math.max(-1, ...known.keys())
    return newest < 0 || whole(name, newest, known.get(newest)!) ? known : list(name)
  }
  /** Whether the generation's last chunk is still the length the index says. */
  const whole = (name: string, generation: number, chunks: Chunks): boolean => {
    const last = chunks.offsets.at(-1)!
    return last + (store.getItem(keyOf(name, generation, last))?.length ?? -1) === chunks.size
  }
  const chunksOf = (name: string, generation: number): Chunks | undefined => {
    const known = index(name) // its newest generation is checked already
    const chunks = known.get(generation)
    if (chunks === undefined || generation === Math.max(...known.keys())) return chunks
    return whole(name, generation, chunks) ? chunks : list(name).get(generation)
  }
  const bytesOf = (key: string): Uint8Array => {
    const text = store.getItem(key) ?? ''
    const bytes = new Uint8Array(text.length)
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
    return bytes
  }

  return {
    mode: 'sync',
    label: 'localStorage',
    generations: (name) => [...index(name).keys()].sort((a, b) => a - b),
    read(name, generation, from) {
      const chunks = from === 0 ? list(name).get(generation) : chunksOf(name, generation)
      const offsets = chunks?.offsets ?? []
      const parts: Uint8Array[] = []
      offsets.forEach((offset, i) => {
        const next = offsets[i + 1] ?? Number.POSITIVE_INFINITY
        if (next <= from) return
        const bytes = bytesOf(keyOf(name, generation, offset))
        parts.push(offset >= from ? bytes : bytes.subarray(from - offset))
      })
      return parts.length === 0 ? new Uint8Array(0) : concat(parts)
    },
    append(name, generation, at, bytes) {
      const chunks = chunksOf(name, generation)
      if ((chunks?.size ?? 0) !== at) return false
      let text = ''
      for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192))
      store.setItem(keyOf(name, generation, at), text)
      const updated = chunks ?? { offsets: [], size: 0 }
      updated.offsets.push(at)
      updated.size += text.length
      indexes.get(name)?.set(generation, updated)
      // One new key, this one: the indexes hold. Otherwise the key was there already, somehow.
      if (store.length === seen + 1) seen++
      else forget()
      return true
    },
    truncate(name, generation, size) {
      for (const offset of list(name).get(generation)?.offsets ?? []) {
        const key = keyOf(name, generation, offset)
        if (offset >= size) store.removeItem(key)
        else {
          const text = store.getItem(key) ?? ''
          if (offset + text.length > size) store.setItem(key, text.slice(0, size - offset))
        }
      }
      forget()
    },
    remove(name, generation) {
      for (const offset of list(name).get(generation)?.offsets ?? [])
        store.removeItem(keyOf(name, generation, offset))
      forget()
    },
    lock: (_name, body) => body(),
  }
}
