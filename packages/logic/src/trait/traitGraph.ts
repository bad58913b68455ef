import { AtomaError, type PluginRuntime, type Trait, type TraitHost } from '@atoma/runtime'
import { exposeLogic, type TraitNode, traitsOf } from '../inspect/registry.js'

/** What a trait of this package tells the graph (and, for computed and source, its step). */
export const SPEC = Symbol.for('atoma.logic.trait')

export interface TraitSpec {
  /** Fields of the same store it is derived from (computed). */
  readonly deps?: readonly string[]
  /** The store or collection it reads (link, collection source). */
  readonly from?: string
  readonly resourceId?: string
}

export type LogicTrait = Trait & { readonly [SPEC]: TraitSpec }

type Entry = TraitHost['traits'][number]

const checked = new WeakMap<TraitHost['traits'], readonly TraitNode[]>()

/**
 * The runtime's trait graph, checked once per runtime (the runtime hands every trait the same
 * list): a cycle fails `createRuntime`, naming it. Edges: a computed field is fed by its deps, a
 * link or a collection source by the store it reads, and every field feeds its own store. A
 * source's key reads its own store too, but that edge is left out on purpose: the fetch it starts
 * lands in its own field only, and a key that does not change starts nothing.
 */
export function traitGraph(traits: TraitHost['traits']): readonly TraitNode[] {
  let nodes = checked.get(traits)
  if (nodes) return nodes
  nodes = traits.map(toNode)
  const feeds = new Map<string, string[]>()
  const edge = (from: string, to: string) => {
    const list = feeds.get(from)
    if (list) list.push(to)
    else feeds.set(from, [to])
  }
  for (const node of nodes) {
    const id = `${node.store}.${node.field}`
    edge(id, node.store)
    for (const dep of node.deps ?? []) edge(`${node.store}.${dep}`, id)
    if (node.from !== undefined) edge(node.from, id)
  }
  const cycle = findCycle(feeds)
  if (cycle) throw cycleError(cycle, nodes)
  checked.set(traits, nodes)
  return nodes
}

/** Publishes the graph for `inspectLogic` and the devtools, once per runtime. */
export function publishGraph(runtime: PluginRuntime, traits: TraitHost['traits']): void {
  if (traitsOf.has(runtime.runtime)) return
  const nodes = traitGraph(traits)
  traitsOf.set(runtime.runtime, nodes)
  exposeLogic(runtime.runtime)
  runtime.runtime.debug?.emit({ kind: 'lifecycle', name: 'logic:traits', data: { traits: nodes } })
}

function toNode({ store, field, trait }: Entry): TraitNode {
  const spec = (trait as Partial<LogicTrait>)[SPEC]
  const node: TraitNode = { store, field, kind: trait.kind }
  if (spec?.deps) node.deps = spec.deps
  if (spec?.from !== undefined) node.from = spec.from
  if (spec?.resourceId !== undefined) node.resourceId = spec.resourceId
  return node
}

/** A depth-first search; returns the nodes of the first cycle found, in feeding order. */
function findCycle(feeds: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>()
  const path: string[] = []
  const onPath = new Set<string>()
  const visit = (node: string): string[] | undefined => {
    if (onPath.has(node)) return path.slice(path.indexOf(node))
    if (done.has(node)) return undefined
    onPath.add(node)
    path.push(node)
    for (const next of feeds.get(node) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    path.pop()
    onPath.delete(node)
    done.add(node)
    return undefined
  }
  for (const node of feeds.keys()) {
    const cycle = visit(node)
    if (cycle) return cycle
  }
  return undefined
}

function cycleError(cycle: readonly string[], nodes: readonly TraitNode[]): AtomaError {
  // Store nodes only join fields; the message names the fields, each with what feeds it.
  const fields = cycle.flatMap((id) => nodes.filter((n) => `${n.store}.${n.field}` === id))
  const start = fields[0] as TraitNode
  const chain = [...fields, start].map((n) => `${n.store}.${n.field}`).join(' → ')
  const how = fields.map((n) => `${n.store}.${n.field} is ${describe(n)}`).join('; ')
  return new AtomaError(
    'INVALID_ARGUMENT',
    `createRuntime: the traits form a cycle, so a field would depend on itself: ${chain} (${how})`,
    { store: start.store },
  )
}

function describe(node: TraitNode): string {
  if (node.kind === 'trait-computed') return `computed from ${(node.deps ?? []).join(', ')}`
  if (node.kind === 'trait-link') return `a link from '${node.from}'`
  return `a source from '${node.from ?? node.resourceId}'`
}
