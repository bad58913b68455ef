import { describe } from 'vitest'
import { type MakeBackend, useBackend } from './harness.js'
import { describeQueryConformance } from './queryConformance.js'
import { describeWriteConformance } from './writeConformance.js'

export type { BackendUnderTest, MakeBackend } from './harness.js'

/**
 * The read/write behaviour every Atoma backend shares, run against one backend through its
 * registered execution node only — so it runs unchanged against a local backend or a remote
 * one (HTTP adapter + reference server). Each test gets a fresh, empty backend from
 * `makeBackend` and calls `cleanup` after it. The stores it uses, for a backend that declares
 * them: `todos` and `notes` (string ids; items `{ id, title, done, ... }`), `ids` (ids `1` and
 * `'1'`), `people` (queried on `name`, `city`: text, `age`: number, `active`: boolean,
 * `tags`: array).
 */
export function describeBackendConformance(name: string, makeBackend: MakeBackend): void {
  describe(`${name} backend conformance`, () => {
    const backend = useBackend(makeBackend)
    describe('writes', () => describeWriteConformance(backend))
    describe('queries', () => describeQueryConformance(backend))
  })
}
