import type { RuntimeDebug } from '@atoma/runtime'
import { useEffect, useRef } from 'react'
import { isDevelopment } from './env.js'

/**
 * Render tracing (docs/architecture.md §9): after a commit, a hook whose value changed while its store moved to
 * a new transaction emits one `react-render` event carrying that transaction's id, so the devtools
 * can link renders to the commit that caused them.
 *
 * Hooks call this only when `runtime.debug` is non-null, so a runtime without devtools allocates
 * nothing for tracing. Calling it conditionally is safe because `runtime.debug` never changes for a
 * runtime, and `RuntimeProvider` remounts its tree when it is given another runtime.
 */
export function useRenderTrace(
  debug: RuntimeDebug,
  store: string,
  value: unknown,
  hook: string,
  name: string | undefined,
): void {
  // Derived once, on the first render: reading a stack on every render would be costly.
  const derived = useRef<string | null>(null)
  if (name === undefined && derived.current === null) derived.current = componentName(hook)
  const component = name ?? derived.current ?? ANONYMOUS
  // null until the first commit: the mount itself is not a re-render.
  const seen = useRef<{ txnId: number | undefined } | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `value` is the re-render being traced.
  useEffect(() => {
    const txnId = debug.lastTxnId(store)
    // The first commit records where the component started. StrictMode runs mount effects twice;
    // the second run finds the same txnId, so one commit never yields two events.
    if (seen.current === null) {
      seen.current = { txnId }
      return
    }
    if (seen.current.txnId === txnId) return
    seen.current.txnId = txnId
    debug.emit({ kind: 'react-render', store, txnId, name: component })
  }, [debug, store, value, component])
}

const ANONYMOUS = 'Anonymous'
// V8 (`    at Name (file:1:2)`, `    at file:1:2` when anonymous) and Gecko/WebKit (`Name@file:1:2`).
const V8_FRAME = /^\s*at (?:async )?(?:new )?([^\s(]+) \(/
const GECKO_FRAME = /^([^@\s]*)@/
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const HOOK_NAME = /^use[A-Z0-9]/

/** The function name of one stack line, without its receiver (`Object.Row` → `Row`). */
function frameName(line: string): string | undefined {
  const full = V8_FRAME.exec(line)?.[1] ?? GECKO_FRAME.exec(line)?.[1]
  const name = full?.slice(full.lastIndexOf('.') + 1)
  return name && IDENTIFIER.test(name) ? name : undefined
}

/**
 * In development, the component that called `hook`: the first frame after the hook's own that
 * is not itself a hook, so a custom hook wrapping `useStore` still names its component.
 * Production builds are minified, so there the name must come from the hook's `name` option.
 */
function componentName(hook: string): string {
  if (!isDevelopment()) return ANONYMOUS
  const lines = new Error().stack?.split('\n') ?? []
  const names = lines.map(frameName)
  const start = names.indexOf(hook)
  if (start === -1) return ANONYMOUS
  for (const name of names.slice(start + 1)) {
    if (name === undefined) return ANONYMOUS
    if (!HOOK_NAME.test(name)) return name
  }
  return ANONYMOUS
}
