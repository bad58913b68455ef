import { bin, PUBLISHED, root, run } from './support.js'

/**
 * The packaging tests pack dist/: build the published packages first (turbo, so a build that
 * `npm test` just made is a cache hit). Global setup runs before any test file, so no test reads
 * a dist/ that turbo is writing.
 */
export default async function setup(): Promise<void> {
  const filters = PUBLISHED.map((name) => `--filter=@atoma/${name}`)
  const built = await run(bin('turbo'), ['run', 'build', ...filters, '--output-logs=errors-only'], {
    cwd: root,
    timeoutMs: 300_000,
    env: { TURBO_TELEMETRY_DISABLED: '1' },
  })
  if (built.code !== 0) throw new Error(`building the published packages failed:\n${built.output}`)
}
