import { webLock } from '../lock.js'
import type { AsyncStorage, JournalStorage } from '../storage.js'

/**
 * A storage that lives in another thread: `serveStorage(storage)` in a worker answers
 * `remoteStorage(worker)` in the page. This is how a page gets OPFS's in-place access handles,
 * which exist only in dedicated workers:
 *
 *     // journal.worker.ts
 *     serveStorage(opfsStorage())
 *     // page
 *     const journal = await openJournal(await remoteStorage(new Worker(url, { type: 'module' })), { name })
 *
 * The lock is taken on the page's side (a Web Lock named after the served storage), so it spans
 * all the calls of one journal operation and excludes other tabs using the same storage.
 */

/** What the two sides talk through: a `Worker`, a `MessagePort` or a worker's global scope. */
type Endpoint = Pick<MessagePort, 'postMessage'> & {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

type Method = 'generations' | 'read' | 'append' | 'truncate' | 'remove'
const METHODS: ReadonlySet<string> = new Set<Method>(['generations', 'read', 'append', 'truncate', 'remove'])

interface Request {
  id: number
  method: Method | 'label'
  args: unknown[]
}
type Reply = { id: number; result: unknown } | { id: number; error: { name: string; message: string } }

/** Answers a `remoteStorage` on `endpoint` (default: the worker's own global scope). */
export function serveStorage(
  storage: JournalStorage,
  endpoint: Endpoint = globalThis as unknown as Endpoint,
): void {
  endpoint.addEventListener('message', async (event: MessageEvent) => {
    const { id, method, args } = event.data as Request
    let reply: Reply
    try {
      if (method !== 'label' && !METHODS.has(method))
        throw new Error(`unknown storage method ${String(method)}`)
      const call = storage[method as Method] as (...args: unknown[]) => unknown
      const result = method === 'label' ? storage.label : await call.apply(storage, args)
      reply = { id, result }
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error))
      reply = { id, error: { name, message } }
    }
    endpoint.postMessage(reply)
  })
}

/** The storage a worker serves with `serveStorage`; `endpoint` is that worker (or a `MessagePort` to it). */
export async function remoteStorage(endpoint: Endpoint): Promise<AsyncStorage> {
  let next = 0
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  endpoint.addEventListener('message', (event: MessageEvent) => {
    const reply = event.data as Reply
    const pending = waiting.get(reply.id)
    if (pending === undefined) return
    waiting.delete(reply.id)
    if ('error' in reply)
      pending.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }))
    else pending.resolve(reply.result)
  })
  const call = <T>(method: Request['method'], ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = next++
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject })
      endpoint.postMessage({ id, method, args } satisfies Request)
    })
  const label = await call<string>('label')
  return {
    mode: 'async',
    label,
    generations: (name) => call('generations', name),
    read: (name, generation, from) => call('read', name, generation, from),
    append: (name, generation, at, bytes) => call('append', name, generation, at, bytes),
    truncate: (name, generation, size) => call('truncate', name, generation, size),
    remove: (name, generation) => call('remove', name, generation),
    lock: webLock(label),
  }
}
