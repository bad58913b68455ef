import { RuntimeProvider, useEntity, useStore } from '@atoma/react'
import { createRuntime, defineCollection, defineStore, memoryBackend } from '@atoma/runtime'
import { memo, type ReactNode } from 'react'
import { buildData, type RowData, swapIndices } from './data.js'
import { Jumbo, mount, RowView, Table, type TableActions } from './view.js'

// Atoma's README and docs/architecture.md §2/§9: the rows are a collection (each row re-renders through
// `useEntity`, only when it changes); the order and the selection are UI state in a store with
// immer actions. Changes touching both are folded into one notification with `runtime.batch`.
// The table is local data, so it is changed by transactions, not by backend writes (`write.*`).
const rows = defineCollection<RowData>('rows', { key: 'id' })
const table = defineStore('table', {
  initial: { ids: [] as number[], selected: 0 },
  actions: {
    setIds: (draft, ids: number[]) => {
      draft.ids = ids
    },
    append: (draft, ids: number[]) => {
      draft.ids.push(...ids)
    },
    swap: (draft, [a, b]: [number, number]) => {
      ;[draft.ids[a], draft.ids[b]] = [draft.ids[b]!, draft.ids[a]!]
    },
    remove: (draft, id: number) => {
      draft.ids.splice(draft.ids.indexOf(id), 1)
    },
    select: (draft, id: number) => {
      draft.selected = id
    },
  },
})
const runtime = createRuntime({ stores: [rows, table], plugins: [memoryBackend()] })
const tableStore = runtime.store(table)

function replaceAll(data: RowData[]): void {
  runtime.batch(() => {
    runtime.transact(
      rows,
      (draft) => {
        draft.clear()
        for (const row of data) draft.set(row.id, row)
      },
      { kind: 'action', name: 'replace' },
    )
    tableStore.actions.setIds(data.map((row) => row.id))
  })
}

const actions: TableActions = {
  run: () => replaceAll(buildData(1_000)),
  runLots: () => replaceAll(buildData(10_000)),
  add() {
    const data = buildData(1_000)
    runtime.batch(() => {
      runtime.transact(
        rows,
        (draft) => {
          for (const row of data) draft.set(row.id, row)
        },
        { kind: 'action', name: 'append' },
      )
      tableStore.actions.append(data.map((row) => row.id))
    })
  },
  update() {
    const { ids } = tableStore.getState()
    runtime.transact(
      rows,
      (draft) => {
        for (let i = 0; i < ids.length; i += 10) draft.get(ids[i]!)!.label += ' !!!'
      },
      { kind: 'action', name: 'update' },
    )
  },
  clear: () => replaceAll([]),
  swapRows() {
    const swap = swapIndices(tableStore.getState().ids.length)
    if (swap) tableStore.actions.swap(swap)
  },
  select: (id) => tableStore.actions.select(id),
  remove(id) {
    runtime.batch(() => {
      runtime.transact(rows, (draft) => void draft.delete(id), { kind: 'action', name: 'remove' })
      tableStore.actions.remove(id)
    })
  },
}

const Row = memo(function Row({ id }: { id: number }): ReactNode {
  const row = useEntity(rows, id)
  const selected = useStore(table, (s) => s.selected === id)
  return row ? <RowView id={id} label={row.label} selected={selected} actions={actions} /> : null
})

function Rows(): ReactNode {
  const ids = useStore(table, (s) => s.ids)
  return ids.map((id) => <Row key={id} id={id} />)
}

mount(
  <RuntimeProvider runtime={runtime}>
    <Jumbo actions={actions} />
    <Table>
      <Rows />
    </Table>
  </RuntimeProvider>,
)
