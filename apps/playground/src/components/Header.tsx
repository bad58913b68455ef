import type { Mode } from '../data/runtimes.js'
import { NetworkControl } from './NetworkControl.js'
import { SaveStatus } from './SaveStatus.js'

const PAGES: readonly { mode: Mode; href: string; label: string; hint: string }[] = [
  { mode: 'server', href: '#/', label: 'Team board', hint: '@atoma/server over HTTP' },
  { mode: 'offline', href: '#/offline', label: 'Offline board', hint: 'IndexedDB in this browser' },
]

export function Header({ mode }: { mode: Mode }) {
  return (
    <header className="header">
      <span className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Atoma <span className="brand-sub">playground</span>
      </span>
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
      <span className="grow" />
      <SaveStatus mode={mode} />
      {import.meta.env.DEV && mode === 'server' && <NetworkControl />}
    </header>
  )
}
