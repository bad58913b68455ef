import { type ConnectBackendOptions, connectBackend, connectPokes } from '@atoma/connect'
import { createRuntime, indexedDbBackend, type Runtime } from '@atoma/runtime'
import { sync } from '@atoma/sync'
import type { QueryClient } from '@tanstack/query-core'
import { autosave, editor } from '../logic/editor.js'
import { progress } from '../logic/progress.js'
import { profiles, projects, tasks } from './collections.js'
import { createQueryClient, retryFailedLoads } from './loads.js'
import { network } from './network.js'
import { keepCache, restoreCache } from './offlineCache.js'
import { reportRejections } from './rejections.js'
import { seedIfEmpty } from './seed.js'
import { sessions } from './session.js'
import { board, notices } from './stores.js'
import { type Transport, transport } from './transport.js'

/** Every board's stores and logic: the same app over each runtime. */
const BOARD_STORES = [projects, tasks, profiles, board, notices, editor, progress]
const BOARD_LOGIC = [autosave]

/** Development, or a production build made with VITE_ATOMA_DEVTOOLS=true (see vite.config.ts). */
const devtoolsEnabled = import.meta.env.DEV || import.meta.env.VITE_ATOMA_DEVTOOLS === 'true'

export type Mode = 'server' | 'offline'

/** A board's runtime and query cache, and whether it may render yet. */
export interface Board {
  readonly runtime: Runtime
  readonly queryClient: QueryClient
  /** How the team board reaches the server (the offline board reaches none: `local`). */
  readonly transport: Transport | 'local'
  /** `opening` until the runtime is ready (the outbox restored, so pending writes show in the first render). */
  status(): 'opening' | 'ready' | Error
  subscribe(listener: () => void): () => void
  dispose(): void
}

function boardOf(
  runtime: Runtime,
  queryClient: QueryClient,
  transport: Board['transport'],
  cleanups: (() => void)[],
): Board {
  let status: 'opening' | 'ready' | Error = 'opening'
  const listeners = new Set<() => void>()
  const settle = (next: 'ready' | Error) => {
    status = next
    for (const listener of [...listeners]) listener()
  }
  runtime.ready().then(
    () => settle('ready'),
    (error: unknown) => settle(error instanceof Error ? error : new Error(String(error))),
  )
  return {
    runtime,
    queryClient,
    transport,
    status: () => status,
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    dispose() {
      for (const cleanup of cleanups) cleanup()
      queryClient.clear()
      runtime.dispose()
    },
  }
}

/**
 * The team board of one signed-in user: its collections on `sync-queue` (a write shows at once,
 * waits in an IndexedDB outbox named after the user, and is pushed whenever the server can be
 * reached; the server's changes arrive by pull when a poke says so). Requests carry the user's
 * token and go through the network switch. One user's board at a time: signing in as someone
 * else disposes it (its outbox stays, for when that user signs in again).
 */
function openSyncBoard(user: string): Board {
  const runtime = createRuntime({
    stores: BOARD_STORES,
    logic: BOARD_LOGIC,
    plugins: [
      sync({
        baseUrl: '/api',
        outbox: 'indexeddb',
        // Per user: switching users never pushes one user's writes with another's token.
        name: `atoma-playground.${user}`,
        headers: () => sessions.headersFor(user),
        // A 401: the session ended. Pushing pauses (nothing is dropped) until the user signs in again.
        onUnauthenticated: () => {
          sessions.expired(user)
          return false
        },
        fetch: network.fetch,
        // A local server: after the network comes back, reconnect within seconds, not half a minute.
        retry: { maxMs: 5000 },
      }),
    ],
    policy: 'sync-queue',
    devtools: devtoolsEnabled && { label: `board · ${user}` },
  })
  restoreCache(runtime, user)
  const queryClient = createQueryClient()
  const loads = retryFailedLoads(queryClient, () => !network.isOffline() && !sessions.get().expired)
  const resume = () => {
    loads.now()
    runtime.sync.pull().catch(() => {})
  }
  const cleanups = [
    loads.stop,
    keepCache(runtime, user),
    reportRejections(runtime),
    ...whileSignedIn(
      runtime,
      user,
      resume,
      'what you change meanwhile waits in the outbox and is sent then.',
    ),
  ]
  return boardOf(runtime, queryClient, 'sync', cleanups)
}

/**
 * The same board over Connect (`?transport=connect`): `connectBackend` for queries and writes
 * (policy direct-http: optimistic, rolled back when refused or unreachable), and the `Subscribe`
 * stream's pokes refetching the shown queries of the stores they name.
 */
function openConnectBoard(user: string): Board {
  const connection = {
    baseUrl: '/api',
    headers: () => sessions.headersFor(user),
    fetch: network.fetch,
  }
  const runtime = createRuntime({
    stores: BOARD_STORES,
    logic: BOARD_LOGIC,
    plugins: [
      connectBackend({
        ...connection,
        onUnauthenticated: () => {
          sessions.expired(user)
          return false
        },
      }),
    ],
    policy: 'direct-http',
    devtools: devtoolsEnabled && { label: `board · ${user} · connect` },
  })
  const queryClient = createQueryClient()
  const loads = retryFailedLoads(queryClient, () => !network.isOffline() && !sessions.get().expired)
  const cleanups = [
    loads.stop,
    listenForPokes(connection, queryClient),
    ...whileSignedIn(runtime, user, loads.now, 'a change made now is refused; sign in and make it again.'),
  ]
  return boardOf(runtime, queryClient, 'connect', cleanups)
}

/**
 * Pokes over Connect's `Subscribe`: each names stores that changed, whose shown queries then
 * refetch. The stream reconnects with backoff; after a reconnect everything shown refetches,
 * since what changed meanwhile was told to nobody.
 */
function listenForPokes(connection: ConnectBackendOptions, queryClient: QueryClient): () => void {
  const stop = new AbortController()
  const { signal } = stop
  const refetch = (store?: string) =>
    void queryClient.invalidateQueries({ queryKey: store === undefined ? ['atoma'] : ['atoma', store] })
  void (async () => {
    let failures = 0
    let opened = false
    while (!signal.aborted) {
      try {
        const pokes = connectPokes(connection, {
          stores: [projects.name, tasks.name],
          signal,
          onOpen: () => {
            if (opened) refetch()
            opened = true
            failures = 0
          },
        })
        for await (const { stores } of pokes) for (const store of stores) refetch(store)
      } catch {
        // Unreachable, offline or signed out: try again after a while.
      }
      if (signal.aborted) return
      const wait =
        network.isOffline() || sessions.get().expired ? 5000 : Math.min(500 * 2 ** failures++, 5000)
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  })()
  return () => stop.abort()
}

/**
 * What both transports do around the session and the network: a sticky sign-in notice when the
 * user's session ends, and `resume()` when the network comes back or the user signs in again.
 */
function whileSignedIn(
  runtime: Runtime,
  user: string,
  resume: () => void,
  meanwhile: string,
): (() => void)[] {
  let signedIn = sessions.get()
  return [
    network.subscribe((offline) => {
      if (!offline) resume()
    }),
    sessions.subscribe(() => {
      const before = signedIn
      signedIn = sessions.get()
      if (signedIn.session?.user !== user) return
      if (signedIn.expired && !before.expired)
        runtime.store(notices).actions.show({
          tone: 'error',
          title: 'Your session has ended',
          detail: `Sign in again: ${meanwhile}`,
          action: { kind: 'sign-in' },
          sticky: true,
        })
      if (signedIn.session.token !== before.session?.token && !signedIn.expired) {
        runtime.store(notices).actions.settle('sign-in')
        resume()
      }
    }),
  ]
}

let team: { user: string; board: Board } | undefined

/** The signed-in user's team board, made on first use and kept while that user stays signed in. */
export function teamBoard(user: string): Board {
  if (team?.user !== user) {
    team?.board.dispose()
    team = { user, board: transport === 'connect' ? openConnectBoard(user) : openSyncBoard(user) }
  }
  return team.board
}

sessions.subscribe(() => {
  if (team && sessions.get().session?.user !== team.user) {
    team.board.dispose()
    team = undefined
  }
})

let offline: Board | undefined

/** The offline board: the same stores with only IndexedDB behind them (policy local-first); no server, no sign-in. */
export function offlineBoard(): Board {
  if (!offline) {
    const runtime = createRuntime({
      stores: BOARD_STORES,
      logic: BOARD_LOGIC,
      plugins: [indexedDbBackend({ name: 'atoma-playground' })],
      policy: 'local-first',
      devtools: devtoolsEnabled && { label: 'offline board' },
    })
    const queryClient = createQueryClient()
    const loads = retryFailedLoads(queryClient, () => true)
    void seedIfEmpty(runtime)
    offline = boardOf(runtime, queryClient, 'local', [loads.stop])
  }
  return offline
}
