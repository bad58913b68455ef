import { type KeyboardEvent, useEffect, useRef } from 'react'
import type { DevtoolsTab, TABS } from './tabs.js'

export interface TabListProps {
  idPrefix: string
  /** The tabs shown, in order (see `visibleTabs`). */
  tabs: ReadonlyArray<(typeof TABS)[number]>
  selected: DevtoolsTab
  onSelect(tab: DevtoolsTab): void
}

export const tabId = (prefix: string, tab: DevtoolsTab) => `${prefix}-tab-${tab}`
export const tabPanelId = (prefix: string) => `${prefix}-tabpanel`

/**
 * ARIA tabs with a roving tab stop: Tab reaches the selected tab only, arrows/Home/End move
 * between tabs and select them (automatic activation: every view opens instantly).
 */
export function TabList({ idPrefix, tabs, selected, onSelect }: TabListProps) {
  const refs = useRef(new Map<DevtoolsTab, HTMLButtonElement>())
  // In a narrow panel the tabs scroll sideways: keep the selected one in view.
  useEffect(() => {
    refs.current.get(selected)?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' })
  }, [selected])
  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.findIndex((tab) => tab.id === selected)
    const to =
      event.key === 'ArrowRight'
        ? (at + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (at - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : -1
    const tab = tabs[to]
    if (!tab) return
    event.preventDefault()
    onSelect(tab.id)
    refs.current.get(tab.id)?.focus()
  }
  return (
    <div role="tablist" aria-label="Devtools views" className="atoma-tabs" onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          ref={(element) => {
            if (element) refs.current.set(tab.id, element)
            else refs.current.delete(tab.id)
          }}
          type="button"
          role="tab"
          id={tabId(idPrefix, tab.id)}
          aria-selected={tab.id === selected}
          aria-controls={tabPanelId(idPrefix)}
          tabIndex={tab.id === selected ? 0 : -1}
          className="atoma-tab"
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  )
}
