import type { DragEvent } from 'react'
import type { Task } from '../data/model.js'

// A task dragged between columns travels as JSON under the app's own type, so a drop of
// anything else (text, files) is ignored.
const TYPE = 'application/x-atoma-task'

type Dragged = Pick<Task, 'id' | 'title' | 'status'>

export function startDraggingTask(event: DragEvent, { id, title, status }: Dragged): void {
  event.dataTransfer.setData(TYPE, JSON.stringify({ id, title, status }))
  event.dataTransfer.effectAllowed = 'move'
}

export function readDraggedTask(event: DragEvent): Dragged | null {
  const raw = event.dataTransfer.getData(TYPE)
  return raw === '' ? null : (JSON.parse(raw) as Dragged)
}
