'use client'

import { DevtoolsPanel } from '@atoma/devtools'
import { RuntimeProvider } from '@atoma/react'
import { createRuntime, httpBackend, type Runtime } from '@atoma/runtime'
import { type ReactNode, useState } from 'react'
import { tasks } from '../lib/tasks'

const development = process.env.NODE_ENV === 'development'

function makeRuntime(): Runtime {
  return createRuntime({
    stores: [tasks],
    plugins: [httpBackend({ baseUrl: '/api' })],
    policy: 'direct-http',
    devtools: development,
  })
}

/** One runtime in the browser; on the server one per request (a shared one would mix users' data). */
let browserRuntime: Runtime | undefined
function runtimeForThisRender(): Runtime {
  if (typeof window === 'undefined') return makeRuntime()
  browserRuntime ??= makeRuntime()
  return browserRuntime
}

export function Providers({ children }: { children: ReactNode }) {
  const [runtime] = useState(runtimeForThisRender)
  return (
    <RuntimeProvider runtime={runtime}>
      {children}
      {development && <DevtoolsPanel />}
    </RuntimeProvider>
  )
}
