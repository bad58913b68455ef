/** Read at call time so tests can flip NODE_ENV; bundlers replace `process.env.NODE_ENV` statically. */
export function isProduction(): boolean {
  return typeof process !== 'undefined' && process.env.NODE_ENV === 'production'
}
