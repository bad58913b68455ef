// The build has no Node types; bundlers replace `process.env.NODE_ENV` statically, as for React.
declare const process: { env: { NODE_ENV?: string } } | undefined

/** Read at call time, like the runtime's `isProduction`, so tests can flip NODE_ENV. */
export function isDevelopment(): boolean {
  return typeof process === 'undefined' || process.env.NODE_ENV !== 'production'
}
