import { useActions } from '@atoma/react'
import { type FormEvent, useState } from 'react'
import { projects } from '../data/collections.js'
import { newId, type Project } from '../data/model.js'
import type { Mode } from '../data/runtimes.js'
import { board } from '../data/stores.js'
import { useTrackedMutation } from '../hooks/useTrackedMutation.js'
import { PendingMark } from './PendingMark.js'

interface ProjectListProps {
  projects: readonly Project[]
  selectedId: string | null
  mode: Mode
}

export function ProjectList({ projects: list, selectedId, mode }: ProjectListProps) {
  const { selectProject } = useActions(board)
  const [name, setName] = useState('')
  const create = useTrackedMutation(
    projects,
    (write, project: Project) => write.create(project),
    (project) => `create the project “${project.name}”`,
  )

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (trimmed === '') return
    const project = { id: newId(), name: trimmed, createdAt: Date.now() }
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
              <PendingMark id={project.id} />
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
      <p className="sidebar-note">
        {mode === 'server'
          ? 'Stored by @atoma/server in its embedded PostgreSQL (PGlite). Writes show at once and are confirmed over HTTP.'
          : 'Stored in IndexedDB in this browser, policy local-first: no server involved, and it survives a reload.'}
      </p>
    </aside>
  )
}
