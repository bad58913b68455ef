import { useIsMutating } from '@atoma/react'
import { useSyncStatus } from '@atoma/sync/react'
import { useLoadState } from '../hooks/useLoadState.js'
import { useOffline } from '../hooks/useNetwork.js'
import { usePendingCount } from '../hooks/usePendingCount.js'
import { useSession } from '../hooks/useSession.js'

type Tone = 'ok' | 'busy' | 'warn' | 'error'

function Line({ state, tone, text }: { state: string; tone: Tone; text: string }) {
  return (
    <span className="status-line" role="status" data-state={state} data-tone={tone}>
      {text}
    </span>
  )
}

const changes = (n: number) => `${n} ${n === 1 ? 'change' : 'changes'}`
const wait = (n: number) => `${changes(n)} ${n === 1 ? 'waits' : 'wait'}`

/**
 * The team board's one line of truth about saving and loading, from the sync status, the loads
 * and the session: never "saved" while writes wait or a load failed.
 */
export function SyncStatusLine() {
  const sync = useSyncStatus()
  const load = useLoadState()
  const offline = useOffline()
  const { expired } = useSession()
  // The outbox (also what other tabs wrote) or, in the instant before it stored a write, the runtime.
  const waiting = Math.max(sync.pending, usePendingCount())
  if (expired)
    return (
      <Line
        state="signed-out"
        tone="warn"
        text={waiting > 0 ? `Signed out: ${wait(waiting)} for you to sign in` : 'Signed out: sign in again'}
      />
    )
  if (offline)
    return (
      <Line
        state="offline"
        tone="warn"
        text={
          waiting > 0 ? `Offline: ${wait(waiting)} to be sent` : 'Offline: showing what this browser knows'
        }
      />
    )
  if (!sync.online)
    return (
      <Line
        state="unreachable"
        tone="error"
        text={`The server is not answering${waiting > 0 ? `: ${wait(waiting)}` : ''}; retrying…`}
      />
    )
  if (load.failed)
    return <Line state="load-failed" tone="error" text="Could not load from the server; retrying…" />
  if (waiting > 0) return <Line state="saving" tone="busy" text={`Saving ${changes(waiting)}…`} />
  if (load.loading) return <Line state="loading" tone="busy" text="Loading…" />
  const at =
    sync.lastPulledAt === undefined ? '' : ` · synced ${new Date(sync.lastPulledAt).toLocaleTimeString()}`
  return <Line state="saved" tone="ok" text={`All changes saved${at}`} />
}

/**
 * The team board's line over Connect: no outbox, so what waits is the writes on the wire,
 * and a write made offline or signed out is refused (and rolled back) rather than kept.
 */
export function ConnectStatusLine() {
  const load = useLoadState()
  const offline = useOffline()
  const { expired } = useSession()
  // Every write of the board is a useMutation, pending until the backend answered it.
  const waiting = useIsMutating()
  if (expired) return <Line state="signed-out" tone="warn" text="Signed out: sign in again" />
  if (offline)
    return <Line state="offline" tone="warn" text="Offline: changes are refused until the network is back" />
  if (load.failed)
    return <Line state="load-failed" tone="error" text="Could not load from the server; retrying…" />
  if (waiting > 0) return <Line state="saving" tone="busy" text={`Saving ${changes(waiting)}…`} />
  if (load.loading) return <Line state="loading" tone="busy" text="Loading…" />
  return <Line state="saved" tone="ok" text="All changes saved · over Connect" />
}

/** The offline board's line: there is no server, only what loads from IndexedDB. */
export function LocalStatus() {
  const load = useLoadState()
  if (load.failed)
    return <Line state="load-failed" tone="error" text="Could not read this browser's storage" />
  if (load.loading) return <Line state="loading" tone="busy" text="Loading…" />
  return <Line state="saved" tone="ok" text="Stored in this browser" />
}
