/**
 * The panel's only styles, placed in its shadow root. Host-page rules cannot reach inside the
 * shadow root, and these cannot leave it; `all: initial` on the root stops inheritance from the
 * host element, and `:host` rules win over the page's for the host element itself (important
 * declarations of an inner tree beat the outer tree's). Class names are prefixed all the same.
 */
export const PANEL_CSS = `
:host { all: initial !important; }
.atoma-root {
  all: initial;
  display: block;
  font: 12px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: #e5e7eb;
  -webkit-font-smoothing: antialiased;
}
.atoma-root *, .atoma-root *::before, .atoma-root *::after { box-sizing: border-box; }
.atoma-root button, .atoma-root input, .atoma-root select {
  font: inherit; color: inherit; margin: 0;
}
.atoma-root :focus-visible { outline: 2px solid #60a5fa; outline-offset: -2px; }
.atoma-toggle {
  position: fixed; bottom: 12px; right: 12px; z-index: 2147483001;
  display: inline-flex; align-items: center; gap: 6px;
  padding: 6px 12px; border: 1px solid #374151; border-radius: 999px;
  background: #111827; color: #e5e7eb; cursor: pointer; font-weight: 600;
  box-shadow: 0 2px 8px rgba(0,0,0,.35);
}
.atoma-toggle[data-position='left'] { right: auto; left: 12px; }
.atoma-toggle-dot { width: 8px; height: 8px; border-radius: 50%; background: #34d399; }
.atoma-dock {
  position: fixed; z-index: 2147483000; display: flex; flex-direction: column;
  background: #0b1020; color: #e5e7eb; border: 1px solid #1f2937;
  box-shadow: 0 -4px 24px rgba(0,0,0,.4);
}
.atoma-dock[data-position='bottom'] { left: 0; right: 0; bottom: 0; }
.atoma-dock[data-position='right'] { top: 0; right: 0; bottom: 0; }
.atoma-dock[data-position='left'] { top: 0; left: 0; bottom: 0; }
.atoma-resize { position: absolute; z-index: 1; background: transparent; }
.atoma-resize:hover, .atoma-resize:focus-visible { background: #2563eb; }
.atoma-dock[data-position='bottom'] .atoma-resize { top: -3px; left: 0; right: 0; height: 6px; cursor: ns-resize; }
.atoma-dock[data-position='right'] .atoma-resize { left: -3px; top: 0; bottom: 0; width: 6px; cursor: ew-resize; }
.atoma-dock[data-position='left'] .atoma-resize { right: -3px; top: 0; bottom: 0; width: 6px; cursor: ew-resize; }
.atoma-toggle-docked {
  position: static; box-shadow: none; padding: 2px 10px; flex: none; white-space: nowrap;
}
.atoma-header {
  display: flex; align-items: center; gap: 8px; flex-wrap: nowrap; min-width: 0;
  padding: 4px 8px; border-bottom: 1px solid #1f2937; background: #111827;
}
.atoma-header > .atoma-status { flex: none; max-width: 40%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.atoma-header-actions { display: flex; align-items: center; gap: 6px; flex: none; margin-left: auto; }
.atoma-docks { display: flex; gap: 2px; border: 0; margin: 0; padding: 0; min-width: 0; }
.atoma-icon { padding: 2px 6px; line-height: 1.2; }
/* Docked on a side (or at the bottom of a narrow window) the header is two fixed rows, never a
   wrap: title, state and actions; then the tabs. */
.atoma-dock[data-compact] .atoma-header {
  display: grid; grid-template-columns: auto minmax(0, 1fr) auto; grid-template-areas: 'title state actions' 'tabs tabs tabs';
  row-gap: 4px;
}
.atoma-dock[data-compact] .atoma-header > .atoma-toggle { grid-area: title; }
.atoma-dock[data-compact] .atoma-header > .atoma-status { grid-area: state; justify-self: start; max-width: 100%; }
.atoma-dock[data-compact] .atoma-header > .atoma-tabs { grid-area: tabs; }
.atoma-dock[data-compact] .atoma-header-actions { grid-area: actions; }
.atoma-dock[data-compact] .atoma-label { display: none; }
.atoma-dock[data-compact] .atoma-tab { padding: 3px 7px; }
.atoma-dock[data-compact] .atoma-split { flex-direction: column; }
.atoma-dock[data-compact] .atoma-detail { border-left: 0; border-top: 1px solid #1f2937; }
.atoma-title { font-weight: 700; margin-right: 4px; }
.atoma-status { padding: 1px 8px; border-radius: 999px; background: #064e3b; color: #a7f3d0; font-size: 11px; }
.atoma-status[data-mode='live']::before, .atoma-status[data-mode='paused']::before {
  content: ''; display: inline-block; width: 6px; height: 6px; margin-right: 5px; border-radius: 50%;
  background: currentColor; vertical-align: 1px;
}
.atoma-status[data-mode='paused'] { background: #78350f; color: #fde68a; }
.atoma-status[data-mode='paused']::before { border-radius: 1px; }
.atoma-status[data-mode='recording'] { background: #312e81; color: #c7d2fe; }
.atoma-tabs { display: flex; gap: 2px; flex: 1 1 auto; min-width: 0; overflow-x: auto; scrollbar-width: thin; }
.atoma-tab { flex: none; white-space: nowrap; }
.atoma-tab {
  padding: 4px 10px; border: 0; border-radius: 4px; background: transparent; cursor: pointer; color: #9ca3af;
}
.atoma-tab[aria-selected='true'] { background: #1f2937; color: #f9fafb; }
.atoma-spacer { flex: 1; }
.atoma-button {
  padding: 3px 8px; border: 1px solid #374151; border-radius: 4px; background: #1f2937; cursor: pointer;
}
.atoma-button:hover { background: #374151; }
.atoma-button:disabled { opacity: .45; cursor: default; }
.atoma-button[aria-pressed='true'] { background: #1d4ed8; border-color: #2563eb; }
.atoma-input {
  padding: 3px 6px; border: 1px solid #374151; border-radius: 4px; background: #030712; min-width: 0;
}
.atoma-notice { padding: 4px 8px; background: #7f1d1d; color: #fecaca; display: flex; gap: 8px; align-items: center; }
.atoma-notice[data-kind='info'] { background: #1e3a8a; color: #dbeafe; }
.atoma-panel { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.atoma-toolbar { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; padding: 4px 8px; border-bottom: 1px solid #1f2937; }
.atoma-split { flex: 1; min-height: 0; display: flex; }
.atoma-pane { flex: 1 1 50%; min-width: 0; min-height: 0; display: flex; flex-direction: column; }
.atoma-detail { flex: 1 1 50%; min-width: 0; min-height: 0; overflow: auto; padding: 6px 10px; border-left: 1px solid #1f2937; }
.atoma-vlist { flex: 1; min-height: 0; overflow: auto; position: relative; }
.atoma-row {
  display: flex; align-items: center; gap: 8px; padding: 0 8px; white-space: nowrap; overflow: hidden;
  cursor: pointer; border-bottom: 1px solid #111827;
}
.atoma-row:hover { background: #111827; }
.atoma-row[aria-selected='true'] { background: #1e3a8a; }
.atoma-listbox:focus-visible .atoma-row[aria-selected='true'] { outline: 1px solid #60a5fa; outline-offset: -1px; }
.atoma-cell { overflow: hidden; text-overflow: ellipsis; }
.atoma-grow { flex: 1; min-width: 0; }
.atoma-muted { color: #9ca3af; }
.atoma-mono, .atoma-v { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; }
.atoma-badge { padding: 0 6px; border-radius: 3px; background: #1f2937; font-size: 10px; text-transform: uppercase; letter-spacing: .03em; }
.atoma-badge[data-kind='state:update'] { background: #1e3a8a; }
.atoma-badge[data-kind='effectop'] { background: #4c1d95; }
.atoma-badge[data-kind='react-render'] { background: #065f46; }
.atoma-badge[data-kind='diagnostic'], .atoma-badge[data-kind='error'] { background: #7f1d1d; }
.atoma-badge[data-kind='ok'] { background: #065f46; }
.atoma-v-string { color: #fca5a5; }
.atoma-v-number, .atoma-v-bigint { color: #93c5fd; }
.atoma-v-boolean, .atoma-v-null, .atoma-v-undefined { color: #c4b5fd; }
.atoma-v-date, .atoma-v-special { color: #fcd34d; }
.atoma-v-map, .atoma-v-set, .atoma-v-array, .atoma-v-object { color: #d1d5db; }
.atoma-v-warning { color: #fb923c; }
.atoma-tree-toggle { display: inline-block; width: 12px; color: #6b7280; }
.atoma-key { color: #a5b4fc; }
.atoma-section { margin: 0 0 10px; }
.atoma-section-title { margin: 8px 0 4px; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: #9ca3af; }
.atoma-fields { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
.atoma-fields dt { color: #9ca3af; }
.atoma-fields dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.atoma-cost { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 6px; margin: 0; }
.atoma-cost div { background: #111827; border-radius: 4px; padding: 4px 6px; }
.atoma-cost dt { color: #9ca3af; font-size: 10px; text-transform: uppercase; }
.atoma-cost dd { margin: 0; font-size: 14px; font-weight: 700; }
.atoma-chain { list-style: none; margin: 0; padding: 0 0 0 10px; border-left: 2px solid #374151; }
.atoma-chain li { margin: 0 0 6px; padding-left: 6px; }
.atoma-chain + .atoma-chain { margin-top: 8px; }
.atoma-chain-writes { list-style: none; margin: 2px 0 0; padding: 0 0 0 12px; }
.atoma-chain-writes li { margin: 0; }
.atoma-diff { list-style: none; margin: 0 0 6px; padding: 0; }
.atoma-diff li { display: flex; gap: 6px; align-items: baseline; padding: 1px 0; }
.atoma-diff-removed { color: #fca5a5; text-decoration: line-through; }
.atoma-diff-added { color: #86efac; }
.atoma-patches { height: 160px; display: flex; flex-direction: column; border: 1px solid #1f2937; }
.atoma-empty { padding: 12px; color: #6b7280; }
.atoma-link { border: 0; padding: 0; background: none; color: #93c5fd; cursor: pointer; text-decoration: underline; }
.atoma-hidden { display: none; }
.atoma-kinds { display: flex; gap: 4px; flex-wrap: wrap; border: 0; margin: 0; padding: 0; min-width: 0; }
.atoma-row[data-tone='error'] { background: #2a0f12; color: #fecaca; }
.atoma-row[data-tone='error']:hover { background: #3b1418; }
.atoma-row[data-tone='error'][aria-selected='true'] { background: #7f1d1d; }
.atoma-row[data-tone='aborted'] { color: #9ca3af; }
.atoma-scroll { overflow: auto; padding: 0 10px; }
.atoma-error { color: #fca5a5; }
.atoma-table { border-collapse: collapse; width: 100%; margin-top: 6px; font-size: 11px; }
.atoma-table th, .atoma-table td { text-align: left; padding: 2px 8px 2px 0; border-bottom: 1px solid #1f2937; vertical-align: top; }
.atoma-table th { color: #9ca3af; font-weight: 600; }
.atoma-table tr[data-kind='error'] td { color: #fca5a5; }
.atoma-badge[data-kind='aborted'] { background: #374151; color: #d1d5db; }
.atoma-badge[data-kind='query-fresh'] { background: #065f46; }
.atoma-badge[data-kind='query-stale'] { background: #92400e; }
.atoma-badge[data-kind='query-fetching'] { background: #1d4ed8; }
.atoma-badge[data-kind='query-paused'] { background: #6d28d9; }
.atoma-badge[data-kind='query-inactive'] { background: #374151; }
.atoma-notice[data-kind='paused'] { background: #451a03; color: #fde68a; }
.atoma-slider-row { flex-wrap: nowrap; }
.atoma-slider { flex: 1; min-width: 80px; accent-color: #f59e0b; }
.atoma-nowrap { white-space: nowrap; }
.atoma-skipped { text-decoration: line-through; color: #9ca3af; }
.atoma-actions { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 6px; }
.atoma-tree-box { height: 200px; display: flex; flex-direction: column; border: 1px solid #1f2937; }
.atoma-tree-small { height: 96px; margin-top: 4px; }
.atoma-narrow { flex: 0 1 320px; }
.atoma-pad { padding: 4px 8px; margin: 0; }
.atoma-form { display: flex; flex-direction: column; gap: 6px; }
.atoma-field { display: flex; flex-direction: column; gap: 2px; color: #9ca3af; }
.atoma-editor { width: 100%; resize: vertical; color: #e5e7eb; }
.atoma-input[aria-invalid='true'] { border-color: #dc2626; }
.atoma-invalid { color: #fca5a5; margin: 0; }
.atoma-outcome { margin: 0; padding: 4px 6px; border-radius: 4px; background: #064e3b; color: #a7f3d0; }
.atoma-outcome[data-kind='error'] { background: #7f1d1d; color: #fecaca; }
.atoma-route { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.atoma-root textarea { font: inherit; margin: 0; }
.atoma-logic { margin: 0 0 10px; }
.atoma-logic-name { margin: 6px 0 0; font-size: 12px; font-weight: 700; }
.atoma-logic-hook { font-weight: 400; }
.atoma-logic-errors { padding: 4px 6px; margin: 2px 0 4px; border-left: 2px solid #7f1d1d; background: #1a0b0d; }
.atoma-logic-errors p { margin: 0 0 4px; }
.atoma-traits { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 3px; }
.atoma-badge[data-kind='trait-computed'] { background: #1e3a8a; }
.atoma-badge[data-kind='trait-link'] { background: #065f46; }
.atoma-badge[data-kind='trait-source'] { background: #6d28d9; }
`
