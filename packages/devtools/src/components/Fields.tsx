import type { ReactNode } from 'react'

/** A definition list of label/value pairs; pairs whose value is undefined are left out. */
export function Fields({ items }: { items: ReadonlyArray<readonly [string, ReactNode]> }) {
  return (
    <dl className="atoma-fields">
      {items
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => (
          <div key={name} style={{ display: 'contents' }}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  )
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="atoma-section" aria-label={title}>
      <h3 className="atoma-section-title">{title}</h3>
      {children}
    </section>
  )
}
