/**
 * Read at call time so tests can flip NODE_ENV. Written as the literal `process.env.NODE_ENV`
 * because that is what bundlers replace (Vite, webpack, esbuild's define); a `typeof process`
 * guard would survive bundling and be false in every browser. Where nothing replaced it and no
 * `process` exists (a plain browser ESM import), the ReferenceError means "not production".
 */
export function isProduction(): boolean {
  try {
    return process.env.NODE_ENV === 'production'
  } catch {
    return false
  }
}
