import { AtomaError } from '../errors.js'
import { builtinPolicies } from './builtinPolicies.js'
import { createEmitter, type KernelEmitter } from './emitter.js'
import type { PluginContext, Transport } from './plugin.js'
import type { PolicyDefinition } from './policy.js'
import { type ResolvedPolicyOptions, resolvePolicyOptions } from './policyOptions.js'
import type { ExecutionNode } from './ports.js'

export interface RegisteredPolicy {
  definition: PolicyDefinition
  options: ResolvedPolicyOptions
  writeOptions: ResolvedPolicyOptions
}

/**
 * What plugins register, checked where they register it (so a typo fails at `createRuntime`,
 * naming the plugin's node or policy, rather than at the first read). It is kept apart from the
 * kernel that routes over it: a runtime with stores only still sets its plugins up, but never
 * loads the routing code.
 */
export interface PluginRegistry {
  readonly context: PluginContext
  readonly nodes: readonly ExecutionNode[]
  readonly policies: ReadonlyMap<string, RegisteredPolicy>
  readonly events: KernelEmitter
}

export function createRegistry(debug = false): PluginRegistry {
  const nodes: ExecutionNode[] = []
  const policies = new Map<string, RegisteredPolicy>()
  const transports = new Map<string, Transport>()
  const events = createEmitter()

  function registerNode(node: ExecutionNode): void {
    const id: unknown = node?.id
    if (typeof id !== 'string' || id === '')
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `registerNode: a node id must be a non-empty string, got ${String(id)}`,
      )
    if (node.source !== 'local' && node.source !== 'remote')
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `registerNode: node '${id}' has source ${String(node.source)}, expected 'local' or 'remote'`,
      )
    if (typeof node.query !== 'function' && typeof node.write !== 'function')
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `registerNode: node '${id}' implements neither query nor write`,
      )
    if (nodes.some((other) => other.id === id))
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `registerNode: a node '${id}' is already registered (two plugins, or one plugin set up twice?); node ids must be unique`,
      )
    nodes.push(node)
  }

  function registerPolicy(definition: PolicyDefinition): void {
    const name: unknown = definition?.name
    if (typeof name !== 'string' || name === '')
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `registerPolicy: a policy name must be a non-empty string, got ${String(name)}`,
      )
    if (typeof definition.route !== 'function')
      throw new AtomaError('INVALID_ARGUMENT', `registerPolicy: policy '${name}' has no route function`)
    // A later registration replaces an earlier one of the same name: that is how a plugin overrides a built-in.
    const options = resolvePolicyOptions(name, definition.options)
    const writeOptions = definition.writeOptions
      ? resolvePolicyOptions(name, definition.writeOptions)
      : options
    policies.set(name, { definition, options, writeOptions })
  }

  for (const policy of builtinPolicies) registerPolicy(policy)

  const context: PluginContext = {
    debug,
    execution: { registerNode },
    policy: { registerPolicy },
    transport: {
      registerTransport(transport) {
        if (typeof transport?.name !== 'string' || typeof transport.send !== 'function')
          throw new AtomaError(
            'INVALID_ARGUMENT',
            'registerTransport: a transport needs a name and a send function',
          )
        // Later wins, so an app or a test can swap a transport without touching the adapter.
        transports.set(transport.name, transport)
      },
      getTransport: (name) => transports.get(name),
    },
    events: { on: events.on },
  }
  return { context, nodes, policies, events }
}
