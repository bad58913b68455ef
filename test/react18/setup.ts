import Module, { createRequire } from 'node:module'
import { version } from 'react'
import { version as domVersion } from 'react-dom'

// The react18 projects alias `react` and `react-dom` to this folder's React 18 for the code Vite
// transforms (sources, tests, Testing Library). Packages that Node loads itself (Vitest leaves
// node_modules to it) still require `react` from where they are installed, the workspace root,
// which has React 19: use-sync-external-store's CommonJS does. This sends those requires here
// too, so a run has one React and it is 18.
const fromHere = createRequire(import.meta.url)
const REACT = /^react(-dom)?(\/|$)/
type Resolve = (this: unknown, request: string, ...rest: unknown[]) => string
const internals = Module as unknown as { _resolveFilename: Resolve }
const resolveFilename = internals._resolveFilename
let redirecting = false
internals._resolveFilename = function (request, ...rest) {
  if (redirecting || !REACT.test(request)) return resolveFilename.call(this, request, ...rest)
  redirecting = true
  try {
    return fromHere.resolve(request)
  } finally {
    redirecting = false
  }
}

// The alias is what makes this run React 18: fail loudly rather than pass on React 19.
if (!version.startsWith('18.') || !domVersion.startsWith('18.'))
  throw new Error(`the react18 projects run on react ${version} and react-dom ${domVersion}, not 18.3`)
