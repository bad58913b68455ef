#!/usr/bin/env node
import { loadConfigFile } from './cli/loadConfigFile.js'
import { parseCliArgs, USAGE } from './cli/parseCliArgs.js'
import { startServer } from './server.js'

async function main(): Promise<void> {
  const command = parseCliArgs(process.argv.slice(2), process.env)
  if (command.kind === 'help') {
    console.log(USAGE)
    return
  }
  const config = await loadConfigFile(command.configPath, process.env)
  const server = await startServer({ ...config, ...command.options })
  console.log(
    `atoma-server: ${server.url}/ops on ${server.db.kind} (collections: ${config.collections.map((c) => c.name).join(', ')})`,
  )
  if (server.anonymous) {
    console.log('atoma-server: no authentication configured: every request is the principal "anonymous"')
  }
  if (command.options.chaos !== undefined) console.log('atoma-server: chaos is enabled (/chaos)')
  const stop = (signal: string) => {
    console.log(`atoma-server: ${signal}, closing`)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(`atoma-server: ${error instanceof Error ? error.message : String(error)}`)
  console.error('Run atoma-server --help for the options.')
  process.exit(1)
})
