import { configureStore, createEntityAdapter, createSlice } from '@reduxjs/toolkit'
import type { ReactNode } from 'react'
import { Provider, useDispatch, useSelector } from 'react-redux'
import type { Entity } from '../../data.js'
import { ItemView, initialItems, mount, shownIds } from './view.js'

// Redux Toolkit docs: the collection in `createEntityAdapter`, changed at once by dispatching its
// `updateOne` (the immediate local update an optimistic write is); each item selects its own
// entity with `useSelector` and the adapter's `selectById`.
const adapter = createEntityAdapter<Entity>()
const slice = createSlice({
  name: 'items',
  initialState: adapter.getInitialState(undefined, initialItems),
  reducers: { updateOne: adapter.updateOne },
})
const store = configureStore({ reducer: slice.reducer })
const { selectById } = adapter.getSelectors((state: ReturnType<typeof store.getState>) => state)

function Item({ id }: { id: string }): ReactNode {
  const item = useSelector((s: ReturnType<typeof store.getState>) => selectById(s, id)!)
  const dispatch = useDispatch()
  const bump = () => dispatch(slice.actions.updateOne({ id, changes: { count: item.count + 1 } }))
  return <ItemView item={item} onBump={bump} />
}

mount(
  <Provider store={store}>
    {shownIds.map((id) => (
      <Item key={id} id={id} />
    ))}
  </Provider>,
)
