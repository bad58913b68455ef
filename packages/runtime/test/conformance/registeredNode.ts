import type { AtomaPlugin, ExecutionNode, PluginContext, Transport } from '@atoma/runtime'

type FullNode = ExecutionNode & Required<Pick<ExecutionNode, 'query' | 'write'>>

/**
 * Sets `plugin` up in a minimal but real `PluginContext` — the plugin contract itself — and
 * returns the one node it registers, which must answer both queries and writes.
 */
export function registeredNode(plugin: AtomaPlugin, options: { debug?: boolean } = {}): FullNode {
  const nodes: ExecutionNode[] = []
  const transports = new Map<string, Transport>()
  const ctx: PluginContext = {
    debug: options.debug ?? false,
    execution: { registerNode: (node) => nodes.push(node) },
    policy: { registerPolicy: () => {} },
    transport: {
      registerTransport: (transport) => transports.set(transport.name, transport),
      getTransport: (name) => transports.get(name),
    },
    events: { on: () => () => {} },
  }
  plugin.setup(ctx)
  const [node, ...others] = nodes
  if (node === undefined || others.length > 0) {
    throw new Error(`${plugin.name} registered ${nodes.length} execution nodes; a backend registers one`)
  }
  const { query, write } = node
  if (query === undefined || write === undefined) {
    throw new Error(`${plugin.name}'s node '${node.id}' must implement both query and write`)
  }
  return { ...node, query, write }
}
