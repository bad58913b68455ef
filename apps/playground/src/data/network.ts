import { onlineManager } from '@tanstack/query-core'

// The network control's "offline" switch: while it is on, the team board's requests fail as a
// dropped connection does (pushes, pulls, queries, the poke stream), so a user can watch writes
// wait in the outbox, reload, and flush when it is off again. It is kept in localStorage, so it
// survives the reload (and holds for every tab, as a real network would).
const KEY = 'atoma-playground:offline'

let offline = localStorage.getItem(KEY) === '1'
const listeners = new Set<(offline: boolean) => void>()
/** Requests on the wire (and open event streams), cut when the switch goes on. */
const inFlight = new Set<AbortController>()

function set(next: boolean): void {
  if (next === offline) return
  offline = next
  if (offline) {
    for (const controller of inFlight) controller.abort(new TypeError('the network switch is off'))
    inFlight.clear()
  }
  for (const listener of [...listeners]) listener(offline)
}

// Another tab flipped the switch.
window.addEventListener('storage', (event) => {
  if (event.key === KEY) set(event.newValue === '1')
})

// query-core pauses queries while offline (they resume by themselves when back): offline is
// the switch, or the browser's own offline.
onlineManager.setEventListener((setOnline) => {
  const update = () => setOnline(!offline && navigator.onLine)
  update()
  listeners.add(update)
  window.addEventListener('online', update)
  window.addEventListener('offline', update)
  return () => {
    listeners.delete(update)
    window.removeEventListener('online', update)
    window.removeEventListener('offline', update)
  }
})

export const network = {
  isOffline: (): boolean => offline,
  setOffline(next: boolean): void {
    if (next) localStorage.setItem(KEY, '1')
    else localStorage.removeItem(KEY)
    set(next)
  },
  subscribe(listener: (offline: boolean) => void): () => void {
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  },

  /** `fetch`, unless the switch is on: then it fails like a dropped connection, before and during a request. */
  async fetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    if (offline) throw new TypeError('Failed to fetch: the network switch is off')
    const controller = new AbortController()
    const { signal } = init
    const abort = () => controller.abort(signal?.reason)
    if (signal?.aborted) abort()
    else signal?.addEventListener('abort', abort, { once: true })
    const forget = () => {
      inFlight.delete(controller)
      signal?.removeEventListener('abort', abort)
    }
    inFlight.add(controller)
    try {
      const response = await fetch(input, { ...init, signal: controller.signal })
      // An event stream (pokes) stays on the wire after its headers: cut it too when going offline.
      if (response.headers.get('content-type')?.startsWith('text/event-stream'))
        controller.signal.addEventListener('abort', forget, { once: true })
      else forget()
      return response
    } catch (error) {
      forget()
      throw error
    }
  },
}
