/** The panel's views, in tab order. */
export const TABS = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'transactions', label: 'Transactions' },
  { id: 'state', label: 'State' },
  { id: 'travel', label: 'Time travel' },
  { id: 'queries', label: 'Queries' },
  { id: 'mutations', label: 'Mutations' },
  { id: 'ops', label: 'Ops' },
  { id: 'sync', label: 'Sync' },
  { id: 'logic', label: 'Logic' },
] as const

/** The id of one of the panel's views: `timeline`, `transactions`, `state`, `travel`, `ops`... */
export type DevtoolsTab = (typeof TABS)[number]['id']

/** Tabs shown only when there is something for them (the Logic view, when a runtime has logic). */
export type OptionalTab = 'logic'

/** The tabs to show: every tab but the optional ones `available` leaves out. */
export function visibleTabs(available: ReadonlySet<OptionalTab>): ReadonlyArray<(typeof TABS)[number]> {
  return TABS.filter((tab) => tab.id !== 'logic' || available.has(tab.id))
}
