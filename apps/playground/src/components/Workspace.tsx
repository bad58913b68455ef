import { useQuery, useStore } from '@atoma/react'
import { projects } from '../data/collections.js'
import { retryFailed } from '../data/loads.js'
import { projectsQuery } from '../data/queries.js'
import { board } from '../data/stores.js'
import { useBoard } from '../hooks/useBoard.js'
import { useLoadState } from '../hooks/useLoadState.js'
import { Board } from './Board.js'
import { LoadFailed } from './LoadFailed.js'
import { ProjectList } from './ProjectList.js'

/**
 * The selected project (the first one until the user picks another) and its board. A failed
 * load (of the projects or of a column) is one banner above it, with what the store still has
 * shown below: it is retried by itself, and at once with Retry.
 */
export function Workspace() {
  const { mode, queryClient } = useBoard()
  const { data } = useQuery(projects, projectsQuery)
  const { failed } = useLoadState()
  const chosen = useStore(board, (state) => state.projectId)
  const project = data.find((p) => p.id === chosen) ?? data[0]
  return (
    <div className="workspace">
      <ProjectList projects={data} selectedId={project?.id ?? null} />
      <main className="main">
        {failed && (
          <LoadFailed
            what={mode === 'server' ? 'from the server' : "from this browser's storage"}
            error={failed}
            retry={() => retryFailed(queryClient)}
          />
        )}
        {project ? <Board project={project} /> : !failed && <p className="empty">Loading projects…</p>}
      </main>
    </div>
  )
}
