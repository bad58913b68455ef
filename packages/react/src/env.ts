// The build has no Node types; bundlers replace `process.env.NODE_ENV` statically, as for React.
declare const process: { env: { NODE_ENV?: string } }

/**
 * Read at call time, like the runtime's `isProduction`, so tests can flip NODE_ENV. The literal
 * `process.env.NODE_ENV` is what bundlers replace; a `typeof process` guard would survive the
 * build and be wrong in every browser. With no bundler and no `process`, it is development.
 */
export function isDevelopment(): boolean {
  try {
    return process.env.NODE_ENV !== 'production'
  } catch {
    return true
  }
}
