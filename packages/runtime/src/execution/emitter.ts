import type { KernelEventListener, KernelEventName, KernelEvents } from './events.js'

export interface KernelEmitter {
  on<E extends KernelEventName>(event: E, listener: KernelEventListener<E>): () => void
  emit<E extends KernelEventName>(event: E, payload: KernelEvents[E]): void
}

/**
 * The kernel's event channel. Listeners are observers (devtools, the sync orchestrator): one
 * that throws is reported on the console and the others still run, because an observer's bug
 * must never fail or alter the operation it observes.
 */
export function createEmitter(): KernelEmitter {
  // Stored untyped: each entry is created by `on` for one event name and only called with that event's payload.
  const listeners = new Map<KernelEventName, Set<(payload: unknown) => void>>()
  return {
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) {
        set = new Set()
        listeners.set(event, set)
      }
      const added = set
      // A wrapper per registration, so the same function registered twice is removed once per call.
      const entry = (payload: unknown) => listener(payload as Parameters<typeof listener>[0])
      added.add(entry)
      return () => {
        added.delete(entry)
      }
    },
    emit(event, payload) {
      const set = listeners.get(event)
      if (!set) return
      for (const listener of [...set]) {
        try {
          listener(payload)
        } catch (error) {
          console.error(`[atoma] a '${event}' listener threw; the operation went on:`, error)
        }
      }
    },
  }
}
