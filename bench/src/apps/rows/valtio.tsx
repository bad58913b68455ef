import { memo, type ReactNode } from 'react'
import { proxy, useSnapshot } from 'valtio'
import { buildData, type RowData, swapIndices } from './data.js'
import { Jumbo, mount, RowView, Table, type TableActions } from './view.js'

// valtio docs: one mutable proxy changed by plain assignment ("proxy"), read in the component
// through `useSnapshot` ("useSnapshot"); unchanged rows keep their snapshot identity, so memoized
// rows skip re-rendering.
const state = proxy({ rows: [] as RowData[], selected: 0 })

const actions: TableActions = {
  run() {
    state.rows = buildData(1_000)
  },
  runLots() {
    state.rows = buildData(10_000)
  },
  add() {
    state.rows.push(...buildData(1_000))
  },
  update() {
    for (let i = 0; i < state.rows.length; i += 10) state.rows[i]!.label += ' !!!'
  },
  clear() {
    state.rows = []
  },
  swapRows() {
    const swap = swapIndices(state.rows.length)
    if (!swap) return
    const [a, b] = [state.rows[swap[0]]!, state.rows[swap[1]]!]
    state.rows[swap[0]] = b
    state.rows[swap[1]] = a
  },
  select(id) {
    state.selected = id
  },
  remove(id) {
    state.rows.splice(
      state.rows.findIndex((row) => row.id === id),
      1,
    )
  },
}

const Row = memo(function Row({ row, selected }: { row: RowData; selected: boolean }): ReactNode {
  return <RowView id={row.id} label={row.label} selected={selected} actions={actions} />
})

function Rows(): ReactNode {
  const snap = useSnapshot(state)
  return snap.rows.map((row) => <Row key={row.id} row={row} selected={snap.selected === row.id} />)
}

mount(
  <>
    <Jumbo actions={actions} />
    <Table>
      <Rows />
    </Table>
  </>,
)
