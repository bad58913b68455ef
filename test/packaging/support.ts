import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const root = fileURLToPath(new URL('../../', import.meta.url))

/** The published packages, by folder under packages/. */
export const PUBLISHED = [
  'runtime',
  'react',
  'devtools',
  'server',
  'sync',
  'journal',
  'logic',
  'connect',
] as const
export type Published = (typeof PUBLISHED)[number]

export interface Ran {
  code: number
  /** stdout and stderr interleaved as they came, for failure messages. */
  output: string
  stdout: string
}

/**
 * Runs a command to its end and resolves with its exit code and output, never rejects: the
 * tests put the output in their failure message. Killed after `timeoutMs`, so a hanging
 * install fails the test instead of stalling the run.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<Ran> {
  return new Promise((resolve) => {
    let output = ''
    const child = execFile(
      command,
      args,
      {
        cwd: options.cwd,
        timeout: options.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, ...options.env },
      },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        const killed = error?.killed ? `\n(killed after ${options.timeoutMs} ms)` : ''
        resolve({ code, output: `$ ${command} ${args.join(' ')}\n${output}${killed}`, stdout })
      },
    )
    child.stdout?.on('data', (chunk) => {
      output += chunk
    })
    child.stderr?.on('data', (chunk) => {
      output += chunk
    })
  })
}

/** A binary of the workspace's node_modules/.bin. */
export const bin = (name: string) => join(root, 'node_modules/.bin', name)

/**
 * `npm pack` of a workspace package into `destination`, as `npm publish` would upload it (the
 * package's dist/ must be built). Returns the tarball's path.
 */
export async function pack(name: Published, destination: string): Promise<string> {
  mkdirSync(destination, { recursive: true })
  const packed = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: join(root, 'packages', name),
    timeoutMs: 60_000,
  })
  if (packed.code !== 0) throw new Error(`npm pack of @atoma/${name} failed:\n${packed.output}`)
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }]
  return join(destination, filename)
}

/** A package.json, parsed. */
export function manifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest
}

export interface PackageManifest {
  name: string
  version: string
  exports?: unknown
  bin?: Record<string, string>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}
