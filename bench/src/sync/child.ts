import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const benchRoot = fileURLToPath(new URL('../..', import.meta.url))

/** How a child runs TypeScript: through tsx, Atoma from source as everywhere in `bench/`. */
export const viaTsx = ['--conditions=@atoma/source', '--import', 'tsx']

/** A message a child sends its parent: the answer to request `id`, or its failure. */
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string }

/**
 * A Node process of its own running the module at `path` (with `execArgv`, `--expose-gc` added),
 * spoken to over IPC: `ask` sends a request and resolves with the child's answer. A child that
 * exits while a request waits fails it with its stderr.
 */
export interface Child {
  ask<T>(request: object): Promise<T>
  /** Ends the process (if it has not ended) and waits for its exit. */
  stop(): Promise<void>
}

export function spawnChild(path: string, args: unknown, execArgv: readonly string[] = []): Child {
  const entry = path.split('/').at(-1)
  const child: ChildProcess = fork(path, [JSON.stringify(args)], {
    cwd: benchRoot,
    execArgv: [...execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let next = 0
  child.on('message', (message: Reply) => {
    const waiter = waiting.get(message.id)
    waiting.delete(message.id)
    if (message.ok) waiter?.resolve(message.value)
    else waiter?.reject(new Error(`${entry}: ${message.error}`))
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  void exited.then(() => {
    for (const waiter of waiting.values())
      waiter.reject(new Error(`${entry} exited (code ${child.exitCode}): ${stderr.trim() || 'no stderr'}`))
    waiting.clear()
  })
  return {
    ask<T>(request: object) {
      const id = ++next
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject })
        child.send({ ...request, id })
      })
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      // Let go of it (it exits on its own, see `serve`); kill it if it has not after a grace.
      if (child.connected) child.disconnect()
      const timer = setTimeout(() => child.kill(), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

/**
 * The child's side: answers each request with `handle`'s result (or its error), in order of
 * arrival; with `once`, the process ends after its first answer is out (a client's open
 * connections and jsdom's timers would keep it alive). It also ends once its parent is gone.
 */
export function serve(handle: (request: Record<string, unknown>) => Promise<unknown>, once = false): void {
  const reply = (message: Reply) => process.send?.(message, undefined, {}, () => once && process.exit(0))
  process.on('message', (request: Record<string, unknown> & { id: number }) => {
    handle(request).then(
      (value) => reply({ id: request.id, ok: true, value }),
      (error: unknown) =>
        reply({
          id: request.id,
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    )
  })
  process.on('disconnect', () => process.exit(0))
}

/** The JSON argument the parent gave the child. */
export function childArgs<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T
}
