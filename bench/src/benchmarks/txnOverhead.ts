import { createRuntime, defineStore, type Instrumentation } from '@atoma/runtime'
import { produce, produceWithPatches } from 'immer'
import { type Benchmark, lcg, opsPerRun, type Sample, type Scale, timeInTurns } from '../harness.js'

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

/**
 * What a transaction adds to the immer call at its heart: the same change (toggle one todo of a
 * 100-todo store) as an Atoma transaction under `light` and `full` instrumentation, as immer's
 * `produceWithPatches` (the patches `full` records), and as a bare `produce` (the baseline).
 */
export const txnOverhead: Benchmark = {
  name: 'txn-overhead',
  description: 'one store change: Atoma transaction vs bare immer (µs per change)',
  async run(scale: Scale) {
    const size = scale === 'full' ? 100 : 10
    const maxOps = scale === 'full' ? 20_000 : 50
    const budgetMs = scale === 'full' ? 500 : 10
    const runs = scale === 'full' ? 7 : 2
    const contenders: { name: string; baseline?: boolean; change: () => (i: number) => void }[] = [
      { name: 'atoma (light)', change: () => atomaChange('light', size) },
      { name: 'atoma (full)', change: () => atomaChange('full', size) },
      {
        name: 'immer produceWithPatches',
        change: () => {
          let state = board(size)
          return (i) => {
            ;[state] = produceWithPatches(state, (draft) => toggle(draft, i))
          }
        },
      },
      {
        name: 'immer produce',
        baseline: true,
        change: () => {
          let state = board(size)
          return (i) => {
            state = produce(state, (draft) => toggle(draft, i))
          }
        },
      },
    ]
    const workloads = contenders.map((contender) => {
      const change = contender.change()
      const next = lcg()
      const op = () => change(next(size))
      return { contender, op, count: opsPerRun(op, maxOps, budgetMs) }
    })
    const values = timeInTurns(workloads, runs)
    return workloads.map(
      ({ contender, count }, i): Sample => ({
        contender: contender.name,
        label: `toggle 1 of ${size} todos`,
        unit: 'µs/change',
        values: values[i]!,
        opsPerRun: count,
        baseline: contender.baseline,
      }),
    )
  },
}

function atomaChange(instrumentation: Instrumentation, size: number): (i: number) => void {
  const def = defineStore('board', { initial: board(size) })
  const runtime = createRuntime({ stores: [def], instrumentation })
  return (i) => {
    runtime.transact(def, (draft) => toggle(draft, i), { kind: 'action', name: 'toggle' })
  }
}
