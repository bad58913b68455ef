import { AtomaHydrate } from '@atoma/react'
import { dehydrate, prefetchQuery } from '@atoma/react/server'
import { createRuntime, httpBackend } from '@atoma/runtime'
import { apiUrl } from '../lib/api'
import { STALE_MS, taskList, tasks } from '../lib/tasks'
import { TaskList } from './TaskList'

// Rendered per request: the list is the server's data of now.
export const dynamic = 'force-dynamic'

/**
 * A server component: prefetches the list through `@atoma/server` with a runtime of its own, and
 * hands the client island the dehydrated state (stores and query status), so the first render
 * is `success` on the server and on hydration, and the island does not fetch it again.
 */
export default async function Page() {
  const runtime = createRuntime({
    stores: [tasks],
    plugins: [httpBackend({ baseUrl: await apiUrl() })],
    policy: 'direct-http',
  })
  await prefetchQuery(runtime, tasks, taskList, { staleTime: STALE_MS })
  const state = dehydrate(runtime)
  runtime.dispose()
  return (
    <main>
      <h1>Tasks</h1>
      <AtomaHydrate state={state}>
        <TaskList />
      </AtomaHydrate>
    </main>
  )
}
