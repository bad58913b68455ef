import { RuntimeProvider } from '@atoma/react'
import { runtimeFor } from '../data/runtimes.js'
import { useMode } from '../hooks/useMode.js'
import { Header } from './Header.js'
import { Notices } from './Notices.js'
import { Workspace } from './Workspace.js'

export function App() {
  const mode = useMode()
  return (
    <RuntimeProvider runtime={runtimeFor(mode)}>
      <div className="app" data-mode={mode}>
        <Header mode={mode} />
        <Workspace mode={mode} />
        <Notices />
      </div>
    </RuntimeProvider>
  )
}
