import { memo, type ReactNode } from 'react'
import { create } from 'zustand'
import { buildData, type RowData, swapIndices } from './data.js'
import { Jumbo, mount, RowView, Table, type TableActions } from './view.js'

interface State {
  rows: RowData[]
  selected: number
}

// zustand docs: a `create` hook store, immutable updates with `set` ("Updating state"), and
// components that select only what they render (`useStore(selector)`, "Selecting multiple
// state slices"), so a row re-renders when its own selection flag flips.
const useTable = create<State>()(() => ({ rows: [], selected: 0 }))
const { setState: set, getState: get } = useTable

const actions: TableActions = {
  run: () => set({ rows: buildData(1_000) }),
  runLots: () => set({ rows: buildData(10_000) }),
  add: () => set((s) => ({ rows: [...s.rows, ...buildData(1_000)] })),
  update: () =>
    set((s) => ({
      rows: s.rows.map((row, i) => (i % 10 === 0 ? { ...row, label: `${row.label} !!!` } : row)),
    })),
  clear: () => set({ rows: [] }),
  swapRows() {
    const swap = swapIndices(get().rows.length)
    if (!swap) return
    const rows = [...get().rows]
    ;[rows[swap[0]], rows[swap[1]]] = [rows[swap[1]]!, rows[swap[0]]!]
    set({ rows })
  },
  select: (id) => set({ selected: id }),
  remove: (id) => set((s) => ({ rows: s.rows.filter((row) => row.id !== id) })),
}

const Row = memo(function Row({ row }: { row: RowData }): ReactNode {
  const selected = useTable((s) => s.selected === row.id)
  return <RowView id={row.id} label={row.label} selected={selected} actions={actions} />
})

function Rows(): ReactNode {
  const rows = useTable((s) => s.rows)
  return rows.map((row) => <Row key={row.id} row={row} />)
}

mount(
  <>
    <Jumbo actions={actions} />
    <Table>
      <Rows />
    </Table>
  </>,
)
