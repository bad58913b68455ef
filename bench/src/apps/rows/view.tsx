import { memo, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'

/** What each library's app does on the js-framework-benchmark buttons and row links. */
export interface TableActions {
  run(): void
  runLots(): void
  add(): void
  update(): void
  clear(): void
  swapRows(): void
  select(id: number): void
  remove(id: number): void
}

// The same markup in every app (jfb's keyed React implementation, with buttons for its links),
// so only state handling differs.
function Jumbotron({ actions }: { actions: TableActions }): ReactNode {
  return (
    <div>
      <button type="button" id="run" onClick={actions.run}>
        Create 1,000 rows
      </button>
      <button type="button" id="runlots" onClick={actions.runLots}>
        Create 10,000 rows
      </button>
      <button type="button" id="add" onClick={actions.add}>
        Append 1,000 rows
      </button>
      <button type="button" id="update" onClick={actions.update}>
        Update every 10th row
      </button>
      <button type="button" id="clear" onClick={actions.clear}>
        Clear
      </button>
      <button type="button" id="swaprows" onClick={actions.swapRows}>
        Swap Rows
      </button>
    </div>
  )
}

export const Jumbo = memo(Jumbotron)

export interface RowViewProps {
  id: number
  label: string
  selected: boolean
  actions: TableActions
}

export function RowView({ id, label, selected, actions }: RowViewProps): ReactNode {
  return (
    <tr className={selected ? 'danger' : ''}>
      <td>{id}</td>
      <td>
        <button type="button" className="lbl" onClick={() => actions.select(id)}>
          {label}
        </button>
      </td>
      <td>
        <button type="button" className="remove" onClick={() => actions.remove(id)}>
          ×
        </button>
      </td>
      <td />
    </tr>
  )
}

export function Table({ children }: { children: ReactNode }): ReactNode {
  return (
    <table>
      <tbody>{children}</tbody>
    </table>
  )
}

export function mount(app: ReactNode): void {
  createRoot(document.getElementById('main')!).render(app)
}
