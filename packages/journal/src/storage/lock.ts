/**
 * The lock asynchronous drivers run the journal's operations under: a Web Lock where the platform
 * has them (every browser window and worker: it holds across tabs), otherwise a queue in this
 * process (Node with fake-indexeddb, old runtimes).
 */
export function webLock(scope: string): <T>(name: string, body: () => Promise<T>) => Promise<T> {
  const queues = new Map<string, Promise<unknown>>()
  return <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const id = `atoma-journal:${scope}:${name}`
    const locks = (globalThis.navigator as Navigator | undefined)?.locks
    if (locks !== undefined) return locks.request(id, body) as Promise<T>
    const run = (queues.get(id) ?? Promise.resolve()).then(body)
    const tail = run.catch(() => undefined)
    queues.set(id, tail)
    void tail.then(() => queues.get(id) === tail && queues.delete(id))
    return run
  }
}
