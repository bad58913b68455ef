import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfigFile } from '../src/cli/loadConfigFile.js'
import { parseCliArgs } from '../src/cli/parseCliArgs.js'
import { parseCollections } from '../src/collections.js'

describe('parseCliArgs', () => {
  it('defaults to PGlite in ./.atoma-data', () => {
    expect(parseCliArgs(['--config', 'c.json'], {})).toEqual({
      kind: 'run',
      configPath: 'c.json',
      options: { database: { kind: 'pglite', dataDir: './.atoma-data' } },
    })
  })

  it('reads every flag', () => {
    const argv = [
      '--config',
      'c.json',
      '--port',
      '8080',
      '--host',
      '0.0.0.0',
      '--base-path',
      '/api',
      '--data',
      '/tmp/x',
    ]
    argv.push('--allow-anonymous', '--chaos', '--chaos-latency', '200', '--chaos-failure-rate', '0.1')
    argv.push('--chaos-fail-writes')
    expect(parseCliArgs(argv, {})).toEqual({
      kind: 'run',
      configPath: 'c.json',
      options: {
        database: { kind: 'pglite', dataDir: '/tmp/x' },
        port: 8080,
        host: '0.0.0.0',
        basePath: '/api',
        allowAnonymous: true,
        chaos: { latencyMs: 200, failureRate: 0.1, failWrites: true },
      },
    })
  })

  it('switches to PostgreSQL with DATABASE_URL unless --memory or --data says otherwise', () => {
    const env = { DATABASE_URL: 'postgres://u@localhost/db' }
    expect(parseCliArgs(['--config', 'c.json'], env)).toMatchObject({
      options: { database: { kind: 'postgres', url: 'postgres://u@localhost/db' } },
    })
    expect(parseCliArgs(['--config', 'c.json', '--memory'], env)).toMatchObject({
      options: { database: { kind: 'memory' } },
    })
    expect(parseCliArgs(['--config', 'c.json', '--data', 'd'], env)).toMatchObject({
      options: { database: { kind: 'pglite', dataDir: 'd' } },
    })
    expect(parseCliArgs(['--config', 'c.json', '--schema', 'tenant_a'], env)).toMatchObject({
      options: { database: { kind: 'postgres', url: 'postgres://u@localhost/db', schema: 'tenant_a' } },
    })
    expect(() => parseCliArgs(['--config', 'c.json', '--schema', 'tenant_a'], {})).toThrow(
      '--schema needs DATABASE_URL',
    )
  })

  it('enables chaos only with --chaos, and its settings only with it', () => {
    expect(parseCliArgs(['--config', 'c.json', '--chaos'], {})).toMatchObject({ options: { chaos: {} } })
    expect(parseCliArgs(['--config', 'c.json'], {})).not.toHaveProperty('options.chaos')
    expect(() => parseCliArgs(['--config', 'c.json', '--chaos-latency', '5'], {})).toThrow(
      '--chaos-latency needs --chaos',
    )
    expect(() => parseCliArgs(['--config', 'c.json', '--chaos-fail-writes'], {})).toThrow('needs --chaos')
  })

  it('answers --help', () => {
    expect(parseCliArgs(['--help'], {})).toEqual({ kind: 'help' })
  })

  it.each([
    [[], '--config <file> is required'],
    [['--config', 'c.json', '--port', 'eighty'], '--port expects a number'],
    [['--config', 'c.json', '--memory', '--data', 'd'], '--memory and --data exclude each other'],
    [['--config', 'c.json', '--verbose'], "Unknown option '--verbose'"],
    [['--config', 'c.json', 'extra'], 'Unexpected argument'],
    [['--config', 'c.json', '--jwt-secret', 'x'], "Unknown option '--jwt-secret'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv, {})).toThrow(message)
  })
})

describe('loadConfigFile', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atoma-config-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const write = async (name: string, text: string) => {
    const path = join(dir, name)
    await writeFile(path, text)
    return path
  }

  it('reads the example config shipped with the package', async () => {
    const { collections } = await loadConfigFile(new URL('../example.config.json', import.meta.url).pathname)
    expect(collections.map((collection) => collection.name)).toEqual(['todos'])
  })

  it('reads JWT authentication with the secret from the environment variable it names', async () => {
    const path = await write(
      'jwt.json',
      JSON.stringify({
        collections: [{ name: 't' }],
        auth: { jwt: { secretEnv: 'TEST_JWT_SECRET', issuer: 'me', audience: 'app' } },
        allowedHosts: ['app.example.com'],
        cors: { origins: ['https://app.example.com'], credentials: true },
        limits: { maxResponseRows: 50 },
        rateLimit: false,
      }),
    )
    const config = await loadConfigFile(path, { TEST_JWT_SECRET: 's'.repeat(32) })
    expect(config).toMatchObject({
      allowedHosts: ['app.example.com'],
      cors: { origins: ['https://app.example.com'], credentials: true },
      limits: { maxResponseRows: 50 },
      rateLimit: false,
    })
    expect(config.authenticate).toBeTypeOf('function')
    await expect(loadConfigFile(path, {})).rejects.toThrow(
      'the environment variable TEST_JWT_SECRET is not set',
    )
    await expect(loadConfigFile(path, { TEST_JWT_SECRET: 'short' })).rejects.toThrow('at least 32 bytes')
  })

  it('refuses a secret written into the config', async () => {
    const path = await write(
      'secret.json',
      JSON.stringify({ collections: [{ name: 't' }], auth: { jwt: { secret: 'x'.repeat(40) } } }),
    )
    await expect(loadConfigFile(path, {})).rejects.toThrow(
      'name the environment variable that holds it with "secretEnv"',
    )
  })

  it('reads declarative rules and refuses malformed ones', async () => {
    const rules = {
      read: { ownerId: { $principal: 'id' } },
      fields: { salary: { read: { 'claims.role': 'hr' } } },
    }
    const path = await write(
      'rules.json',
      JSON.stringify({ collections: [{ name: 't', fields: { ownerId: 'text' }, authorize: rules }] }),
    )
    expect((await loadConfigFile(path, {})).collections[0]?.authorize).toEqual(rules)
    const undeclared = await write(
      'undeclared.json',
      JSON.stringify({
        collections: [{ name: 't', authorize: { read: { ownerId: { $principal: 'id' } } } }],
      }),
    )
    await expect(loadConfigFile(undeclared, {})).rejects.toThrow(
      'field "ownerId" is not declared in store "t"',
    )
    const badRef = await write(
      'ref.json',
      JSON.stringify({
        collections: [
          {
            name: 't',
            fields: { ownerId: 'text' },
            authorize: { write: { ownerId: { $principal: 'a b' } } },
          },
        ],
      }),
    )
    await expect(loadConfigFile(badRef, {})).rejects.toThrow('is not a principal path')
  })

  it('names the file and the problem', async () => {
    await expect(loadConfigFile(join(dir, 'missing.json'))).rejects.toThrow('cannot read the config')
    await expect(loadConfigFile(await write('bad.json', '{'))).rejects.toThrow('cannot read the config')
    await expect(loadConfigFile(await write('array.json', '[]'))).rejects.toThrow('must be a JSON object')
    const wrongType = await write('type.json', '{"collections":[{"name":"t","fields":{"a":"date"}}]}')
    await expect(loadConfigFile(wrongType)).rejects.toThrow(
      `the config ${wrongType}: collections[0].fields.a must be one of`,
    )
  })
})

describe('parseCollections', () => {
  it('defaults the key to id and keeps the declared types', () => {
    const collections = parseCollections([{ name: 'todos', fields: { title: 'text' } }])
    expect(collections.get('todos')).toEqual({
      name: 'todos',
      key: 'id',
      fields: new Map([['title', 'text']]),
    })
  })

  it.each([
    [{}, 'collections must be a non-empty array'],
    [[{ name: '' }], 'collections[0].name must match'],
    [[{ name: 'a' }, { name: 'a' }], 'collection "a" is declared twice'],
    [[{ name: 'a', key: 'and' }], 'collections[0].key must be a field name'],
    [[{ name: 'a', fields: { id: 'text' } }], '"id" is the key; the key is always queryable'],
    [
      [{ name: 'a', fields: { __proto__x: 'text', 'bad name': 'text' } }],
      '"bad name" is not an allowed field name',
    ],
    [[{ name: 'a', fields: { or: 'text' } }], '"or" is not an allowed field name'],
    [[{ name: 'a', fields: [] }], 'collections[0].fields must be an object'],
    [[{ name: 'a', extra: true }], 'collections[0] has an unknown property "extra"'],
  ])('refuses %j', (config, message) => {
    expect(() => parseCollections(config)).toThrow(message)
  })
})
