import {
  AtomaError,
  createRuntime,
  defineCollection,
  defineStore,
  memoryBackend,
  type Patch,
} from '@atoma/runtime'
import { describe, expect, it, vi } from 'vitest'

const settings = defineStore('settings', {
  initial: { theme: 'light', nested: { a: 1 } as Record<string, unknown> },
  actions: {
    setTheme: (draft, theme: string) => {
      draft.theme = theme
    },
    explode: () => {
      throw new Error('boom')
    },
  },
})
const notes = defineCollection<{ id: string; text: string }>('notes', { key: 'id' })

function expectAtomaError(fn: () => unknown, code: string, message: RegExp) {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AtomaError)
    expect((error as AtomaError).code).toBe(code)
    expect((error as AtomaError).message).toMatch(message)
    return error as AtomaError
  }
  throw new Error(`expected ${code}`)
}

describe('bad input gets a clear error and changes nothing', () => {
  it('duplicate store names at createRuntime', () => {
    const again = defineStore('settings', { initial: {} })
    expectAtomaError(
      () => createRuntime({ stores: [settings, again] }),
      'DUPLICATE_STORE',
      /two stores are named 'settings'/,
    )
  })

  it('an unknown store', () => {
    const runtime = createRuntime({ stores: [settings] })
    const stranger = defineStore('stranger', { initial: 0 })
    expectAtomaError(
      () => runtime.store(stranger),
      'UNKNOWN_STORE',
      /store 'stranger' is not part of this runtime/,
    )
    expectAtomaError(() => runtime.history('nope'), 'UNKNOWN_STORE', /'nope'/)
    // A different definition that reuses a registered name is not the registered store.
    const impostor = defineStore('settings', { initial: { theme: 'x', nested: {} } })
    expectAtomaError(() => runtime.store(impostor), 'UNKNOWN_STORE', /'settings'/)
  })

  it('an unknown action', () => {
    const runtime = createRuntime({ stores: [settings] })
    const store = runtime.store(settings)
    expectAtomaError(
      // @ts-expect-error: 'fly' is not an action of this store
      () => store.dispatch('fly'),
      'UNKNOWN_ACTION',
      /store 'settings' has no action 'fly'.*setTheme/,
    )
  })

  it('a recipe that throws: state unchanged, no notification, no history, no event, store named', () => {
    const runtime = createRuntime({ stores: [settings], devtools: { label: 'errors-test' } })
    const store = runtime.store(settings)
    const listener = vi.fn()
    store.subscribe(listener)
    const before = store.getState()
    const error = expectAtomaError(
      () => store.actions.explode(),
      'RECIPE_FAILED',
      /store 'settings'.*'explode' threw: boom/,
    )
    expect(error.cause).toBeInstanceOf(Error)
    expect(error.store).toBe('settings')
    expect(store.getState()).toBe(before)
    expect(listener).not.toHaveBeenCalled()
    expect(runtime.history(settings)).toEqual([])
    runtime.dispose()
  })

  it('re-entrant transact on the same store inside its recipe', () => {
    const runtime = createRuntime({ stores: [settings, notes], plugins: [memoryBackend()] })
    const before = runtime.store(settings).getState()
    expectAtomaError(
      () =>
        runtime.transact(
          settings,
          (draft) => {
            draft.theme = 'dark'
            runtime.transact(
              settings,
              (inner) => {
                inner.theme = 'nested'
              },
              { kind: 'action' },
            )
          },
          { kind: 'action' },
        ),
      'REENTRANT_TRANSACTION',
      /store 'settings'/,
    )
    expect(runtime.store(settings).getState()).toBe(before)
    // Another store may be changed from inside a recipe, and the store is usable afterwards.
    runtime.transact(
      settings,
      (draft) => {
        draft.theme = 'dark'
        runtime.transact(notes, (d) => void d.set('n', { id: 'n', text: 'hi' }), { kind: 'action' })
      },
      { kind: 'action' },
    )
    expect(runtime.store(settings).getState().theme).toBe('dark')
    expect(runtime.store(notes).get('n')?.text).toBe('hi')
  })

  it.each([['__proto__'], ['constructor'], ['prototype']])('patches through %s are refused', (segment) => {
    const runtime = createRuntime({ stores: [settings, notes], plugins: [memoryBackend()] })
    const before = runtime.store(settings).getState()
    const hostile: Patch[] = [
      { op: 'replace', path: ['theme'], value: 'dark' },
      { op: 'add', path: ['nested', segment, 'polluted'], value: true },
    ]
    expectAtomaError(
      () => runtime.applyPatches(settings, hostile, { kind: 'sync' }),
      'UNSAFE_PATCH',
      new RegExp(segment),
    )
    expectAtomaError(
      () =>
        runtime.applyPatches(notes, [{ op: 'add', path: ['x', segment, 'polluted'], value: true }], {
          kind: 'sync',
        }),
      'UNSAFE_PATCH',
      /store 'notes'/,
    )
    expect(runtime.store(settings).getState()).toBe(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a patch into a missing entity names the store and id', () => {
    const runtime = createRuntime({ stores: [notes], plugins: [memoryBackend()] })
    expectAtomaError(
      () =>
        runtime.applyPatches(notes, [{ op: 'replace', path: ['ghost', 'text'], value: 'x' }], {
          kind: 'sync',
        }),
      'NOT_FOUND',
      /store 'notes'.*'ghost'/,
    )
    expect(runtime.store(notes).getState().size).toBe(0)
  })

  it('invalid definitions', () => {
    expectAtomaError(() => defineStore('', { initial: 0 }), 'INVALID_ARGUMENT', /non-empty string/)
    expectAtomaError(
      () => defineCollection<{ id: string }>('bad', { key: '' as never }),
      'INVALID_ARGUMENT',
      /defineCollection\('bad'\): key must be/,
    )
  })
})
