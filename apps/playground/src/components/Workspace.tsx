import { useQuery, useStore } from '@atoma/react'
import { projects } from '../data/collections.js'
import { projectsQuery } from '../data/queries.js'
import type { Mode } from '../data/runtimes.js'
import { board } from '../data/stores.js'
import { Board } from './Board.js'
import { ProjectList } from './ProjectList.js'

/** The selected project (the first one until the user picks another) and its board. */
export function Workspace({ mode }: { mode: Mode }) {
  const { data, status, error } = useQuery(projects, projectsQuery)
  const chosen = useStore(board, (state) => state.projectId)
  const project = data.find((p) => p.id === chosen) ?? data[0]
  return (
    <div className="workspace">
      <ProjectList projects={data} selectedId={project?.id ?? null} mode={mode} />
      <main className="main">
        {project ? (
          <Board project={project} />
        ) : (
          <p className="empty">
            {status === 'error' ? `Could not load the projects: ${error?.message}` : 'Loading projects…'}
          </p>
        )}
      </main>
    </div>
  )
}
