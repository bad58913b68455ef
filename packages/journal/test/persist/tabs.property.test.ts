import { openJournal } from '@atoma/journal'
import { memoryStorage } from '@atoma/journal/memory'
import { persist } from '@atoma/journal/persist'
import { createRuntime, defineStore } from '@atoma/runtime'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { runs } from '../support.js'

interface Board {
  list: string[]
  byId: Record<string, { v: number }>
  n: number
  draft: string
}
const board = defineStore<Board>()('board', {
  initial: { list: [], byId: {}, n: 0, draft: '' },
  actions: {
    push: (draft, item: string) => {
      draft.list.push(item)
    },
    shift: (draft) => {
      draft.list.shift()
    },
    put: (draft, { id, v }: { id: string; v: number }) => {
      draft.byId[id] = { v }
    },
    bump: (draft, id: string) => {
      const item = draft.byId[id]
      if (item) item.v += 1
    },
    drop: (draft, id: string) => {
      delete draft.byId[id]
    },
    inc: (draft) => {
      draft.n += 1
    },
    type: (draft, text: string) => {
      draft.draft = text
    },
    reset: (state) => ({ ...state, list: [], n: 0 }),
  },
})

type Step =
  | { tab: number; act: 'push' | 'put' | 'bump' | 'drop' | 'type'; key: number }
  | { tab: number; act: 'shift' | 'inc' | 'reset' | 'flush' }
  | { act: 'deliver' }

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      tab: fc.integer({ min: 0, max: 1 }),
      act: fc.constantFrom(
        'push' as const,
        'put' as const,
        'bump' as const,
        'drop' as const,
        'type' as const,
      ),
      key: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      tab: fc.integer({ min: 0, max: 1 }),
      act: fc.constantFrom('shift' as const, 'inc' as const, 'reset' as const, 'flush' as const),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ act: 'deliver' as const }) },
)

const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('persist across tabs (property)', () => {
  it('tabs writing at once, in any order, never break the journal and agree with it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 10, maxLength: 50 }),
        fc.boolean(),
        async (steps, partial) => {
          const storage = memoryStorage()
          const options = {
            stores: [board],
            storage,
            name: 'app',
            ...(partial ? { partialize: ['list', 'byId', 'n'] as const } : {}),
          }
          const open = () => createRuntime({ stores: [board], plugins: [persist(options)] })
          const tabs = [open(), open()]
          try {
            for (const s of steps) {
              if (s.act === 'deliver') {
                await macrotask()
                continue
              }
              const runtime = tabs[s.tab]!
              const actions = runtime.store(board).actions
              if (s.act === 'flush') await runtime.persist.flush().catch(() => undefined)
              else if (s.act === 'push') actions.push(`${s.tab}:${s.key}`)
              else if (s.act === 'put') actions.put({ id: `k${s.key}`, v: s.key })
              else if (s.act === 'bump') actions.bump(`k${s.key}`)
              else if (s.act === 'drop') actions.drop(`k${s.key}`)
              else if (s.act === 'type') actions.type(`typed ${s.key}`)
              else actions[s.act]()
            }
            await Promise.all(tabs.map((t) => t.persist.flush().catch(() => undefined)))
            // The journal always opens: no tab ever appended a commit that does not apply.
            const stored = () => openJournal(storage, { name: 'app.board' }).root as Partial<Board>
            const persisted = (state: Board) =>
              partial ? { list: state.list, byId: state.byId, n: state.n } : state
            // Every tab still persisting reads what the journal holds, once the others' news arrived.
            await vi.waitFor(
              () => {
                for (const tab of tabs)
                  if (tab.persist.status(board).status === 'hydrated')
                    expect(persisted(tab.store(board).getState())).toEqual(stored())
              },
              { timeout: 10_000, interval: 5 },
            )
            const third = open()
            expect(third.persist.status(board).status).toBe('hydrated')
            expect(persisted(third.store(board).getState())).toEqual(stored())
            third.dispose()
          } finally {
            for (const tab of tabs) tab.dispose()
          }
        },
      ),
      runs(40),
    )
  })
})
