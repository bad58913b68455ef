import { createRuntime, defineStore, type Instrumentation } from '@atoma/runtime'
import { produce, produceWithPatches } from 'immer'
import { lcg, type TimedArgs, type Timing, timeOps } from '../harness.js'

interface Todo {
  id: number
  title: string
  done: boolean
}
interface Board {
  todos: Todo[]
  filter: 'all' | 'open' | 'done'
}

const board = (size: number): Board => ({
  todos: Array.from({ length: size }, (_, id) => ({ id, title: `todo ${id}`, done: false })),
  filter: 'all',
})
const toggle = (draft: Board, i: number) => {
  draft.todos[i]!.done = !draft.todos[i]!.done
}

function atomaChange(instrumentation: Instrumentation, size: number): (i: number) => void {
  const def = defineStore('board', { initial: board(size) })
  const runtime = createRuntime({ stores: [def], instrumentation })
  return (i) => {
    runtime.transact(def, (draft) => toggle(draft, i), { kind: 'action', name: 'toggle' })
  }
}

/** The same change made each contender's way; a bare `produce` is the baseline. */
export const txnContenders: readonly {
  name: string
  baseline?: boolean
  make: (size: number) => (i: number) => void
}[] = [
  { name: 'atoma (light)', make: (size) => atomaChange('light', size) },
  { name: 'atoma (full)', make: (size) => atomaChange('full', size) },
  {
    name: 'immer produceWithPatches',
    make: (size) => {
      let state = board(size)
      return (i) => {
        ;[state] = produceWithPatches(state, (draft) => toggle(draft, i))
      }
    },
  },
  {
    name: 'immer produce',
    baseline: true,
    make: (size) => {
      let state = board(size)
      return (i) => {
        state = produce(state, (draft) => toggle(draft, i))
      }
    },
  },
]

/** One run of `txn-overhead` (benchmarks/txnOverhead.ts) for one contender, in this process. */
export function txnOverheadProbe({ contender, size, maxOps, budgetMs }: TimedArgs): Timing {
  const found = txnContenders.find((c) => c.name === contender)
  if (!found) throw new Error(`txn-overhead: no contender named ${contender}`)
  const change = found.make(size)
  const next = lcg()
  return timeOps(() => change(next(size)), maxOps, budgetMs)
}
