import { configureStore, createEntityAdapter, createSlice } from '@reduxjs/toolkit'
import type { Entity } from '../../data.js'
import type { StoreContender } from '../types.js'

/**
 * Redux Toolkit docs: a normalized collection with `createEntityAdapter`, updated by its
 * `updateOne` case reducer and read through `getSelectors`. A slice is
 * watched the way react-redux's `useSelector` does it: `store.subscribe` and a reference
 * comparison of the selected value ("Equality Comparisons and Updates").
 */
const adapter = createEntityAdapter<Entity>()
const slice = createSlice({
  name: 'items',
  initialState: adapter.getInitialState(),
  reducers: { updateOne: adapter.updateOne },
})
const { selectById } = adapter.getSelectors((state: ReturnType<typeof slice.reducer>) => state)

export const reduxCollection: StoreContender = {
  name: 'redux toolkit',
  create(entities) {
    const store = configureStore({
      reducer: slice.reducer,
      preloadedState: adapter.setAll(adapter.getInitialState(), entities),
      // The immutability and serializability checks are development-only ("Getting Started":
      // they are off in production builds); a benchmark compares production behaviour.
      middleware: (getDefault) => getDefault({ immutableCheck: false, serializableCheck: false }),
    })
    return {
      watch(id, listener) {
        let selected = selectById(store.getState(), id)
        store.subscribe(() => {
          const next = selectById(store.getState(), id)
          if (next === selected) return
          selected = next
          listener()
        })
      },
      bump(id) {
        const { count } = selectById(store.getState(), id)!
        store.dispatch(slice.actions.updateOne({ id, changes: { count: count + 1 } }))
      },
    }
  },
}
