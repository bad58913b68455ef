import type { Mode } from '../data/runtimes.js'
import { sessions } from '../data/session.js'
import { useBoard } from '../hooks/useBoard.js'
import { useSession } from '../hooks/useSession.js'
import { NetworkControl } from './NetworkControl.js'
import { ConnectStatusLine, LocalStatus, SyncStatusLine } from './StatusLine.js'

const PAGES: readonly { mode: Mode; href: string; label: string; hint: string }[] = [
  { mode: 'server', href: '#/', label: 'Team board', hint: '@atoma/server, synced (sync-queue)' },
  { mode: 'offline', href: '#/offline', label: 'Offline board', hint: 'IndexedDB in this browser' },
]

export function Brand() {
  return (
    <span className="brand">
      <span className="brand-mark" aria-hidden="true" />
      Atoma <span className="brand-sub">playground</span>
    </span>
  )
}

export function Header() {
  const { mode, user, transport } = useBoard()
  return (
    <header className="header">
      <Brand />
      <nav className="pages" aria-label="Pages">
        {PAGES.map((page) => (
          <a
            key={page.mode}
            href={page.href}
            className="page-link"
            aria-current={page.mode === mode ? 'page' : undefined}
            title={page.hint}
          >
            {page.label}
          </a>
        ))}
      </nav>
      <div className="header-end">
        {transport === 'sync' ? (
          <SyncStatusLine />
        ) : transport === 'connect' ? (
          <ConnectStatusLine />
        ) : (
          <LocalStatus />
        )}
        {import.meta.env.DEV && mode === 'server' && <NetworkControl />}
        {user !== null && <UserMenu />}
      </div>
    </header>
  )
}

function UserMenu() {
  const { session } = useSession()
  if (!session) return null
  return (
    <details className="menu user-menu">
      <summary className="menu-summary" aria-label={`Signed in as ${session.name}`}>
        <span className="avatar" aria-hidden="true">
          {session.name.slice(0, 1)}
        </span>
        <span className="user-name">{session.name}</span>
      </summary>
      <div className="menu-panel">
        <button type="button" className="button" onClick={() => sessions.setPicking(true)}>
          Switch user
        </button>
        <button type="button" className="button" onClick={() => sessions.signOut()}>
          Sign out
        </button>
      </div>
    </details>
  )
}
