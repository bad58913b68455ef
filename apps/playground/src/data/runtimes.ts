import { createRuntime, httpBackend, indexedDbBackend, type Runtime } from '@atoma/runtime'
import { projects, tasks } from './collections.js'
import { seedIfEmpty } from './seed.js'
import { activity, board } from './stores.js'

/** Development, or a production build made with VITE_ATOMA_DEVTOOLS=true (see vite.config.ts). */
export const devtoolsEnabled = import.meta.env.DEV || import.meta.env.VITE_ATOMA_DEVTOOLS === 'true'

export type Mode = 'server' | 'offline'

const created = new Map<Mode, Runtime>()

/**
 * One runtime per page, over the same stores, made (and seeded when empty) on first visit and
 * kept for the page's life, so switching pages keeps each board's state. The board talks to
 * @atoma/server through the `/api` proxy; the offline board keeps everything in IndexedDB.
 */
export function runtimeFor(mode: Mode): Runtime {
  let runtime = created.get(mode)
  if (!runtime) {
    runtime = createRuntime({
      stores: [projects, tasks, board, activity],
      ...(mode === 'server'
        ? { plugins: [httpBackend({ baseUrl: '/api' })], policy: 'direct-http' }
        : { plugins: [indexedDbBackend({ name: 'atoma-playground' })], policy: 'local-first' }),
      devtools: devtoolsEnabled && { label: mode === 'server' ? 'board' : 'offline board' },
    })
    created.set(mode, runtime)
    void seedIfEmpty(runtime)
  }
  return runtime
}
