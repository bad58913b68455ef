// What a minimal Redux Toolkit app imports (docs "Quick Start"), with the entity adapter of the
// normalized collection the other benchmarks use, and react-redux's provider and hooks.
export { configureStore, createEntityAdapter, createSlice } from '@reduxjs/toolkit'
export { Provider, useDispatch, useSelector } from 'react-redux'
