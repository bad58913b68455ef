import { useActions, useStore } from '@atoma/react'
import { type FormEvent, useState } from 'react'
import { projects } from '../data/collections.js'
import { newId, type Project } from '../data/model.js'
import { board } from '../data/stores.js'
import { useCreateProject } from '../hooks/taskWrites.js'
import { useBoard } from '../hooks/useBoard.js'
import { progress } from '../logic/progress.js'
import { PendingMark } from './PendingMark.js'

const NOTES: Record<ReturnType<typeof useBoard>['transport'], string> = {
  sync: 'Synced with @atoma/server (embedded PostgreSQL) through an outbox: a change shows at once, waits while offline, and reaches the server exactly once. Other windows see it live.',
  connect:
    'Over Connect (@atoma/connect) to @atoma/server: a change shows at once and is confirmed or rolled back by a Write call; Subscribe pokes keep other windows live.',
  local:
    'Stored in IndexedDB in this browser, policy local-first: no server involved, and it survives a reload.',
}

interface ProjectListProps {
  projects: readonly Project[]
  selectedId: string | null
}

export function ProjectList({ projects: list, selectedId }: ProjectListProps) {
  const { transport, user } = useBoard()
  const { selectProject } = useActions(board)
  const [name, setName] = useState('')
  const create = useCreateProject()
  const byProject = useStore(progress, (state) => state.byProject)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (trimmed === '') return
    // On the team board a project belongs to whoever creates it: the server's rules require it.
    const project = { id: newId(), name: trimmed, members: user ? [user] : [], createdAt: Date.now() }
    create(project)
    selectProject(project.id)
    setName('')
  }

  return (
    <aside className="sidebar">
      <h2 className="sidebar-title">Projects</h2>
      <ul className="project-list">
        {list.map((project) => (
          <li key={project.id}>
            <button
              type="button"
              className="project"
              aria-current={project.id === selectedId ? 'true' : undefined}
              onClick={() => selectProject(project.id)}
            >
              <span className="project-name">{project.name}</span>
              {/* Projects made by an earlier playground have no members: nothing to show then. */}
              {Array.isArray(project.members) && project.members.length > 1 && (
                <span className="shared" title={`Shared by ${project.members.join(', ')}`}>
                  shared
                </span>
              )}
              <ProgressMark
                done={byProject[project.id]?.done ?? 0}
                total={byProject[project.id]?.total ?? 0}
              />
              <PendingMark collection={projects} id={project.id} />
            </button>
          </li>
        ))}
      </ul>
      <form className="new-project" onSubmit={submit}>
        <input
          className="input"
          aria-label="New project name"
          placeholder="New project…"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </form>
      <p className="sidebar-note">{NOTES[transport]}</p>
    </aside>
  )
}

/** Done of all tasks (the `progress` store's computed field), once any task of the project is known. */
function ProgressMark({ done, total }: { done: number; total: number }) {
  if (total === 0) return null
  return (
    <span className="progress" title={`${done} of ${total} tasks done`}>
      {done}/{total}
    </span>
  )
}
