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
] as const

/** The id of one of the panel's views: `timeline`, `transactions`, `state`, `travel` or `ops`. */
export type DevtoolsTab = (typeof TABS)[number]['id']
