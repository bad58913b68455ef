import type { PolicyDefinition } from './policy.js'
import type { ExecutionNode, Source } from './ports.js'

const bySource = (nodes: readonly ExecutionNode[], source: Source) =>
  nodes.filter((node) => node.source === source)

/**
 * The contract policies (docs/architecture.md §6). Each receives only the nodes that implement the operation,
 * in registration order, and orders them; options are the defaults. `sync-queue` arrives with
 * the sync orchestrator, which registers it as a plugin.
 */
export const builtinPolicies: readonly PolicyDefinition[] = [
  { name: 'direct-local', route: (_kind, nodes) => bySource(nodes, 'local') },
  { name: 'direct-http', route: (_kind, nodes) => bySource(nodes, 'remote') },
  {
    name: 'local-first',
    route: (_kind, nodes) => [...bySource(nodes, 'local'), ...bySource(nodes, 'remote')],
  },
  {
    name: 'remote-first',
    route: (_kind, nodes) => [...bySource(nodes, 'remote'), ...bySource(nodes, 'local')],
  },
]
