import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import type { SyncStorage } from '../storage.js'

/** Options of `fsStorage`. */
export interface FsStorageOptions {
  /** The directory that holds the journals (created if missing). */
  dir: string
}

/**
 * Node's file system (Electron, servers, tests): a file `<name>.<generation>.journal` per
 * generation. Every change is `fsync`ed before it returns, and so is the directory when a file
 * appears or goes, so a completed call survives a power cut on a file system that honours fsync.
 * Synchronous, so hydration is too. `lock` covers one process: two processes writing one journal
 * must not race (the compare-and-append is a size check, not an OS lock).
 */
export function fsStorage({ dir }: FsStorageOptions): SyncStorage {
  mkdirSync(dir, { recursive: true })
  const file = (name: string, generation: number) => join(dir, `${name}.${generation}.journal`)
  const syncDir = () => {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }
  const withFile = <T>(path: string, flags: string, body: (fd: number) => T): T => {
    const fd = openSync(path, flags)
    try {
      return body(fd)
    } finally {
      closeSync(fd)
    }
  }
  const sizeOf = (path: string): number => {
    try {
      return withFile(path, 'r', (fd) => fstatSync(fd).size)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return -1
      throw error
    }
  }

  return {
    mode: 'sync',
    label: `fs ${dir}`,
    generations(name) {
      const pattern = new RegExp(`^${name.replace(/[.]/g, '\\.')}\\.(0|[1-9]\\d*)\\.journal$`)
      return readdirSync(dir)
        .map((entry) => pattern.exec(entry)?.[1])
        .filter((g): g is string => g !== undefined)
        .map(Number)
        .sort((a, b) => a - b)
    },
    read(name, generation, from) {
      let bytes: Buffer
      try {
        if (from === 0) bytes = readFileSync(file(name, generation))
        else {
          bytes = withFile(file(name, generation), 'r', (fd) => {
            const size = fstatSync(fd).size
            const out = Buffer.alloc(Math.max(0, size - from))
            let read = 0
            while (read < out.length) read += readSync(fd, out, read, out.length - read, from + read)
            return out
          })
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Uint8Array(0)
        throw error
      }
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)
    },
    append(name, generation, at, bytes) {
      const path = file(name, generation)
      const size = sizeOf(path)
      if (Math.max(size, 0) !== at) return false
      withFile(path, 'a', (fd) => {
        let written = 0
        while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written)
        fsyncSync(fd)
      })
      if (size < 0) syncDir()
      return true
    },
    truncate(name, generation, size) {
      withFile(file(name, generation), 'r+', (fd) => {
        if (fstatSync(fd).size <= size) return
        ftruncateSync(fd, size)
        fsyncSync(fd)
      })
    },
    remove(name, generation) {
      rmSync(file(name, generation), { force: true })
      syncDir()
    },
    lock: (_name, body) => body(),
  }
}
