import { configureStore, createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { memo, type ReactNode } from 'react'
import { Provider, useSelector } from 'react-redux'
import { buildData, type RowData, swapIndices } from './data.js'
import { Jumbo, mount, RowView, Table, type TableActions } from './view.js'

// Redux Toolkit docs: normalized state with `createEntityAdapter` (its `ids` keep the order),
// "mutating" reducers on immer drafts in `createSlice`, and the list pattern of the Redux
// Essentials tutorial: the list selects the ids, each row selects its own entity by id
// ("Optimizing list rendering"), so a row re-renders only when its entity or flag changes.
const adapter = createEntityAdapter<RowData>()
const slice = createSlice({
  name: 'table',
  initialState: adapter.getInitialState({ selected: 0 }),
  reducers: {
    setAll: adapter.setAll,
    addMany: adapter.addMany,
    removeOne: adapter.removeOne,
    update(state) {
      state.ids.forEach((id, i) => {
        if (i % 10 === 0) state.entities[id]!.label += ' !!!'
      })
    },
    swap(state, { payload: [a, b] }: PayloadAction<[number, number]>) {
      ;[state.ids[a], state.ids[b]] = [state.ids[b]!, state.ids[a]!]
    },
    select(state, { payload }: PayloadAction<number>) {
      state.selected = payload
    },
  },
})
type TableState = ReturnType<typeof slice.reducer>
const store = configureStore({ reducer: slice.reducer })
const { setAll, addMany, removeOne, update, swap, select } = slice.actions

const actions: TableActions = {
  run: () => store.dispatch(setAll(buildData(1_000))),
  runLots: () => store.dispatch(setAll(buildData(10_000))),
  add: () => store.dispatch(addMany(buildData(1_000))),
  update: () => store.dispatch(update()),
  clear: () => store.dispatch(setAll([])),
  swapRows() {
    const indices = swapIndices(store.getState().ids.length)
    if (indices) store.dispatch(swap(indices))
  },
  select: (id) => store.dispatch(select(id)),
  remove: (id) => store.dispatch(removeOne(id)),
}

const Row = memo(function Row({ id }: { id: number }): ReactNode {
  const row = useSelector((s: TableState) => s.entities[id])
  const selected = useSelector((s: TableState) => s.selected === id)
  return row ? <RowView id={id} label={row.label} selected={selected} actions={actions} /> : null
})

function Rows(): ReactNode {
  const ids = useSelector((s: TableState) => s.ids)
  return ids.map((id) => <Row key={id} id={id} />)
}

mount(
  <Provider store={store}>
    <Jumbo actions={actions} />
    <Table>
      <Rows />
    </Table>
  </Provider>,
)
