import { type Project, STATUSES } from '../data/model.js'
import { Column } from './Column.js'
import { Filters } from './Filters.js'
import { NewTaskForm } from './NewTaskForm.js'

export function Board({ project }: { project: Project }) {
  return (
    <section className="board" aria-label={`Board of ${project.name}`}>
      <div className="board-head">
        <h1 className="board-title">{project.name}</h1>
        <Filters />
      </div>
      <NewTaskForm projectId={project.id} />
      <div className="columns">
        {STATUSES.map((status) => (
          <Column key={status.id} projectId={project.id} status={status.id} label={status.label} />
        ))}
      </div>
    </section>
  )
}
