import type { SyncStorage } from '../storage.js'

/**
 * A storage in memory, for tests and for state that should outlive a component but not the page.
 * It can play the crash that the journal must survive: `crash({ after, keep })` lets `after`
 * more changes through, cuts the next one short — an append writes only its first `keep` bytes,
 * a truncate or remove happens or not — and fails it and every call after it with
 * `SimulatedCrash`, as a process that died mid-write. `restart()` is the next process, on the
 * same bytes. `bytes()` and `put()` read and rewrite a generation to cut or corrupt it by hand.
 */
export interface MemoryStorage extends SyncStorage {
  /** A copy of a generation's bytes (empty if absent). */
  bytes(name: string, generation: number): Uint8Array
  /** Replaces a generation's bytes. */
  put(name: string, generation: number, bytes: Uint8Array): void
  /**
   * Lets `after` more changes through, then cuts the next one short (an append writes its first
   * `keep` bytes, default 0) and fails it and every call after it.
   */
  crash(plan: { after: number; keep?: number }): void
  /** The next process: calls work again, on the bytes the crash left. */
  restart(): void
  /** Changes (appends, truncates, removes) made so far. */
  readonly changes: number
}

/** What a `MemoryStorage` throws from the planned crash on, until `restart()`. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash'
}

interface File {
  data: Uint8Array
  size: number
}

/** A new, empty storage in memory (see `MemoryStorage`); synchronous, so hydration is too. */
export function memoryStorage(): MemoryStorage {
  const journals = new Map<string, Map<number, File>>()
  let changes = 0
  let plan: { after: number; keep: number } | undefined
  let dead = false

  const filesOf = (name: string) => {
    const files = journals.get(name) ?? new Map<number, File>()
    journals.set(name, files)
    return files
  }
  /** Counts a change; says how much of it may happen (`Infinity`: all) or throws if dead. */
  const allow = (): number => {
    if (dead) throw new SimulatedCrash('the process crashed earlier')
    changes++
    if (plan === undefined) return Number.POSITIVE_INFINITY
    if (plan.after > 0) {
      plan.after--
      return Number.POSITIVE_INFINITY
    }
    dead = true
    return plan.keep
  }
  const write = (file: File, bytes: Uint8Array) => {
    if (file.size + bytes.length > file.data.length) {
      const grown = new Uint8Array(Math.max(64, 2 * (file.size + bytes.length)))
      grown.set(file.data.subarray(0, file.size))
      file.data = grown
    }
    file.data.set(bytes, file.size)
    file.size += bytes.length
  }

  return {
    mode: 'sync',
    label: 'memory',
    get changes() {
      return changes
    },
    generations(name) {
      if (dead) throw new SimulatedCrash('the process crashed earlier')
      return [...filesOf(name).keys()].sort((a, b) => a - b)
    },
    read(name, generation, from) {
      if (dead) throw new SimulatedCrash('the process crashed earlier')
      const file = filesOf(name).get(generation)
      return file === undefined || from >= file.size ? new Uint8Array(0) : file.data.slice(from, file.size)
    },
    append(name, generation, at, bytes) {
      const files = filesOf(name)
      const file = files.get(generation)
      if ((file?.size ?? 0) !== at) {
        if (dead) throw new SimulatedCrash('the process crashed earlier')
        return false
      }
      const allowed = allow()
      const target = file ?? { data: new Uint8Array(0), size: 0 }
      if (file === undefined) files.set(generation, target)
      write(target, allowed >= bytes.length ? bytes : bytes.subarray(0, allowed))
      if (allowed < bytes.length)
        throw new SimulatedCrash(`crashed after ${allowed} of ${bytes.length} bytes`)
      return true
    },
    truncate(name, generation, size) {
      const file = filesOf(name).get(generation)
      if (allow() === 0) throw new SimulatedCrash('crashed before truncating')
      if (file !== undefined && size < file.size) file.size = size
      if (dead) throw new SimulatedCrash('crashed after truncating')
    },
    remove(name, generation) {
      if (allow() === 0) throw new SimulatedCrash('crashed before removing')
      filesOf(name).delete(generation)
      if (dead) throw new SimulatedCrash('crashed after removing')
    },
    lock: (_name, body) => body(),
    bytes(name, generation) {
      const file = filesOf(name).get(generation)
      return file === undefined ? new Uint8Array(0) : file.data.slice(0, file.size)
    },
    put(name, generation, bytes) {
      filesOf(name).set(generation, { data: bytes.slice(), size: bytes.length })
    },
    crash({ after, keep = 0 }) {
      plan = { after, keep }
    },
    restart() {
      plan = undefined
      dead = false
    },
  }
}
