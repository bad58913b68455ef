import { memo, type ReactNode, useSyncExternalStore } from 'react'
import { buildData, type RowData, swapIndices } from './data.js'
import { Jumbo, mount, RowView, Table, type TableActions } from './view.js'

// The floor: a mutable variable holding immutable snapshots, a Set of listeners, and
// `useSyncExternalStore` (react.dev, "Subscribing to an external store").
let state = { rows: [] as RowData[], selected: 0 }
const listeners = new Set<() => void>()
const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
const setState = (next: Partial<typeof state>) => {
  state = { ...state, ...next }
  for (const listener of listeners) listener()
}

const actions: TableActions = {
  run: () => setState({ rows: buildData(1_000) }),
  runLots: () => setState({ rows: buildData(10_000) }),
  add: () => setState({ rows: [...state.rows, ...buildData(1_000)] }),
  update: () =>
    setState({
      rows: state.rows.map((row, i) => (i % 10 === 0 ? { ...row, label: `${row.label} !!!` } : row)),
    }),
  clear: () => setState({ rows: [] }),
  swapRows() {
    const swap = swapIndices(state.rows.length)
    if (!swap) return
    const rows = [...state.rows]
    ;[rows[swap[0]], rows[swap[1]]] = [rows[swap[1]]!, rows[swap[0]]!]
    setState({ rows })
  },
  select: (id) => setState({ selected: id }),
  remove: (id) => setState({ rows: state.rows.filter((row) => row.id !== id) }),
}

const Row = memo(function Row({ row }: { row: RowData }): ReactNode {
  const selected = useSyncExternalStore(subscribe, () => state.selected === row.id)
  return <RowView id={row.id} label={row.label} selected={selected} actions={actions} />
})

function App(): ReactNode {
  const rows = useSyncExternalStore(subscribe, () => state.rows)
  return (
    <>
      <Jumbo actions={actions} />
      <Table>
        {rows.map((row) => (
          <Row key={row.id} row={row} />
        ))}
      </Table>
    </>
  )
}

mount(<App />)
