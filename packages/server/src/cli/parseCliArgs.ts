import { parseArgs } from 'node:util'
import type { ChaosOptions } from '../chaos.js'
import { type DatabaseOptions, DEFAULT_DATA_DIR } from '../db/openDatabase.js'
import type { ServerOptions } from '../server.js'

export const USAGE = `Usage: atoma-server --config <config.json> [options]

  --config <file>             config (JSON: { "collections": [...], "auth"?, ... }), required
  --port <n>                  port to listen on (default 4000; 0 = any free port)
  --host <address>            address to bind (default 127.0.0.1)
  --base-path <path>          prefix of the ops endpoint, e.g. /api (default /)
  --data <dir>                PGlite data directory (default ${DEFAULT_DATA_DIR})
  --memory                    PGlite in memory: nothing survives a restart
  --schema <name>             with DATABASE_URL: the PostgreSQL schema of the tables (default public)
  --allow-anonymous           serve a non-loopback --host without authentication (anyone
                              reads and writes everything)
  --chaos                     development only: enable /chaos and the --chaos-* settings
  --chaos-latency <ms>        with --chaos: delay every /ops request
  --chaos-failure-rate <0..1> with --chaos: fail that share of /ops requests with 503
  --chaos-fail-writes         with --chaos-failure-rate: reject write entries instead
  --help                      this text

Set DATABASE_URL to use a PostgreSQL server instead of PGlite (--data and --memory win over it).
JWT authentication is configured in the config file ("auth": { "jwt": { "secretEnv": ... } }),
never on the command line.`

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'run'; configPath: string; options: Omit<ServerOptions, 'collections'> }

/** Turns the command line (without node and the script) into server options; throws an Error with what is wrong. */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'base-path': { type: 'string' },
      data: { type: 'string' },
      memory: { type: 'boolean' },
      schema: { type: 'string' },
      'allow-anonymous': { type: 'boolean' },
      chaos: { type: 'boolean' },
      'chaos-latency': { type: 'string' },
      'chaos-failure-rate': { type: 'string' },
      'chaos-fail-writes': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) return { kind: 'help' }
  if (values.config === undefined) throw new Error('--config <file> is required')
  if (values.memory && values.data !== undefined) throw new Error('--memory and --data exclude each other')

  const options: Omit<ServerOptions, 'collections'> = {
    database: database(values.memory, values.data, values.schema, env),
  }
  if (values.port !== undefined) options.port = number('--port', values.port)
  if (values.host !== undefined) options.host = values.host
  if (values['base-path'] !== undefined) options.basePath = values['base-path']
  if (values['allow-anonymous']) options.allowAnonymous = true
  const setting = ['chaos-latency', 'chaos-failure-rate', 'chaos-fail-writes'].find(
    (flag) => values[flag as keyof typeof values] !== undefined,
  )
  if (setting !== undefined && !values.chaos) throw new Error(`--${setting} needs --chaos`)
  const chaos: ChaosOptions = {}
  if (values['chaos-latency'] !== undefined)
    chaos.latencyMs = number('--chaos-latency', values['chaos-latency'])
  if (values['chaos-failure-rate'] !== undefined) {
    chaos.failureRate = number('--chaos-failure-rate', values['chaos-failure-rate'])
  }
  if (values['chaos-fail-writes']) chaos.failWrites = true
  if (values.chaos) options.chaos = chaos
  return { kind: 'run', configPath: values.config, options }
}

function database(
  memory: boolean | undefined,
  dataDir: string | undefined,
  schema: string | undefined,
  env: NodeJS.ProcessEnv,
): DatabaseOptions {
  const url = memory || dataDir !== undefined ? undefined : env.DATABASE_URL
  if (schema !== undefined && !url) throw new Error('--schema needs DATABASE_URL (PostgreSQL)')
  if (memory) return { kind: 'memory' }
  if (dataDir !== undefined) return { kind: 'pglite', dataDir }
  if (url) return { kind: 'postgres', url, ...(schema === undefined ? {} : { schema }) }
  return { kind: 'pglite', dataDir: DEFAULT_DATA_DIR }
}

function number(flag: string, text: string): number {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value))
    throw new Error(`${flag} expects a number (got ${JSON.stringify(text)})`)
  return value
}
