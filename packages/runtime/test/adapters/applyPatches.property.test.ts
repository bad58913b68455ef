import fc from 'fast-check'
import { enablePatches, Immer } from 'immer'
import { describe, expect, it } from 'vitest'
import { applyPatches } from '../../src/adapters/shared/applyPatches.js'

enablePatches()
const immer = new Immer({ autoFreeze: false })

/**
 * Backends apply the patches the runtime generates with immer; whatever a recipe does, the
 * stored item must end up as immer's own result. A failure prints fast-check's seed and path.
 */
type Json = null | number | string | Json[] | { [key: string]: Json }
type Container = Json[] | { [key: string]: Json }

const key = fc.constantFrom('a', 'b', 'c')
const { json } = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: 0, max: 9 }),
    fc.constantFrom('x', 'y'),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(key, tie('json'), { maxKeys: 3 }),
  ),
}))

interface Step {
  /** Which child to descend into at each level (modulo what is there). */
  route: number[]
  action: 'set' | 'delete' | 'push' | 'insert' | 'truncate' | 'unshift'
  key: string
  index: number
  value: Json
}

const step: fc.Arbitrary<Step> = fc.record({
  route: fc.array(fc.nat(5), { maxLength: 3 }),
  action: fc.constantFrom('set', 'delete', 'push', 'insert', 'truncate', 'unshift'),
  key,
  index: fc.nat(5),
  value: json,
})

const isContainer = (value: Json | undefined): value is Container =>
  typeof value === 'object' && value !== null

function descend(root: Container, route: number[]): Container {
  let at = root
  for (const choice of route) {
    const children = Array.isArray(at) ? at : Object.values(at)
    const next = children[choice % Math.max(children.length, 1)]
    if (!isContainer(next)) break
    at = next
  }
  return at
}

function perform(root: Container, { route, action, key, index, value }: Step): void {
  const at = descend(root, route)
  if (!Array.isArray(at)) {
    if (action === 'delete') delete at[key]
    else at[key] = value
    return
  }
  const length = at.length
  switch (action) {
    case 'set':
      at[index % (length + 1)] = value
      break
    case 'delete':
      if (length > 0) at.splice(index % length, 1)
      break
    case 'push':
      at.push(value)
      break
    case 'insert':
      at.splice(index % (length + 1), 0, value)
      break
    case 'truncate':
      at.length = index % (length + 1)
      break
    case 'unshift':
      at.unshift(value)
      break
  }
}

describe('applyPatches', () => {
  it('gives immer’s result for the patches of any recipe', () => {
    fc.assert(
      fc.property(
        fc.dictionary(key, json, { maxKeys: 3 }),
        fc.array(step, { maxLength: 6 }),
        (base, steps) => {
          const [next, patches] = immer.produceWithPatches(base, (draft: Container) => {
            for (const s of steps) perform(draft, s)
          })
          expect(applyPatches(structuredClone(base), patches)).toEqual(next)
        },
      ),
    )
  })

  it('leaves the patch values with the caller', () => {
    const value = { deep: [1] }
    const item = applyPatches({}, [{ op: 'add', path: ['v'], value }]) as { v: typeof value }
    value.deep.push(2)
    expect(item.v).toEqual({ deep: [1] })
  })
})
