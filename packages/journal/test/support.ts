import type { AsyncStorage, Journal, JournalEvent, Patch, SyncStorage } from '@atoma/journal'
import { enableMapSet, enablePatches, Immer, type Objectish } from 'immer'

enablePatches()
enableMapSet()
const immer = new Immer({ autoFreeze: false })

/** The next state and the patches immer records for `recipe`, as the runtime makes them. */
export function change<S extends Objectish>(state: S, recipe: (draft: S) => void): [S, Patch[]] {
  const [next, patches] = immer.produceWithPatches(state, recipe as never)
  return [next as S, patches as Patch[]]
}

/** Commits `recipe`'s patches and returns the state the journal should now hold. */
export function commit<S extends Objectish>(
  journal: Journal<'sync'>,
  state: S,
  recipe: (draft: S) => void,
): S {
  const [next, patches] = change(state, recipe)
  journal.commit(patches)
  return next
}

/** An asynchronous view of a synchronous storage: exercises the journal's asynchronous path. */
export function asAsync(storage: SyncStorage): AsyncStorage {
  const later = <T>(call: () => T) => Promise.resolve().then(call)
  let queue = Promise.resolve()
  return {
    mode: 'async',
    label: `async ${storage.label}`,
    generations: (name) => later(() => storage.generations(name)),
    read: (name, generation, from) => later(() => storage.read(name, generation, from)),
    append: (name, generation, at, bytes) => later(() => storage.append(name, generation, at, bytes)),
    truncate: (name, generation, size) => later(() => storage.truncate(name, generation, size)),
    remove: (name, generation) => later(() => storage.remove(name, generation)),
    lock: (_name, body) => {
      const run = queue.then(body)
      queue = run.then(
        () => undefined,
        () => undefined,
      )
      return run
    },
  }
}

export function recorder() {
  const events: JournalEvent[] = []
  return { events, onEvent: (event: JournalEvent) => events.push(event) }
}

export function runs(fallback: number) {
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
  return {
    numRuns: process.env.FC_RUNS === undefined ? fallback : Number(process.env.FC_RUNS),
    ...(seed === undefined ? {} : { seed }),
    ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
  }
}
