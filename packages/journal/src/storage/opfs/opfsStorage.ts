import { webLock } from '../lock.js'
import type { AsyncStorage } from '../storage.js'

/** The worker-only API (not in TypeScript's DOM library). */
interface SyncAccessHandle {
  getSize(): number
  read(buffer: Uint8Array, options: { at: number }): number
  write(buffer: Uint8Array, options: { at: number }): number
  truncate(size: number): void
  flush(): void
  close(): void
}
type AccessibleFile = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccessHandle> }

/** Options of `opfsStorage`. */
export interface OpfsStorageOptions {
  /** Directory under the origin's private file system root (default `atoma-journal`). */
  directory?: string
}

/**
 * The Origin Private File System: a file `<name>.<generation>.journal` per generation.
 *
 * In a dedicated worker it uses synchronous access handles: an append writes in place and
 * `flush()`es, O(change). Elsewhere (a window) only the asynchronous API exists, and Chromium's
 * `createWritable` copies the file into a swap file that replaces it on `close()`: each change
 * is atomic, but costs O(file). To get in-place appends from a page, run this driver in a worker
 * with `serveStorage` and talk to it with `remoteStorage` (both in `@atoma/journal/remote`).
 *
 * Access handles are exclusive per file, and a writable's swap file makes concurrent writers
 * lose data, so every operation runs under the journal's Web Lock — held across tabs and workers —
 * and handles are opened per operation and closed before the lock is released.
 */
export function opfsStorage(options: OpfsStorageOptions = {}): AsyncStorage {
  const directory = options.directory ?? 'atoma-journal'
  const label = `opfs ${directory}`
  const inPlace =
    typeof FileSystemFileHandle !== 'undefined' && 'createSyncAccessHandle' in FileSystemFileHandle.prototype
  let root: Promise<FileSystemDirectoryHandle> | undefined
  const dir = () =>
    (root ??= navigator.storage
      .getDirectory()
      .then((top) => top.getDirectoryHandle(directory, { create: true })))
  const fileName = (name: string, generation: number) => `${name}.${generation}.journal`
  /** The file's handle, or undefined when it does not exist (and `create` is false). */
  const handle = async (name: string, generation: number, create = false) => {
    try {
      return await (await dir()).getFileHandle(fileName(name, generation), { create })
    } catch (error) {
      if ((error as DOMException).name === 'NotFoundError') return undefined
      throw error
    }
  }
  const withAccess = async <T>(file: FileSystemFileHandle, body: (access: SyncAccessHandle) => T) => {
    const access = await (file as AccessibleFile).createSyncAccessHandle()
    try {
      return body(access)
    } finally {
      access.close()
    }
  }
  const writable = async (
    file: FileSystemFileHandle,
    body: (stream: FileSystemWritableFileStream) => Promise<void>,
  ) => {
    const stream = await file.createWritable({ keepExistingData: true })
    try {
      await body(stream)
      await stream.close()
    } catch (error) {
      await stream.abort().catch(() => undefined)
      throw error
    }
  }

  return {
    mode: 'async',
    label,
    async generations(name) {
      const pattern = new RegExp(`^${name.replace(/[.]/g, '\\.')}\\.(0|[1-9]\\d*)\\.journal$`)
      const found: number[] = []
      const entries = (await dir()) as unknown as { keys(): AsyncIterable<string> }
      for await (const entry of entries.keys()) {
        const match = pattern.exec(entry)
        if (match !== null) found.push(Number(match[1]))
      }
      return found.sort((a, b) => a - b)
    },
    async read(name, generation, from) {
      const file = await handle(name, generation)
      if (file === undefined) return new Uint8Array(0)
      if (!inPlace) return new Uint8Array(await (await file.getFile()).slice(from).arrayBuffer())
      return withAccess(file, (access) => {
        const bytes = new Uint8Array(Math.max(0, access.getSize() - from))
        let read = 0
        while (read < bytes.length) read += access.read(bytes.subarray(read), { at: from + read })
        return bytes
      })
    },
    async append(name, generation, at, bytes) {
      const file = await handle(name, generation, at === 0)
      if (file === undefined) return false
      if (inPlace) {
        return withAccess(file, (access) => {
          if (access.getSize() !== at) return false
          let written = 0
          while (written < bytes.length)
            written += access.write(bytes.subarray(written), { at: at + written })
          access.flush()
          return true
        })
      }
      if ((await file.getFile()).size !== at) return false
      await writable(file, (stream) =>
        stream.write({ type: 'write', position: at, data: bytes as Uint8Array<ArrayBuffer> }),
      )
      return true
    },
    async truncate(name, generation, size) {
      const file = await handle(name, generation)
      if (file === undefined) return
      if (inPlace) {
        return withAccess(file, (access) => {
          access.truncate(size)
          access.flush()
        })
      }
      await writable(file, (stream) => stream.truncate(size))
    },
    async remove(name, generation) {
      try {
        await (await dir()).removeEntry(fileName(name, generation))
      } catch (error) {
        if ((error as DOMException).name !== 'NotFoundError') throw error
      }
    },
    // One label, so one lock name for both flavours: a page and a worker on the same directory
    // (directly or through remoteStorage) exclude each other.
    lock: webLock(label),
  }
}
