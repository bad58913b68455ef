import type { ReactNode } from 'react'

/**
 * A stand-in for the app the panel is embedded in, with loud global styles of its own: the panel
 * must look the same over it, and must not change it.
 */
export function HostPage({ children }: { children: ReactNode }) {
  return (
    <div className="host-page">
      <style>{`
        .host-page { font: 16px Georgia, serif; color: #1f2937; background: #fef3c7; min-height: 100vh; padding: 24px; }
        .host-page h1 { font-size: 28px; margin: 0 0 8px; }
        .host-page button { font: inherit; padding: 6px 14px; border-radius: 0; border: 2px solid #92400e; background: #fde68a; }
        div, span, button { letter-spacing: 0.5px; }
      `}</style>
      <h1>Acme Todos</h1>
      <p data-host-probe="">
        The host application. The devtools panel docks over it without changing its look.
      </p>
      <button type="button">A host button</button>
      {children}
    </div>
  )
}
