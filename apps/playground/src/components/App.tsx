import { RuntimeProvider } from '@atoma/react'
import { useMemo, useSyncExternalStore } from 'react'
import { type Board, type Mode, offlineBoard, teamBoard } from '../data/runtimes.js'
import { BoardContext } from '../hooks/useBoard.js'
import { useMode } from '../hooks/useMode.js'
import { useSession } from '../hooks/useSession.js'
import { Brand, Header } from './Header.js'
import { Notices } from './Notices.js'
import { SignInDialog, SignInForm } from './SignIn.js'
import { Workspace } from './Workspace.js'

export function App() {
  const mode = useMode()
  const { session } = useSession()
  if (mode === 'offline') return <BoardApp board={offlineBoard()} mode="offline" user={null} />
  if (!session) return <SignInPage />
  return <BoardApp key={session.user} board={teamBoard(session.user)} mode="server" user={session.user} />
}

/** A board, once its runtime is ready: its outbox is restored, so the first render shows the pending writes. */
function BoardApp({ board, mode, user }: { board: Board; mode: Mode; user: string | null }) {
  const status = useSyncExternalStore(board.subscribe, board.status, board.status)
  const { picking } = useSession()
  const context = useMemo(
    () => ({ mode, user, queryClient: board.queryClient, transport: board.transport }),
    [mode, user, board],
  )
  if (status !== 'ready')
    return (
      <div className="app splash">
        <Brand />
        <p className={status === 'opening' ? 'empty' : 'column-error'} role="status">
          {status === 'opening' ? 'Opening the board…' : `The board could not start: ${status.message}`}
        </p>
      </div>
    )
  return (
    <RuntimeProvider runtime={board.runtime} queryClient={board.queryClient}>
      <BoardContext.Provider value={context}>
        <div className="app" data-mode={mode}>
          <Header />
          <Workspace />
          <Notices />
          {picking && mode === 'server' && <SignInDialog />}
        </div>
      </BoardContext.Provider>
    </RuntimeProvider>
  )
}

function SignInPage() {
  return (
    <div className="app splash">
      <Brand />
      <main className="sign-in-page">
        <SignInForm />
        <p className="sign-in-aside">
          Or try the <a href="#/offline">offline board</a>: no server, no sign-in, everything in this browser.
        </p>
      </main>
    </div>
  )
}
