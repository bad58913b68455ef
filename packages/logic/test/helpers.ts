import { inspectLogic, type WatcherStatus } from '@atoma/logic'
import { defineStore, getDevtoolsSnapshot, type Runtime, type RuntimeDebugEvent } from '@atoma/runtime'
import { vi } from 'vitest'

/** The store most tests trigger watchers with: `trigger(ms)` says how long the run should take. */
export const jobs = defineStore('jobs', {
  initial: { count: 0, draft: '', saved: '' },
  actions: {
    trigger: (draft, _ms: number) => {
      draft.count += 1
    },
    edit: (draft, text: string) => {
      draft.draft = text
    },
    save: (draft, text: string) => {
      draft.saved = text
    },
  },
})

/** Resolves after `ms` (fake timers in most tests), or rejects with the abort as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })
}

/** Lets promise continuations run (the run phase starts a couple of microtasks after createRuntime). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

let labels = 0
/** A devtools label of its own, so a test reads only its runtime's events from the page-wide hub. */
export function uniqueLabel(prefix: string): string {
  labels += 1
  return `${prefix}-${labels}-${Math.random().toString(36).slice(2)}`
}

export function eventsOf(label: string, kind?: RuntimeDebugEvent['kind']): RuntimeDebugEvent[] {
  return getDevtoolsSnapshot().events.filter((e) => e.runtimeLabel === label && (!kind || e.kind === kind))
}

/** The codes of the diagnostics a runtime reported. */
export function diagnostics(label: string): string[] {
  return eventsOf(label, 'diagnostic').map((e) => e.name as string)
}

/** Diagnostics also go to console.warn outside production; tests read them from the hub instead. */
export function quietConsole(): void {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  vi.spyOn(console, 'error').mockImplementation(() => {})
}

/** A watcher's counters, by the order its logic registered it. */
export function counts(runtime: Runtime, logic: string, index = 0): WatcherStatus {
  const status = inspectLogic(runtime).logic.find((l) => l.name === logic)
  const watcher = status?.watchers[index]
  if (!watcher) throw new Error(`no watcher ${index} in logic '${logic}'`)
  return watcher
}
