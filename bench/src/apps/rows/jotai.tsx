import { atom, getDefaultStore, type PrimitiveAtom, useAtomValue } from 'jotai'
import { selectAtom } from 'jotai/utils'
import { memo, type ReactNode, useMemo } from 'react'
import { buildData, type RowData, swapIndices } from './data.js'
import { Jumbo, mount, RowView, Table, type TableActions } from './view.js'

// jotai docs: a list as "atoms in atom" (guides/atoms-in-atom): the list atom holds one atom
// per row, so changing a row sets that row's atom only; the selection flag per row is a
// `selectAtom` made stable with `useMemo` (utilities/select). Actions write through the store
// (`getDefaultStore`, core/store), as event handlers outside components do.
type RowAtom = PrimitiveAtom<RowData>
const rowsAtom = atom<RowAtom[]>([])
const selectedAtom = atom(0)
const store = getDefaultStore()
const atomsOf = (data: RowData[]): RowAtom[] => data.map((row) => atom(row))

const actions: TableActions = {
  run: () => store.set(rowsAtom, atomsOf(buildData(1_000))),
  runLots: () => store.set(rowsAtom, atomsOf(buildData(10_000))),
  add: () => store.set(rowsAtom, (rows) => [...rows, ...atomsOf(buildData(1_000))]),
  update() {
    const rows = store.get(rowsAtom)
    for (let i = 0; i < rows.length; i += 10)
      store.set(rows[i]!, (row) => ({ ...row, label: `${row.label} !!!` }))
  },
  clear: () => store.set(rowsAtom, []),
  swapRows() {
    const swap = swapIndices(store.get(rowsAtom).length)
    if (!swap) return
    const rows = [...store.get(rowsAtom)]
    ;[rows[swap[0]], rows[swap[1]]] = [rows[swap[1]]!, rows[swap[0]]!]
    store.set(rowsAtom, rows)
  },
  select: (id) => store.set(selectedAtom, id),
  remove: (id) => store.set(rowsAtom, (rows) => rows.filter((a) => store.get(a).id !== id)),
}

const Row = memo(function Row({ rowAtom }: { rowAtom: RowAtom }): ReactNode {
  const row = useAtomValue(rowAtom)
  const selected = useAtomValue(useMemo(() => selectAtom(selectedAtom, (s) => s === row.id), [row.id]))
  return <RowView id={row.id} label={row.label} selected={selected} actions={actions} />
})

function Rows(): ReactNode {
  const rows = useAtomValue(rowsAtom)
  return rows.map((rowAtom) => <Row key={`${rowAtom}`} rowAtom={rowAtom} />)
}

mount(
  <>
    <Jumbo actions={actions} />
    <Table>
      <Rows />
    </Table>
  </>,
)
