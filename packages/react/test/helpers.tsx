import { RuntimeProvider } from '@atoma/react'
import {
  type AtomaPlugin,
  createRuntime,
  defineCollection,
  defineStore,
  type ErrorInfo,
  memoryBackend,
  type NodeWriteResult,
  type Runtime,
  type RuntimeOptions,
  type WriteEntry,
} from '@atoma/runtime'
import { type ReactNode, StrictMode, useEffect } from 'react'

export interface Todo {
  id: string
  title: string
  done: boolean
}

export const todos = defineCollection<Todo>('todos', { key: 'id' })

export const ui = defineStore('ui', {
  initial: { filter: 'all' as 'all' | 'done', count: 0 },
  actions: {
    setFilter: (draft, filter: 'all' | 'done') => {
      draft.filter = filter
    },
    increment: (draft) => {
      draft.count += 1
    },
  },
})

export const other = defineStore('other', {
  initial: { n: 0 },
  actions: {
    bump: (draft) => {
      draft.n += 1
    },
  },
})

export const todo = (id: string, title = `todo ${id}`, done = false): Todo => ({ id, title, done })

export function makeRuntime(options: Partial<RuntimeOptions> = {}): Runtime {
  return createRuntime({ stores: [todos, ui, other], plugins: [memoryBackend()], ...options })
}

/** Puts items in the local store at once (a `hydrate` commit), without a backend round trip. */
export function seedLocal(runtime: Runtime, items: readonly Todo[]): void {
  runtime.hydrate({
    atoma: 1,
    stores: { todos: { entries: items.map((item) => [item.id, item]), versions: [] } },
  })
}

/**
 * The queries a backend answered for the app: its calls, less those whose caller aborted them.
 * Under StrictMode, React 18 simulates an unmount right after the first mount; the query then has
 * no observer, so query-core aborts its fetch and the remount starts another (React 19 keeps the
 * first). An aborted call is that simulation's, not a fetch the app asked for.
 */
function answeredFor(signals: readonly AbortSignal[]): number {
  return signals.filter((signal) => !signal.aborted).length
}

/** `plugin`, counting the queries its nodes answered for the app (see `answeredFor`). */
export function countQueries(plugin: AtomaPlugin): AtomaPlugin & { queries: () => number } {
  const signals: AbortSignal[] = []
  return {
    name: plugin.name,
    queries: () => answeredFor(signals),
    setup(ctx) {
      const registerNode: typeof ctx.execution.registerNode = (node) => {
        const query = node.query
        ctx.execution.registerNode(
          query
            ? {
                ...node,
                query: (input) => {
                  signals.push(input.signal)
                  return query(input)
                },
              }
            : node,
        )
      }
      plugin.setup({ ...ctx, execution: { registerNode } })
    },
  }
}

/**
 * A backend plugin (the docs/architecture.md §6 contract) whose writes are rejected by `reject(entry)` returning
 * an error, and whose queries fail with `queryError` when set. Everything else is kept in a Map;
 * `queries()` counts the queries answered for the app (see `answeredFor`).
 */
export function scriptedBackend(
  script: {
    reject?: (entry: WriteEntry) => ErrorInfo | undefined
    queryError?: () => Error | undefined
    delayMs?: (entry: WriteEntry) => number
  } = {},
): AtomaPlugin & { queries: () => number } {
  const items = new Map<string, unknown>()
  const signals: AbortSignal[] = []
  return {
    name: 'scripted-backend',
    queries: () => answeredFor(signals),
    setup(ctx) {
      ctx.execution.registerNode({
        id: 'scripted',
        source: 'local',
        query: async ({ signal }) => {
          signals.push(signal)
          const error = script.queryError?.()
          if (error) throw error
          return { items: [...items.values()] }
        },
        write: async ({ entries }): Promise<NodeWriteResult> => {
          const delay = Math.max(0, ...entries.map((entry) => script.delayMs?.(entry) ?? 0))
          if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
          const results = entries.map((entry) => {
            const error = script.reject?.(entry)
            if (error) return { entryId: entry.entryId, status: 'rejected' as const, error }
            if (entry.op === 'delete') items.delete(String(entry.id))
            else items.set(String(entry.id), entry.value)
            return { entryId: entry.entryId, status: 'confirmed' as const, value: entry.value }
          })
          return { status: 'confirmed', items: results }
        },
      })
    },
  }
}

/** The usual test tree: StrictMode around a provider of `runtime`. */
export function strictWrapper(runtime: Runtime) {
  return function Wrapper({ children }: { children?: ReactNode }) {
    return (
      <StrictMode>
        <RuntimeProvider runtime={runtime}>{children}</RuntimeProvider>
      </StrictMode>
    )
  }
}

/**
 * Counts commits of a component (an effect without dependencies runs once per commit that
 * rendered it). StrictMode runs it twice on mount only, so tests compare counts across updates.
 */
export function useCommitCounter(counts: Map<string, number>, key: string): void {
  useEffect(() => {
    counts.set(key, (counts.get(key) ?? 0) + 1)
  })
}

/** Resolves after pending promise callbacks and timers of `ms` have run. */
export const sleep = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * `plugin`'s node behind a slow network the test controls: each query is answered by the node when
 * it arrives, and the answer is delivered when the test calls `release()` (every answer held so far).
 */
export function gated(
  plugin: AtomaPlugin,
): AtomaPlugin & { release: () => Promise<void>; held: () => number } {
  let held: Array<() => void> = []
  return {
    name: plugin.name,
    held: () => held.length,
    async release() {
      const now = held
      held = []
      for (const deliver of now) deliver()
      await sleep()
    },
    setup(ctx) {
      const registerNode: typeof ctx.execution.registerNode = (node) => {
        const query = node.query
        ctx.execution.registerNode(
          query
            ? {
                ...node,
                query: async (input) => {
                  const answer = await query(input)
                  await new Promise<void>((resolve) => held.push(resolve))
                  return answer
                },
              }
            : node,
        )
      }
      plugin.setup({ ...ctx, execution: { registerNode } })
    },
  }
}
