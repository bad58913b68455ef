import { concat, type SyncStorage } from '../storage.js'

export interface WebStorageOptions {
  /** `localStorage` (the default) or `sessionStorage`. */
  storage?: Storage
  /** Prefix of every key (default `atoma-journal:`). */
  prefix?: string
}

/**
 * localStorage (or sessionStorage), for small state: it is synchronous, so a store hydrates
 * before the first render. Each append is one key, `<prefix><name>.<generation>.<offset>`, holding
 * its bytes one per UTF-16 code unit (no base64 growth; browsers count quota in code units, about
 * 5 million per origin), so a commit writes O(change) and never rewrites the log; `read` joins the
 * keys of a generation in offset order. A `setItem` that exceeds the quota throws, nothing is
 * written, and the commit fails with `JOURNAL_STORAGE`.
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
  /** The chunks of one journal by generation: offsets ascending. */
  const chunks = (name: string): Map<number, number[]> => {
    const start = `${prefix}${name}.`
    const found = new Map<number, number[]>()
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i)
      if (key === null || !key.startsWith(start)) continue
      const match = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(key.slice(start.length))
      if (match === null) continue
      const generation = Number(match[1])
      const list = found.get(generation) ?? []
      list.push(Number(match[2]))
      found.set(generation, list)
    }
    for (const list of found.values()) list.sort((a, b) => a - b)
    return found
  }
  const bytesOf = (key: string): Uint8Array => {
    const text = store.getItem(key) ?? ''
    const bytes = new Uint8Array(text.length)
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
    return bytes
  }
  const sizeOf = (name: string, generation: number, offsets: number[]) => {
    const last = offsets.at(-1)
    return last === undefined ? 0 : last + (store.getItem(keyOf(name, generation, last))?.length ?? 0)
  }

  return {
    mode: 'sync',
    label: 'localStorage',
    generations: (name) => [...chunks(name).keys()].sort((a, b) => a - b),
    read(name, generation, from) {
      const offsets = chunks(name).get(generation) ?? []
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
      if (sizeOf(name, generation, chunks(name).get(generation) ?? []) !== at) return false
      let text = ''
      for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192))
      store.setItem(keyOf(name, generation, at), text)
      return true
    },
    truncate(name, generation, size) {
      for (const offset of chunks(name).get(generation) ?? []) {
        const key = keyOf(name, generation, offset)
        if (offset >= size) store.removeItem(key)
        else {
          const text = store.getItem(key) ?? ''
          if (offset + text.length > size) store.setItem(key, text.slice(0, size - offset))
        }
      }
    },
    remove(name, generation) {
      for (const offset of chunks(name).get(generation) ?? [])
        store.removeItem(keyOf(name, generation, offset))
    },
    lock: (_name, body) => body(),
  }
}
