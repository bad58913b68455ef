import { shallow, useQuery, useStore } from '@atoma/react'
import { type DragEvent, useState } from 'react'
import { tasks } from '../data/collections.js'
import type { Status } from '../data/model.js'
import { columnQuery } from '../data/queries.js'
import { board, selectFilter } from '../data/stores.js'
import { useMoveTask } from '../hooks/taskWrites.js'
import { readDraggedTask } from './dragTask.js'
import { TaskCard } from './TaskCard.js'

interface ColumnProps {
  projectId: string
  status: Status
  label: string
}

/** One status column: its own query, so filters and sorting run on the server and locally alike. */
export function Column({ projectId, status, label }: ColumnProps) {
  const filter = useStore(board, selectFilter, shallow)
  const { data, status: fetchStatus } = useQuery(tasks, columnQuery(projectId, status, filter))
  const move = useMoveTask()
  const [over, setOver] = useState(false)

  const drop = (event: DragEvent) => {
    event.preventDefault()
    setOver(false)
    const dragged = readDraggedTask(event)
    if (dragged && dragged.status !== status) move({ id: dragged.id, title: dragged.title, status })
  }

  return (
    <section
      className="column"
      data-status={status}
      data-drop-target={over}
      aria-label={label}
      onDragOver={(event) => {
        event.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <h2 className="column-title">
        {label} <span className="count">{data.length}</span>
      </h2>
      <ul className="cards">
        {data.map((task) => (
          <TaskCard key={task.id} task={task} />
        ))}
      </ul>
      {data.length === 0 && fetchStatus !== 'pending' && <p className="column-empty">Nothing here</p>}
    </section>
  )
}
