// Development switch (the network control, or `?transport=connect` in the address): the team
// board's transport. `sync` is the default: @atoma/sync over HTTP JSON, with its outbox, pulls and
// SSE pokes. `connect` runs the same board on `connectBackend` (@atoma/connect) against the
// server's Connect service on the same port, through the same Vite proxy: queries and writes are
// Connect calls (policy direct-http: optimistic, no outbox), and the `Subscribe` stream's pokes
// refetch the shown queries. (@atoma/sync pushes and pulls over HTTP only, so the two do not mix.)
export type Transport = 'sync' | 'connect'

export const TRANSPORTS: readonly { id: Transport; label: string }[] = [
  { id: 'sync', label: 'HTTP + @atoma/sync (outbox)' },
  { id: 'connect', label: 'Connect (no outbox)' },
]

/** Read once: switching reloads the page, so one page's runtime never changes transport. */
export const transport: Transport =
  new URLSearchParams(window.location.search).get('transport') === 'connect' ? 'connect' : 'sync'

/** Reloads the page on the other transport (the address says which, so a reload keeps it). */
export function switchTransport(next: Transport): void {
  const url = new URL(window.location.href)
  if (next === 'connect') url.searchParams.set('transport', 'connect')
  else url.searchParams.delete('transport')
  window.location.assign(url)
}
