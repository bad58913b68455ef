import { isDeepStrictEqual } from 'node:util'
import {
  QueryRequestSchema,
  QueryResponseSchema,
  queryOp,
  queryOutput,
  queryRequest,
  queryResponse,
  WriteRequestSchema,
  WriteResponseSchema,
  writeOp,
  writeOutput,
  writeRequest,
  writeResponse,
} from '@atoma/connect/protocol'
import type { ErrorInfo } from '@atoma/runtime'
import type { Patch, RemoteEntryResult, RemoteItem, RemoteWriteEntry } from '@atoma/runtime/protocol'
import {
  type DescMessage,
  fromBinary,
  fromJsonString,
  type MessageShape,
  toBinary,
  toJsonString,
} from '@bufbuild/protobuf'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

/**
 * Lossless, as the HTTP adapter is: whatever the runtime sends or a server answers comes out of
 * protobuf — binary and JSON — exactly as it comes out of the JSON envelope, i.e. equal to its
 * `JSON.parse(JSON.stringify(…))`. The values reach into what JSON makes of them: -0, 1.0, the
 * largest and smallest doubles, integers past 2^53, keys like "__proto__", lone surrogates in
 * documents, 1 and "1" as ids. A failure prints the seed: rerun with FC_SEED=<seed> (FC_RUNS sets
 * the run count).
 */
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
const runs = { numRuns: Number(process.env.FC_RUNS ?? 300), ...(seed === undefined ? {} : { seed }) }

const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(-0, 0, 1.0, 0.1, 2 ** 53, 2 ** 53 + 2, 2 ** 64, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21),
)
/** Text a typed field carries: well-formed UTF-16 (what protobuf text can hold). */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', '1', '__proto__', 'é', '😀'),
)
/** Document text: anything, lone surrogates and NUL included (JSON escapes them). */
const anyText = fc.oneof(text, fc.constantFrom('\uD800', 'a\uDC00b', '\u0000', '"\\'))
const key = fc.oneof(anyText, fc.constantFrom('__proto__', 'constructor', 'prototype', 'id'))
const { doc } = fc.letrec((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    anyText,
    fc.array(tie('doc'), { maxLength: 4 }),
    fc.dictionary(key, tie('doc'), { maxKeys: 4 }),
  ),
}))
const item = fc.dictionary(key, doc, { maxKeys: 5 })
const id = fc.oneof(text, number)
const version = fc.nat({ max: Number.MAX_SAFE_INTEGER })

const patch: fc.Arbitrary<Patch> = fc.record(
  {
    op: fc.constantFrom('add', 'remove', 'replace'),
    path: fc.array(fc.oneof(text, fc.nat(), fc.constant(-0)), { maxLength: 4 }),
    value: doc,
  },
  { requiredKeys: ['op', 'path'] },
)
const entry: fc.Arbitrary<RemoteWriteEntry> = fc.record(
  {
    entryId: text,
    op: fc.constantFrom('create', 'update', 'upsert', 'delete', 'patch'),
    id,
    value: item,
    patches: fc.array(patch, { maxLength: 4 }),
    baseVersion: version,
    idempotencyKey: text,
    clientTimeMs: number,
  },
  { requiredKeys: ['entryId', 'op', 'id', 'idempotencyKey', 'clientTimeMs'] },
)
const errorInfo: fc.Arbitrary<ErrorInfo> = fc.record(
  {
    code: fc.constantFrom('CONFLICT', 'NOT_FOUND', 'VALIDATION', 'RATE_LIMITED'),
    message: text,
    retryable: fc.boolean(),
    current: doc,
    currentVersion: version,
    retryAfterMs: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true })),
  },
  { requiredKeys: ['code', 'message', 'retryable'] },
)
const entryResult: fc.Arbitrary<RemoteEntryResult> = fc.oneof(
  fc.record({
    entryId: text,
    status: fc.constant('confirmed' as const),
    id,
    version,
    value: fc.oneof(item, fc.constant(null)),
  }),
  fc.record({ entryId: text, status: fc.constant('rejected' as const), error: errorInfo }),
)

/** What the JSON envelope makes of a value. */
const overJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

/**
 * Node's strict deep equality: -0 is not 0, prototypes and own keys count. (Not `toStrictEqual`,
 * which reads an own key `constructor` — a value this suite sends — as the object's class.)
 */
const expectSame = (actual: unknown, expected: unknown) =>
  expect(
    isDeepStrictEqual(actual, expected),
    `${JSON.stringify(actual)}\n≠ ${JSON.stringify(expected)}`,
  ).toBe(true)

/** A message through one encoding and back. */
const encodings = {
  binary: <D extends DescMessage>(schema: D, message: MessageShape<D>) =>
    fromBinary(schema, toBinary(schema, message)),
  json: <D extends DescMessage>(schema: D, message: MessageShape<D>) =>
    fromJsonString(schema, toJsonString(schema, message)),
}
const unexpected = (what: string) => new Error(`malformed: ${what}`)

describe.each(Object.entries(encodings))('over protobuf %s', (_name, through) => {
  it('a write op arrives as the JSON envelope carries it', () => {
    fc.assert(
      fc.property(text, fc.array(entry, { maxLength: 30 }), (store, entries) => {
        const decoded = writeOp(through(WriteRequestSchema, writeRequest(store, entries)))
        expectSame(decoded, overJson({ kind: 'write', store, entries }))
      }),
      runs,
    )
  })

  it('a query op arrives as the JSON envelope carries it', () => {
    fc.assert(
      fc.property(text, fc.dictionary(key, doc, { maxKeys: 4 }), (store, query) => {
        const decoded = queryOp(through(QueryRequestSchema, queryRequest(store, query)))
        expectSame(decoded, overJson({ kind: 'query', store, query }))
      }),
      runs,
    )
  })

  it('a query answer arrives as the JSON envelope carries it, its cursor too', () => {
    const items = fc.array(fc.record({ id, version, value: item }), { maxLength: 30 })
    fc.assert(
      fc.property(items, fc.option(text, { nil: undefined }), (answered: RemoteItem[], cursor) => {
        const decoded = queryOutput(through(QueryResponseSchema, queryResponse(answered, cursor)), unexpected)
        expectSame(decoded, overJson({ ok: true, kind: 'query', items: answered, cursor }))
      }),
      runs,
    )
  })

  it('a write answer arrives as the JSON envelope carries it', () => {
    const status = fc.constantFrom('confirmed', 'partial', 'rejected' as const)
    fc.assert(
      fc.property(status, fc.array(entryResult, { maxLength: 30 }), (written, items) => {
        const decoded = writeOutput(
          through(WriteResponseSchema, writeResponse({ status: written, items })),
          unexpected,
        )
        expectSame(decoded, overJson({ ok: true, kind: 'write', status: written, items }))
      }),
      runs,
    )
  })
})

describe('what protobuf cannot carry', () => {
  it('-0 arrives as 0 in either encoding, as over JSON', () => {
    const entries: RemoteWriteEntry[] = [
      { entryId: 'e', op: 'create', id: -0, value: { n: -0 }, idempotencyKey: 'k', clientTimeMs: -0 },
    ]
    for (const through of Object.values(encodings)) {
      const decoded = writeOp(through(WriteRequestSchema, writeRequest('s', entries))).entries[0]!
      expect(Object.is(decoded.id, 0) && Object.is(decoded.clientTimeMs, 0)).toBe(true)
      expect(Object.is((decoded.value as { n: number }).n, 0)).toBe(true)
    }
  })

  it.each([
    ['an id', { id: 'a\uD800' }],
    ['an entry id', { entryId: '\uDC00' }],
    ['an idempotency key', { idempotencyKey: 'k\uD83D' }],
    ['a patch path key', { patches: [{ op: 'replace', path: ['\uD800'], value: 1 }] }],
  ] as const)(
    'a lone surrogate in %s is refused before anything is sent, naming the store',
    (_what, change) => {
      const e = {
        entryId: 'e',
        op: 'patch',
        id: 'a',
        idempotencyKey: 'k',
        clientTimeMs: 0,
        ...change,
      } as RemoteWriteEntry
      expect(() => writeRequest('todos', [e])).toThrow(
        expect.objectContaining({
          code: 'VALIDATION',
          store: 'todos',
          message: expect.stringMatching(/lone surrogate/),
        }),
      )
    },
  )

  it('a baseVersion that is not an integer is refused before anything is sent', () => {
    const e: RemoteWriteEntry = {
      entryId: 'e1',
      op: 'update',
      id: 'a',
      baseVersion: 1.5,
      idempotencyKey: 'k',
      clientTimeMs: 0,
    }
    expect(() => writeRequest('todos', [e])).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        entryId: 'e1',
        message: expect.stringMatching(/baseVersion 1.5/),
      }),
    )
  })

  it('a value JSON cannot hold is refused, naming the entry', () => {
    const e: RemoteWriteEntry = {
      entryId: 'e1',
      op: 'create',
      id: 'a',
      value: { n: 1n },
      idempotencyKey: 'k',
      clientTimeMs: 0,
    }
    expect(() => writeRequest('todos', [e])).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        message: expect.stringMatching(/entry 'e1': the value cannot be sent as JSON/),
      }),
    )
  })
})
