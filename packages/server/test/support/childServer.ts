import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..')

export interface ChildServer {
  url: string
  pid: number
  /** Set once the process has ended, with how. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
  /** What the process wrote to stderr (the last 20,000 characters). */
  stderr(): string
  /** SIGTERM (a clean close), then waits for the exit. */
  stop(): Promise<void>
}

/**
 * The CLI from src/ bundled with esbuild (dependencies stay external and load from
 * node_modules), run in a process of its own: the same program `atoma-server` is, with the
 * node flags a test wants (a small heap), and its stdout read for the URL it listens on.
 */
export async function startChildServer(
  args: string[],
  options: { nodeFlags?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<ChildServer> {
  const dir = join(root, 'node_modules/.cache/atoma-server')
  await mkdir(dir, { recursive: true })
  const outfile = join(dir, `cli-${process.pid}-${Date.now()}.mjs`)
  await build({
    entryPoints: [join(root, 'packages/server/src/cli.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  })
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeFlags ?? []), outfile, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000)
  })
  const server: ChildServer = {
    url: '',
    pid: child.pid ?? 0,
    exit: undefined,
    stderr: () => stderr,
    async stop() {
      if (server.exit === undefined) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      await rm(outfile, { force: true })
    },
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      server.exit = { code, signal }
      resolve()
    })
  })
  server.url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /atoma-server: (http:\/\/\S+)\/ops/.exec(stdout)
      if (match?.[1]) resolve(match[1])
    })
    exited.then(() => reject(new Error(`the server exited before listening: ${stderr}`)))
  })
  return server
}
